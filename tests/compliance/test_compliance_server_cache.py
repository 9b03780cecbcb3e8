"""The server's reviewer cache (engine_cache.ReviewerCache) builds its scanners through the compiled cache the CLI
uses: a reviewer built from the cache gives the verdicts of one built afresh, for the shipped library and for an
edited one, a directory it cannot write only costs the build, and the server and the CLI agree on the directory."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from wanghong.compliance.cli import cache_directory
from wanghong.compliance.engine import ComplianceReviewer
from wanghong.compliance.engine_cache import REVIEWERS, ReviewerCache, compiled_directory
from wanghong.compliance.models import ComplianceLibraryVersion
from wanghong.config import Settings
from wanghong.kit.db.session import Database

DATA = Path(__file__).parent / "data"


def _texts() -> list[str]:
    texts = [json.loads(line)["text"] for path in sorted(DATA.glob("*.jsonl")) for line in path.open(encoding="utf-8")]
    return [*texts[::3], "zui好的 zuihao", "最最最好", "ＶＸ私聊 vx: abc123", "来自咕噜星的面霜，全网最低价", ""]


@pytest.fixture
def session(db: Database) -> Iterator[Session]:
    """A session whose writes (an edited library version) are rolled back: the database is shared by the module."""
    session = db.sessions()
    try:
        yield session
    finally:
        session.rollback()
        session.close()


def _edit_library(session: Session, cache: ReviewerCache) -> int:
    """Store a new library version with one more entry, uncommitted; its version number."""
    active = cache.get(session, fresh=True)
    edited = cache.library(session, active.library_version).add_entry(
        {
            "id": "TST-920",
            "term": "咕噜星",
            "category": "absolute",
            "severity": "high",
            "article": "《广告法》第九条第三项",
            "explanation": "测试词条",
        }
    )
    session.add(ComplianceLibraryVersion(version=edited.version, body=edited.to_dict(), change_summary="test"))
    session.flush()
    return edited.version


def test_the_server_reviewer_from_the_compiled_cache_gives_the_fresh_verdicts(session: Session, tmp_path: Path) -> None:
    texts = _texts()
    directory = tmp_path / "compliance"
    fresh = ReviewerCache()  # no compiled directory: every scanner built, as the server did before
    expected = fresh.get(session, fresh=True).reviewer.review_many(texts)

    cold = ReviewerCache(directory).get(session, fresh=True).reviewer
    lexicons = list(directory.glob("lexicon-*.pickle"))
    assert len(lexicons) == 1, "the first worker writes the lexicon it compiled"
    assert cold.review_many(texts) == expected

    # A later worker loads that file instead of compiling (and so does not write it again).
    written = lexicons[0].stat().st_mtime_ns
    warm = ReviewerCache(directory).get(session, fresh=True).reviewer
    assert lexicons[0].stat().st_mtime_ns == written
    assert warm.scanner.compiled == cold.scanner.compiled
    assert warm.review_many(texts) == expected

    # An edited library takes with_library's path: its own lexicon file, the base reviewer's classifier.
    version = _edit_library(session, fresh)
    expected_edited = fresh.get(session, fresh=True).reviewer
    assert expected_edited.library.version == version
    for cache in (ReviewerCache(directory), ReviewerCache(directory)):
        engine = cache.get(session, fresh=True)
        assert engine.library_version == version
        assert engine.reviewer.classifier is not None
        verdicts = engine.reviewer.review_many(texts)
        assert verdicts == expected_edited.review_many(texts)
        assert [h.entry_id for h in verdicts[texts.index("来自咕噜星的面霜，全网最低价")].hits].count("TST-920") == 1
    assert len(list(directory.glob("lexicon-*.pickle"))) == 2


def test_a_cache_directory_that_cannot_be_written_only_costs_the_build(session: Session, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x")
    texts = _texts()
    expected = ReviewerCache().get(session, fresh=True).reviewer.review_many(texts)
    cache = ReviewerCache(blocker / "compliance")
    assert cache.get(session, fresh=True).reviewer.review_many(texts) == expected
    assert blocker.read_text() == "x"


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to drop to another user")
def test_a_cache_directory_another_user_owns_only_costs_the_build(tmp_path: Path) -> None:
    """A directory the server may not even search (EACCES, which root never meets): a child process run as
    nobody builds its scanner and gives the verdicts of one built in this process."""
    import subprocess
    import sys

    closed = tmp_path / "closed"
    closed.mkdir(mode=0o700)
    texts = _texts()[:40]
    expected = [v.verdict.value for v in ComplianceReviewer(use_model=False).review_many(texts)]
    script = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from wanghong.compliance.engine import ComplianceReviewer, load_library\n"
        "from wanghong.compliance.engine.compiled import CompiledCache\n"
        "scanner = CompiledCache(Path(sys.argv[1]) / 'compliance').scanner(load_library())\n"
        "texts = json.loads(sys.stdin.read())\n"
        "print(json.dumps([v.verdict.value for v in ComplianceReviewer(scanner=scanner, use_model=False)"
        ".review_many(texts)]))\n"
    )
    try:
        done = subprocess.run(
            ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable, "-c", script, str(closed)],
            input=json.dumps(texts),
            capture_output=True,
            text=True,
            env={**os.environ, "HOME": str(tmp_path)},
            timeout=120,
            check=False,
        )
    except FileNotFoundError:
        pytest.skip("setpriv is not installed")
    if done.returncode != 0 and "Permission denied" in done.stderr and "compiled" not in done.stderr:
        pytest.skip(f"nobody cannot run this interpreter: {done.stderr[-300:]}")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == expected


def test_the_server_and_the_cli_keep_the_cache_in_one_place(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, app_client: TestClient
) -> None:
    # The running app's reviewers use its settings' cache directory.
    settings: Settings = app_client.app.state.settings  # type: ignore[attr-defined]
    reviewers: ReviewerCache = app_client.app.state.runtime.get(REVIEWERS)  # type: ignore[attr-defined]
    assert reviewers.compiled_directory == Path(settings.cache_dir) / "compliance"

    monkeypatch.delenv("WANGHONG_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_directory() == tmp_path / "xdg" / "wanghong" / "compliance"
    assert REVIEWERS.build(Settings.from_env()).compiled_directory == cache_directory()
    assert compiled_directory(Settings()) == cache_directory()

    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")
    assert cache_directory() == Path.home() / ".cache" / "wanghong" / "compliance"
    assert REVIEWERS.build(Settings.from_env()).compiled_directory == cache_directory()

    monkeypatch.setenv("WANGHONG_CACHE_DIR", str(tmp_path / "shared"))
    assert cache_directory() == tmp_path / "shared" / "compliance"
    assert REVIEWERS.build(Settings.from_env()).compiled_directory == cache_directory()
