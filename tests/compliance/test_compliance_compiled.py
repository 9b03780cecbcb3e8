"""The compiled cache (engine.compiled): a scanner built from it scans exactly as one built afresh, and whatever is
wrong with the cache directory — stale, corrupt, foreign, unwritable — only costs the build, never a result."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

import wanghong.compliance.engine.scanner_tables as scanner_tables
from wanghong.compliance.cli import app
from wanghong.compliance.engine import LibraryError, Scanner, ViolationLibrary, load_library
from wanghong.compliance.engine.classifier import load_claims, shipped_classifier
from wanghong.compliance.engine.compiled import CompiledCache, code_key, content_key, lexicon_key
from wanghong.compliance.engine.normalize import FOLD_TABLES
from wanghong.compliance.engine.phonetic import SYLLABLE_TABLES, Phonetics, _readings
from wanghong.compliance.engine.reviewer import sentence_spans
from wanghong.compliance.engine.shared import ProcessTable

DATA = Path(__file__).parent / "data"


def _corpus() -> list[str]:
    texts = [json.loads(line)["text"] for path in sorted(DATA.glob("*.jsonl")) for line in path.open(encoding="utf-8")]
    # Latin spellings, repeats, expanding code points and identifiers take the scanner's other paths.
    return [*texts, "zui好的 zuihao", "最最最好", "ＶＸ私聊 vx: abc123", "㍿ﬁ⑽最好", "", "3c64334c", "加wei信zh好"]


@pytest.fixture(scope="module")
def _compiled_once(tmp_path_factory: pytest.TempPathFactory, library: ViolationLibrary) -> Path:
    directory = tmp_path_factory.mktemp("compiled")
    CompiledCache(directory).scanner(library)
    return directory


@pytest.fixture
def warm(_compiled_once: Path, tmp_path: Path) -> Path:
    """A cache directory of its own for the test, holding the tables and the shipped library's lexicon."""
    return Path(shutil.copytree(_compiled_once, tmp_path / "warm"))


def _never_compile(*_args: object, **_kwargs: object) -> None:
    raise AssertionError("the lexicon was compiled although the cache holds it")


