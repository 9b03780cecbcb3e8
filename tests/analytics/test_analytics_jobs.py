"""Each job's numbers on the tiny world, worked out by hand (DuckDB, the default engine)."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from tests.analytics.conftest import D1, D2, D9

from wanghong.analytics.engine.backends import AnalyticsError, Backend, Window
from wanghong.analytics.engine.catalog import JOB_TITLES
from wanghong.analytics.engine.jobs import JOBS, run_job
from wanghong.analytics.engine.store import EventStore


@pytest.fixture(scope="module")
def duck() -> Backend:
    return Backend("duckdb")


def rows(frame: pd.DataFrame, keys: list[str]) -> dict[tuple, dict]:
    return {tuple(r[k] for k in keys): r for r in frame.to_dict("records")}


def test_creator_daily(duck: Backend, tiny_store: EventStore) -> None:
    got = rows(run_job("creator_daily", duck, tiny_store), ["day", "creator_id"])
    assert set(got) == {(D1, 1), (D1, 2), (D2, 1), (D2, 3), (D9, 1)}
    c1 = got[(D1, 1)]
    assert (c1["events"], c1["unique_viewers"], c1["views"], c1["likes"]) == (3, 2, 2, 1)
    assert (c1["orders"], c1["units"], c1["gmv_cents"]) == (2, 2, 17_000)  # orders 1 and 5
    c2 = got[(D1, 2)]
    # Two people commented and tipped but nobody viewed: unique viewers are people who viewed (analytics.metrics).
    assert (c2["events"], c2["unique_viewers"], c2["comments"], c2["tips"], c2["tip_cents"]) == (3, 0, 1, 2, 2_000)
    assert all(r["unique_viewers"] <= r["views"] for r in got.values())
    assert (c2["orders"], c2["units"], c2["gmv_cents"]) == (2, 5, 50_001)
    # The 00:30 China-time share belongs to D2 although it is D1 in UTC.
    assert (got[(D2, 1)]["events"], got[(D2, 1)]["shares"], got[(D2, 1)]["orders"]) == (1, 1, 0)
    c3 = got[(D2, 3)]
    assert (c3["events"], c3["views"], c3["tips"], c3["tip_cents"], c3["gmv_cents"]) == (2, 1, 1, 10_000, 5_000)
    # A day with sales but no behaviour still appears (outer join), with zero engagement.
    assert (got[(D9, 1)]["events"], got[(D9, 1)]["orders"], got[(D9, 1)]["gmv_cents"]) == (0, 1, 8_000)


def test_creator_daily_window(duck: Backend, tiny_store: EventStore) -> None:
    frame = run_job("creator_daily", duck, tiny_store, Window(since=D2, until=D2))
    assert sorted(frame["creator_id"]) == [1, 3]
    assert set(frame["day"]) == {D2}


def test_livestream_kpis(duck: Backend, tiny_store: EventStore) -> None:
    got = rows(run_job("livestream", duck, tiny_store), ["livestream_id"])
    s = got[(900,)]
    assert (s["duration_min"], s["unique_viewers"], s["views"]) == (120.0, 1000, 1500)
    assert (s["peak_viewers"], s["avg_viewers"], s["comments"], s["tip_cents"]) == (300, 200.0, 20, 2_000)
    assert (s["orders"], s["units"], s["buyers"], s["gmv_cents"]) == (2, 5, 2, 50_001)
    assert s["conversion_rate"] == pytest.approx(2 / 1000)
    assert s["uv_value_yuan"] == pytest.approx(500.01 / 1000)
    assert s["gpm_yuan"] == pytest.approx(500.01 / 1500 * 1000)
    quiet = got[(901,)]
    assert (quiet["duration_min"], quiet["peak_viewers"], quiet["avg_viewers"]) == (150.0, 50, 50.0)
    assert (quiet["orders"], quiet["gmv_cents"], quiet["conversion_rate"], quiet["gpm_yuan"]) == (0, 0, 0.0, 0.0)


def test_product_and_brand_daily(duck: Backend, tiny_store: EventStore) -> None:
    products = rows(run_job("product_daily", duck, tiny_store), ["day", "product_id"])
    p = products[(D1, 1000)]
    assert (p["orders"], p["units"], p["gmv_cents"], p["buyers"], p["creators"]) == (4, 7, 67_001, 3, 2)
    assert products[(D2, 1001)]["gmv_cents"] == 5_000
    brands = rows(run_job("brand_daily", duck, tiny_store), ["day", "brand_id"])
    b = brands[(D1, 100)]
    assert (b["orders"], b["units"], b["gmv_cents"], b["buyers"], b["products"], b["creators"]) == (
        4,
        7,
        67_001,
        3,
        1,
        2,
    )
    assert [brands[(d, 100)]["gmv_cents"] for d in (D2, D9)] == [5_000, 8_000]


def _decay(hours: float) -> float:
    return 0.5 ** (hours / 24)


def test_campaign_roi_attribution(duck: Backend, tiny_store: EventStore) -> None:
    (c,) = run_job("campaign_roi", duck, tiny_store).to_dict("records")
    assert (c["campaign_id"], c["brand_id"], c["budget_cents"]) == (500, 100, 200_000)
    assert (c["collaborations_live"], c["fee_cents"]) == (2, 150_000)
    # Last touch: order 1 → 7001 (only its content was live); orders 2 and 3 → 7002, whose content and
    # session at 20:00 are later than 7001's 10:00.  Order 5 predates every touch, order 6 is 8 days late.
    assert (c["last_touch_orders"], c["last_touch_gmv_cents"]) == (3, 60_001)
    lt_commission = round(10_000 * 0.20) + round(50_001 * 0.10)
    assert c["last_touch_commission_cents"] == lt_commission
    assert c["last_touch_roi"] == pytest.approx(60_001 / (150_000 + lt_commission))
    # Time decay: 7001's touch is 10.5 h and 11 h old at orders 2 and 3; 7002 has two touches (content and
    # session) 0.5 h and 1 h old.
    credit_7001, credit_7002 = 10_000, 0
    for amount, old, new in ((30_001, 10.5, 0.5), (20_000, 11.0, 1.0)):
        w1, w2 = _decay(old), 2 * _decay(new)
        credit_7001 += round(amount * w1 / (w1 + w2))
        credit_7002 += round(amount * w2 / (w1 + w2))
    assert c["time_decay_gmv_cents"] == credit_7001 + credit_7002
    td_commission = round(credit_7001 * 0.2) + round(credit_7002 * 0.1)
    assert c["time_decay_commission_cents"] == td_commission
    assert c["time_decay_roi"] == pytest.approx((credit_7001 + credit_7002) / (150_000 + td_commission))
    assert credit_7001 > 10_000  # the older touch still earns a share under time decay


def test_campaign_roi_window_without_live_content(duck: Backend, tiny_store: EventStore) -> None:
    (c,) = run_job("campaign_roi", duck, tiny_store, Window(since=D9, until=D9)).to_dict("records")
    assert (c["collaborations_live"], c["fee_cents"], c["last_touch_orders"], c["time_decay_gmv_cents"]) == (0, 0, 0, 0)
    assert math.isnan(c["last_touch_roi"])  # no spend: ROI is undefined, not zero


def test_tip_income_by_tier(duck: Backend, tiny_store: EventStore) -> None:
    got = rows(run_job("tip_by_tier", duck, tiny_store), ["follower_tier"])
    assert set(got) == {("nano",), ("micro",), ("mid",), ("head",)}
    micro, mid, head = got[("micro",)], got[("mid",)], got[("head",)]
    assert (micro["tips"], micro["tip_cents"], micro["tippers"], micro["tipping_creators"]) == (2, 2_000, 2, 1)
    assert (mid["tips"], mid["tip_cents"], mid["tippers"]) == (1, 10_000, 1)
    assert mid["share_of_tips"] == pytest.approx(10_000 / 12_000)
    assert micro["share_of_tips"] == pytest.approx(2_000 / 12_000)
    assert (head["creators"], head["tip_cents"], head["share_of_tips"], head["tip_cents_per_creator"]) == (1, 0, 0, 0)


def test_mcn_share_and_concentration(duck: Backend, tiny_store: EventStore) -> None:
    week1, week2 = D1, D9 - pd.Timedelta(days=1).to_pytimedelta()  # Mondays
    share = rows(run_job("mcn_share", duck, tiny_store), ["week_start", "mcn_id"])
    assert set(share) == {(week1, 10), (week1, 20), (week2, 10)}  # creator 4 is independent: not in the market
    m10, m20 = share[(week1, 10)], share[(week1, 20)]
    assert (m10["orders"], m10["gmv_cents"], m10["creators"], m10["rank"]) == (4, 67_001, 2, 1)
    assert (m20["gmv_cents"], m20["rank"], m20["market_gmv_cents"]) == (5_000, 2, 72_001)
    assert m10["share"] == pytest.approx(67_001 / 72_001)
    conc = rows(run_job("mcn_concentration", duck, tiny_store), ["week_start"])
    w1 = conc[(week1,)]
    assert (w1["mcns"], w1["market_gmv_cents"], w1["cr5"]) == (2, 72_001, 1.0)
    assert w1["hhi"] == round(((67_001 / 72_001) ** 2 + (5_000 / 72_001) ** 2) * 10_000, 2)
    assert (conc[(week2,)]["hhi"], conc[(week2,)]["cr5"]) == (10_000.0, 1.0)


def test_bad_requests_are_explained(duck: Backend, tiny_store: EventStore) -> None:
    with pytest.raises(AnalyticsError, match="unknown job"):
        run_job("gmv_everything", duck, tiny_store)
    with pytest.raises(AnalyticsError, match="swap them"):
        Window(since=D2, until=D1)
    with pytest.raises(AnalyticsError, match="unknown engine"):
        Backend("oracle")


def test_jobs_on_an_empty_store(duck: Backend, tmp_path) -> None:
    empty = EventStore(tmp_path / "nothing")
    assert run_job("creator_daily", duck, empty).empty
    assert run_job("campaign_roi", duck, empty).empty


def test_every_job_is_in_the_catalogue_the_cli_lists() -> None:
    assert list(JOBS) == list(JOB_TITLES)
    assert all(job.title == JOB_TITLES[name] for name, job in JOBS.items())
