from __future__ import annotations

import json
from pathlib import Path

import pytest

from wanghong.compliance.engine import LibraryError, Scanner, ViolationCategory, ViolationLibrary, load_library
from wanghong.compliance.engine.library import parse_library
from wanghong.domain import Severity

GOOD_ENTRY = {
    "id": "TST-001",
    "term": "测试词",
    "category": "absolute",
    "severity": "high",
    "article": "《广告法》第九条第三项",
    "explanation": "测试",
}


def test_shipped_library_is_large_versioned_and_covers_every_category(library: ViolationLibrary) -> None:
    assert library.version >= 1
    assert len(library) >= 300
    assert {e.category for e in library.entries} == set(ViolationCategory)
    for entry in library.entries:
        assert entry.article.startswith("《"), entry.id
        assert entry.explanation


def test_pattern_entry_examples_are_found_by_the_scanner(library: ViolationLibrary, scanner: Scanner) -> None:
    for entry in library.entries:
        for example in entry.examples:
            hits = scanner.scan(example).hits
            assert any(h.entry_id == entry.id for h in hits), (entry.id, example, hits)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"severity": "fatal"}, "severity"),
        ({"category": "gossip"}, "category"),
        ({"term": ""}, "term"),
        ({"id": "bad id"}, "id"),
        ({"colour": "red"}, "unknown fields"),
        ({"pattern": "(unclosed", "triggers": ["x"]}, "does not compile"),
        ({"pattern": "a+"}, "triggers"),
        ({"phonetic": "yes"}, "phonetic"),
    ],
)
def test_malformed_entries_are_rejected_with_the_field_named(change: dict[str, object], message: str) -> None:
    raw = {"version": 1, "entries": [GOOD_ENTRY | change]}
    with pytest.raises(LibraryError, match=message):
        parse_library(raw)


def test_duplicate_ids_and_bad_versions_are_rejected() -> None:
    with pytest.raises(LibraryError, match="duplicate"):
        parse_library({"version": 1, "entries": [GOOD_ENTRY, GOOD_ENTRY]})
    with pytest.raises(LibraryError, match="version"):
        parse_library({"version": "1", "entries": [GOOD_ENTRY]})
    with pytest.raises(LibraryError, match="entries"):
        parse_library({"version": 1, "entries": []})


def test_load_library_reports_invalid_json_and_missing_files(tmp_path: Path) -> None:
    broken = tmp_path / "lib.json"
    broken.write_text('{"version": 1,', encoding="utf-8")
    with pytest.raises(LibraryError, match="invalid JSON"):
        load_library(broken)
    with pytest.raises(LibraryError, match="cannot read"):
        load_library(tmp_path / "missing.json")
    broken.write_text(json.dumps({"version": 3, "entries": [GOOD_ENTRY]}), encoding="utf-8")
    assert load_library(broken).version == 3


def test_editing_returns_new_versions_and_leaves_the_original_alone(library: ViolationLibrary) -> None:
    added = library.add_entry(GOOD_ENTRY)
    assert added.version == library.version + 1
    assert added.get("TST-001").term == "测试词"
    with pytest.raises(LibraryError):
        library.get("TST-001")
    updated = added.update_entry("TST-001", severity=Severity.LOW, exceptions=["测试词典"])
    assert updated.version == library.version + 2
    assert updated.get("TST-001").severity is Severity.LOW
    assert added.get("TST-001").severity is Severity.HIGH
    removed = updated.remove_entry("TST-001")
    assert removed.version == library.version + 3
    assert len(removed) == len(library)
    with pytest.raises(LibraryError, match="already exists"):
        added.add_entry(GOOD_ENTRY)
    with pytest.raises(LibraryError, match="severity"):
        added.update_entry("TST-001", severity="extreme")
    with pytest.raises(LibraryError, match="no entry"):
        library.remove_entry("NOPE-001")
    assert parse_library(updated.to_dict()).get("TST-001").exceptions == ("测试词典",)


def test_an_added_entry_is_scanned_and_its_exception_respected(library: ViolationLibrary) -> None:
    edited = library.add_entry(GOOD_ENTRY | {"exceptions": ["测试词典"]})
    scanner = Scanner(edited)
    assert [h.entry_id for h in scanner.scan("这是测 试 词").hits] == ["TST-001"]
    assert scanner.scan("翻开测试词典").hits == ()