def test_cached_scanner_scans_exactly_as_a_fresh_one(
    warm: Path, scanner: Scanner, library: ViolationLibrary, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = _corpus()
    assert sorted(p.name.split("-")[0] for p in warm.glob("*.pickle")) == ["lexicon", "tables"]
    monkeypatch.setattr(scanner_tables, "compile_lexicon", _never_compile)
    cached = CompiledCache(warm).scanner(library)
    assert cached.compiled == scanner.compiled
    expected = [scanner.scan(t) for t in texts]
    assert [cached.scan(t) for t in texts] == expected
    assert cached.scan_many(texts) == expected


def test_cached_tables_equal_the_built_ones(warm: Path, scanner: Scanner) -> None:
    cache = CompiledCache(warm)
    assert not cache.install_tables()  # this process built its tables already: they are never swapped
    payload = cache._load("tables", code_key())
    fold_table, fold_array, syllable_code, initial_code, syllable_array = payload
    built_table, built_array = FOLD_TABLES()
    assert fold_table == built_table and np.array_equal(fold_array, built_array)
    assert (syllable_code, initial_code) == SYLLABLE_TABLES()[:2]
    assert np.array_equal(syllable_array, SYLLABLE_TABLES()[2])


def test_a_corrupt_stale_or_foreign_file_is_passed_over(
    warm: Path, scanner: Scanner, library: ViolationLibrary
) -> None:
    tmp_path = warm
    texts = _corpus()[::7]
    expected = [scanner.scan(t) for t in texts]
    (lexicon,) = tmp_path.glob("lexicon-*.pickle")

    lexicon.write_bytes(b"\x80\x05 not a pickle")
    assert [CompiledCache(tmp_path).scanner(library).scan(t) for t in texts] == expected
    assert pickle.loads(lexicon.read_bytes())[1] == scanner.compiled  # rebuilt and written again

    key = lexicon_key(content_key(library), phonetic=True)
    lexicon.write_bytes(pickle.dumps(("another key", scanner.compiled)))
    assert CompiledCache(tmp_path)._load("lexicon", key) is None
    assert [CompiledCache(tmp_path).scanner(library).scan(t) for t in texts] == expected

    lexicon.chmod(0o666)  # writable by others: never unpickled
    assert CompiledCache(tmp_path)._load("lexicon", key) is None
    lexicon.chmod(0o600)
    assert CompiledCache(tmp_path)._load("lexicon", key) == scanner.compiled


def test_an_unwritable_directory_only_costs_the_build(
    tmp_path: Path, scanner: Scanner, library: ViolationLibrary
) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x")
    cache = CompiledCache(blocker / "cache")
    assert not cache._store("lexicon", "k" * 64, {"any": 1}, keep=1)
    texts = _corpus()[::11]
    assert [cache.scanner(library).scan(t) for t in texts] == [scanner.scan(t) for t in texts]


def test_another_library_gets_its_own_lexicon_and_old_ones_are_pruned(warm: Path, library: ViolationLibrary) -> None:
    cache = CompiledCache(warm)
    edited = library.add_entry(
        {
            "id": "TST-901",
            "term": "咕噜星",
            "category": "absolute",
            "severity": "high",
            "article": "《广告法》第九条第三项",
            "explanation": "测试词条",
        }
    )
    assert content_key(edited) != content_key(library)
    assert cache.scanner(edited).scan("来自咕噜星的面霜").hits[0].entry_id == "TST-901"
    assert not cache.scanner(library).scan("来自咕噜星的面霜").hits
    assert len(list(warm.glob("lexicon-*.pickle"))) == 2
    for number in range(12):
        cache._store("lexicon", f"{number:064d}", number, keep=3)
    assert len(list(warm.glob("lexicon-*.pickle"))) == 3


def test_cached_library_file_loads_as_load_library(tmp_path: Path, library: ViolationLibrary) -> None:
    assert CompiledCache(tmp_path).load_library() == library
    assert len(list(tmp_path.glob("library-*.pickle"))) == 1
    assert CompiledCache(tmp_path).load_library() == library  # from the cache this time

    broken = tmp_path / "broken.json"
    broken.write_text('{"version": 1,\n "entries": [}', encoding="utf-8")
    with pytest.raises(LibraryError) as plain:
        load_library(broken)
    with pytest.raises(LibraryError) as cached:
        CompiledCache(tmp_path).load_library(broken)
    assert str(cached.value) == str(plain.value) and "line 2" in str(plain.value)
    with pytest.raises(LibraryError, match="cannot read library"):
        CompiledCache(tmp_path).load_library(tmp_path / "missing.json")
    assert len(list(tmp_path.glob("library-*.pickle"))) == 1  # a refused file is never cached

    crlf = tmp_path / "crlf.json"
    crlf.write_bytes(json.dumps(library.to_dict(), ensure_ascii=False, indent=1).replace("\n", "\r\n").encode())
    assert CompiledCache(tmp_path).load_library(crlf) == load_library(crlf) == library


def test_cli_output_is_the_same_from_a_cold_and_a_warm_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    lines = "\n".join(_corpus()[:400]) + "\n"
    runner = CliRunner()
    cold = runner.invoke(app, ["scan", "-"], input=lines)
    directory = tmp_path / "wanghong" / "compliance"
    assert sorted(p.name.split("-")[0] for p in directory.glob("*.pickle")) == ["lexicon", "library", "tables"]
    warm = runner.invoke(app, ["scan", "-"], input=lines)
    assert cold.exit_code == warm.exit_code == 0
    assert warm.stdout == cold.stdout and len(cold.stdout.splitlines()) == 400


def test_a_warm_process_starts_without_pypinyin_opencc_or_scipy(tmp_path: Path) -> None:
    """What makes a one-line scan quick: the second run loads the compiled tables instead of building them."""
    program = (
        "import sys; from wanghong.cli import app; sys.argv = ['wanghong', 'compliance', 'scan', '-']\n"
        "try:\n    app()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('pypinyin', 'opencc', 'scipy') if m in sys.modules), file=sys.stderr)"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    runs = [
        subprocess.run(
            [sys.executable, "-c", program], input="最好\n", capture_output=True, text=True, env=env, check=True
        )
        for _ in range(2)
    ]
    assert runs[0].stdout == runs[1].stdout
    assert json.loads(runs[1].stdout)["verdict"] == "block"
    assert "pypinyin" in runs[0].stderr  # the first run built the tables
    assert runs[1].stderr.strip().splitlines()[-1] == "[]"


def test_phonetic_translate_table_is_the_reading_table() -> None:
    """The string path's table is derived from the syllable array, so that scanning never loads pypinyin."""
    syllable_code = SYLLABLE_TABLES()[0]
    expected = {ord(ch): syllable_code[readings[0]] for ch, readings in _readings().items()}
    assert Phonetics().table == expected


def test_process_table_is_built_once_and_never_swapped() -> None:
    builds: list[int] = []
    table = ProcessTable("test", lambda: builds.append(1) or len(builds))
    assert table.install(42) and table() == 42 and not builds
    assert not table.install(7) and table() == 42
    fresh = ProcessTable("test", lambda: builds.append(1) or len(builds))
    assert fresh() == 1 and fresh() == 1 and not fresh.install(9) and builds == [1]


def test_classifier_probabilities_equal_the_sparse_product_bit_for_bit(scanner: Scanner) -> None:
    """probabilities() sums the features as scipy's CSR product does, in the same order and type."""
    classifier = shipped_classifier(scanner.normalizer.fold)
    texts = [row.text for row in load_claims()[::5]]
    transcript = "，".join(texts[:60])
    texts += [transcript[a:b] for a, b in sentence_spans(transcript)] + ["", "ＡＢ  c"]
    features = classifier._fitted_features().transform(classifier._fold_many(texts))
    scores = np.asarray(features @ classifier._coef.T) + classifier._intercept
    scores -= scores.max(axis=1, keepdims=True)
    np.exp(scores, out=scores)
    scores /= scores.sum(axis=1, keepdims=True)
    np.testing.assert_array_equal(classifier.probabilities(texts), scores)
