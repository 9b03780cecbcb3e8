import json
from importlib import resources

from tests.fixtures.titlegen import generate

from wanghong.originality.engine.evaluation import evaluate, load_eval_rows
from wanghong.originality.engine.text_index import DEFAULT_THRESHOLD

# The goal. Measured on the full shipped set at the default threshold: overall pairwise F1
# 0.974 (precision 0.986, recall 0.963) with synonym folding; 0.935 before it.
F1_FLOOR = 0.95


def test_full_labelled_set_meets_f1_floor() -> None:
    report = evaluate(load_eval_rows(), DEFAULT_THRESHOLD)
    assert report.overall.f1 >= F1_FLOOR
    assert report.overall.precision >= 0.97
    for edit in ("hashtag", "emoji", "punctuation", "prefix_suffix", "traditional", "reorder"):
        assert report.by_edit[edit].recall >= 0.9, edit
    merged, total = report.negative_merge_rate["same_template_other_product"]
    assert merged / total < 0.02


def test_f1_holds_on_a_freshly_generated_set() -> None:
    # Another seed draws other templates, products and edits: guards against tuning to one sample.
    rows = [json.loads(row.to_json()) for row in generate(400, 99)]
    assert evaluate(rows, DEFAULT_THRESHOLD).overall.f1 >= F1_FLOOR


def test_synonym_folding_is_what_lifts_synonym_recall() -> None:
    rows = load_eval_rows(limit=600)
    with_folding = evaluate(rows, DEFAULT_THRESHOLD).by_edit["synonym"].recall
    without = evaluate(rows, DEFAULT_THRESHOLD, synonyms=False).by_edit["synonym"].recall
    assert with_folding > without + 0.2


def test_shipped_set_is_reproducible_from_its_seed() -> None:
    shipped = resources.files("wanghong.originality.engine.data").joinpath("titles_eval.jsonl").read_text("utf-8")
    regenerated = "".join(row.to_json() + "\n" for row in generate(1500, 20240601))
    assert regenerated == shipped
