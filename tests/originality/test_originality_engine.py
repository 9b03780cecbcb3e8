from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from tests.fixtures.titlegen import iter_corpus

from wanghong.originality.engine.attribution import AttributionGraph, ConfirmedPair
from wanghong.originality.engine.errors import OriginalityInputError
from wanghong.originality.engine.lsh import BandIndex, band_keys, optimal_bands
from wanghong.originality.engine.minhash import MinHasher, jaccard_pairs, shingle_batch
from wanghong.originality.engine.normalize import (
    SynonymTableError,
    normalize,
    normalize_batch,
    parse_synonyms,
    synonym_table,
)
from wanghong.originality.engine.text_index import TextItem, TextNearDupIndex

T0 = datetime(2024, 5, 1, tzinfo=UTC)


def item(content_id: str, text: str, minutes: int = 0) -> TextItem:
    return TextItem(content_id, text, T0 + timedelta(minutes=minutes))


def test_normalize_folds_script_width_tags_emoji_and_repost_markers() -> None:
    assert normalize("【转】平價替代！９９塊的維生素C 🔥 #好物分享 @小助手", synonyms=False) == "平价替代99元的维生素c"
    # Spaces survive only between letters; emoji inside a word no longer split it.
    assert normalize("合集｜iPhone 15 开箱 搬运") == "iphone15开箱"
    assert normalize("new york 开 🔥 箱 2 1天") == "new york开箱21天"
    # A marker glued to other characters is part of the title.
    assert normalize("转运珠推荐", synonyms=False) == "转运珠推荐"
    assert normalize_batch(["a\nb", "c"]) == ["a b", "c"]


def test_synonyms_fold_to_one_canonical_form() -> None:
    assert normalize("【转】平價替代！９９塊的維生素C") == "平替99元的维生素c"
    # Leftmost-longest: 值不值得 is one entry, not 值不值 + 得.
    assert normalize("超级美味，到底值不值得？") == normalize("特别好吃 到底值不值")
    assert normalize("攻略分享") == normalize("教程推荐") == "教程推荐"


def test_synonym_table_rules_are_enforced() -> None:
    assert len(synonym_table()) > 150
    for bad, fragment in (
        ("好\t棒 赞", "single"),
        ("非常\t特别\n超级\t特别", "twice"),
        ("非常\t特别\n特别\t格外", "canonical"),
        ("非常", "expected"),
    ):
        with pytest.raises(SynonymTableError, match=fragment):
            parse_synonyms(bad)


def test_shingles_are_unit_bigrams_with_words_as_one_unit() -> None:
    shingles = shingle_batch(["iphone15 开箱", "开箱", "", "好"])
    assert shingles.sizes.tolist() == [2, 1, 0, 1]
    for i in range(len(shingles)):
        values = shingles.of(i)
        assert np.all(np.diff(values.astype(np.int64)) > 0)  # sorted, unique


def test_jaccard_pairs_matches_python_sets() -> None:
    texts = [t for _, t, _ in iter_corpus(300, seed=3)]
    shingles = shingle_batch(normalize_batch(texts), with_units=True)
    rng = np.random.default_rng(0)
    a = rng.integers(0, 300, 200)
    b = rng.integers(0, 300, 200)
    got = jaccard_pairs(shingles, a, shingles, b)
    for k in range(200):
        sa, sb = set(shingles.of(a[k]).tolist()), set(shingles.of(b[k]).tolist())
        assert got[k] == pytest.approx(len(sa & sb) / len(sa | sb))
    weights = np.ones(1 << 22)
    assert np.allclose(jaccard_pairs(shingles, a, shingles, b, weights), got)


def test_minhash_estimates_jaccard() -> None:
    texts = [t for _, t, _ in iter_corpus(400, seed=5, copy_rate=0.5)]
    shingles = shingle_batch(normalize_batch(texts))
    signatures = MinHasher(num_perm=256, seed=2).signatures(shingles)
    rows = np.arange(399)
    exact = jaccard_pairs(shingles, rows, shingles, rows + 1)
    estimate = (signatures[:-1] == signatures[1:]).mean(axis=1)
    assert np.abs(estimate - exact).mean() < 0.03
    assert np.corrcoef(estimate, exact)[0, 1] > 0.95


