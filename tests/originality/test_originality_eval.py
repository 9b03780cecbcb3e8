from importlib import resources

from wanghong.engines.originality.evaluation import evaluate, load_eval_rows
from wanghong.engines.originality.text_index import DEFAULT_THRESHOLD
from wanghong.engines.originality.titlegen import generate

# Measured on the full shipped set at the default threshold: overall pairwise F1 0.935
# (precision 0.983, recall 0.890); the goal of 0.95 is not reached, synonym edits
# (recall ≈ 0.4) being the gap. This floor guards against regressions.
F1_FLOOR = 0.93


def test_full_labelled_set_meets_f1_floor() -> None:
    report = evaluate(load_eval_rows(), DEFAULT_THRESHOLD)
    assert report.overall.f1 >= F1_FLOOR
    assert report.overall.precision >= 0.97
    for edit in ("hashtag", "emoji", "punctuation", "prefix_suffix", "traditional", "reorder"):
        assert report.by_edit[edit].recall >= 0.9, edit
    merged, total = report.negative_merge_rate["same_template_other_product"]
    assert merged / total < 0.02


def test_shipped_set_is_reproducible_from_its_seed() -> None:
    shipped = resources.files("wanghong.engines.originality.data").joinpath("titles_eval.jsonl").read_text("utf-8")
    regenerated = "".join(row.to_json() + "\n" for row in generate(1500, 20240601))
    assert regenerated == shipped
