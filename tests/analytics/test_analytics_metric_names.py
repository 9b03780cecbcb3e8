"""指标说明 reaches the API: the fields that carry a defined figure describe it from its one definition (names, unit,
estimate, formula), and a page label marks an estimate in either language."""

from __future__ import annotations

from fastapi.testclient import TestClient

from wanghong.analytics.metrics import METRICS, column_labels, described


def test_api_fields_describe_their_figure_from_its_one_definition(app_client: TestClient) -> None:
    schemas = app_client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    fields = {
        ("ComplaintRateOut", "complaint_rate"): "complaint_rate",
        ("ComplaintRateOut", "refund_rate"): "refund_rate",
        ("GmvOut", "reported"): "gmv_all",
        ("GmvOut", "flagged"): "gmv_flagged",
        ("GmvOut", "adjusted"): "gmv_adjusted",
    }
    for (schema, field), key in fields.items():
        assert schemas[schema]["properties"][field]["description"] == described(key), (schema, field)
    # A rate travels as a share and says so; an estimate says it is one.
    assert "a share in [0, 1]" in described("complaint_rate") and "estimate" not in described("complaint_rate")
    assert "an estimate" in described("gmv_flagged") and METRICS["gmv_flagged"].formula_en in described("gmv_flagged")


def test_labels_mark_estimates_and_english_headers_cover_every_column() -> None:
    for metric in METRICS.values():
        english, chinese = metric.label("en"), metric.label("zh", unit=True)
        assert english.startswith(metric.en) and chinese.startswith(metric.zh)
        assert ("estimate" in english) is metric.estimate and ("预估" in chinese) is metric.estimate, metric.key
    assert column_labels("en").keys() == column_labels().keys()
    assert column_labels("en")["views"] == "Views" and column_labels()["views"] == "观看人次（次）"