def test_band_index_matches_brute_force_band_collisions() -> None:
    rng = np.random.default_rng(1)
    signatures = rng.integers(0, 4, size=(300, 8), dtype=np.uint32)  # small alphabet: many collisions
    keys = band_keys(signatures, bands=4, rows=2)
    index = BandIndex(4)
    index.add(keys[:100], np.arange(100))
    index.add(keys[100:200], np.arange(100, 200))  # triggers a segment merge
    q, docs = index.query(keys[200:])
    got = set(zip((q + 200).tolist(), docs.tolist(), strict=True))
    expected = {(i, j) for i in range(200, 300) for j in range(200) if np.any(keys[i] == keys[j])}
    assert got == expected
    a, b = BandIndex.self_pairs(keys[:150])
    expected_self = {(i, j) for i in range(150) for j in range(i + 1, 150) if np.any(keys[i] == keys[j])}
    assert set(zip(a.tolist(), b.tolist(), strict=True)) == expected_self


def test_optimal_bands_agrees_with_datasketch() -> None:
    lsh = pytest.importorskip("datasketch.lsh")
    assert optimal_bands(0.55, 128) == lsh._optimal_param(0.55, 128, 0.5, 0.5)


def test_index_finds_copies_across_and_within_batches() -> None:
    index = TextNearDupIndex()
    first = index.add_batch(
        [item("a", "iPhone15开箱测评，颜值高到底值不值？"), item("b", "用了7天的空气炸锅，说说真实感受")]
    )
    assert first == []
    pairs = index.add_batch(
        [
            item("c", "【搬运】iPhone15開箱測評 颜值高到底值不值 #开箱 🔥", 5),
            item("d", "#好物 用了7天的空气炸锅!!说说真实感受", 6),
            item("e", "用了7天的空气炸锅!!说说真实感受～", 7),
            item("f", "华为Mate60开箱测评，颜值高到底值不值？", 8),
        ]
    )
    found = {(p.a, p.b) for p in pairs}
    # d and e normalise to b's exact text, so they pair with b directly.
    assert found == {("a", "c"), ("b", "d"), ("b", "e")}
    matches = index.query(["iPhone15 开箱测评 颜值高到底值不值"])[0]
    assert {m.id for m in matches} == {"a", "c"}
    assert {m.id for m in index.query(["用了7天的空气炸锅 说说真实感受"])[0]} == {"b", "d", "e"}


def test_bad_batch_leaves_index_untouched() -> None:
    index = TextNearDupIndex()
    index.add_batch([item("a", "这个粉底液绝了！学生党闭眼入")])
    before = (len(index), index.query(["这个粉底液绝了！学生党闭眼入"]))
    for bad in (
        [item("x", "新标题"), item("a", "重复的 id")],
        [item("y", "新标题"), item("z", "   ")],
        [item("y", "新标题"), TextItem("w", "无时区", datetime(2024, 1, 1))],
    ):
        with pytest.raises(OriginalityInputError) as error:
            index.add_batch(bad)
        assert error.value.position == 1
    assert (len(index), index.query(["这个粉底液绝了！学生党闭眼入"])) == before
    assert "x" not in index and "y" not in index


def test_attribution_picks_earliest_then_smallest_id() -> None:
    graph = AttributionGraph()
    graph.add("late", T0 + timedelta(days=2))
    graph.add("b", T0)
    graph.add("a", T0)
    graph.add("alone", T0 - timedelta(days=1))
    graph.link_all([ConfirmedPair("late", "b", 0.9, "test"), ConfirmedPair("b", "a", 1.0, "test")])
    clusters = list(graph.clusters())
    assert len(clusters) == 1
    assert clusters[0].original == "a" and clusters[0].copies == ("b", "late")
    assert graph.original_of("late") == "a" and graph.original_of("alone") == "alone"
    with pytest.raises(OriginalityInputError):
        graph.add("a", T0)
