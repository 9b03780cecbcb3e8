"""`page_router`: the one line a page module starts with makes its templates/ folder visible to every page."""

from __future__ import annotations

from pathlib import Path

from jinja2 import ChoiceLoader

from wanghong.kit.pages import TEMPLATES, page_router


def test_page_router_shows_the_templates_beside_the_module_and_stays_out_of_the_api_document(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "kit_test_page_router_only.html").write_text("<p>{{ word }}</p>", encoding="utf-8")
    router = page_router(str(tmp_path / "page.py"))
    assert router.include_in_schema is False
    assert TEMPLATES.env.get_template("kit_test_page_router_only.html").render(word="你好") == "<p>你好</p>"
    # A second module beside the same folder (workspace's pages share one) adds it once.
    page_router(str(tmp_path / "other_page.py"))
    loader = TEMPLATES.env.loader
    assert isinstance(loader, ChoiceLoader)
    folder = [str(tmp_path / "templates")]
    assert [getattr(each, "searchpath", None) for each in loader.loaders].count(folder) == 1
