"""Shapes, determinism and internal consistency of generated ecosystems."""

from __future__ import annotations

from dataclasses import fields

import numpy as np
import pytest

from wanghong.domain import CollaborationStatus, ViewerAction, follower_tier
from wanghong.simulator.engine import (
    STEPS,
    Ecosystem,
    InvalidSimulationConfig,
    SimulationConfig,
    generate_ecosystem,
    reference_end_date,
)
from wanghong.simulator.engine.tables import (
    AGE_BANDS,
    CATEGORIES,
    CITY_TIERS,
    COLLABORATION_STATUSES,
    FOLLOWER_TIERS,
    GENDERS,
    SEGMENTS,
    VIEWER_ACTIONS,
    code_of,
)

# (table, column) -> table it references; -1 allowed only where the column is optional.
FOREIGN_KEYS: list[tuple[str, str, str, bool]] = [
    ("creators", "mcn_id", "mcns", True),
    ("products", "brand_id", "brands", False),
    ("campaigns", "brand_id", "brands", False),
    ("collaborations", "campaign_id", "campaigns", False),
    ("collaborations", "creator_id", "creators", False),
    ("collaborations", "product_id", "products", False),
    ("videos", "creator_id", "creators", False),
    ("videos", "collaboration_id", "collaborations", True),
    ("livestreams", "creator_id", "creators", False),
    ("livestreams", "collaboration_id", "collaborations", True),
    ("livestream_tips", "livestream_id", "livestreams", False),
    ("livestream_tips", "viewer_id", "viewers", False),
    ("minute_stats", "livestream_id", "livestreams", False),
    ("orders", "viewer_id", "viewers", False),
    ("orders", "creator_id", "creators", False),
    ("orders", "product_id", "products", False),
    ("orders", "collaboration_id", "collaborations", False),
    ("orders", "livestream_id", "livestreams", True),
    ("orders", "video_id", "videos", True),
    ("viewers", "home_creator_id", "creators", False),
    ("behaviour_events", "viewer_id", "viewers", False),
    ("behaviour_events", "creator_id", "creators", False),
    ("behaviour_events", "video_id", "videos", True),
    ("behaviour_events", "livestream_id", "livestreams", True),
]


def _arrays_equal(a: Ecosystem, b: Ecosystem) -> bool:
    for name in a.row_counts():
        ta, tb = getattr(a, name), getattr(b, name)
        for f in fields(ta):
            if not np.array_equal(getattr(ta, f.name), getattr(tb, f.name)):
                return False
    return True


def test_same_seed_gives_identical_ecosystem_and_other_seed_differs() -> None:
    cfg = SimulationConfig(creators=300)
    first, again, other = (generate_ecosystem(cfg, seed=s) for s in (3, 3, 4))
    assert first.period_start == again.period_start
    assert _arrays_equal(first, again)
    assert not _arrays_equal(first, other)


def test_period_ends_on_seed_derived_reference_date(small_ecosystem: Ecosystem) -> None:
    assert small_ecosystem.reference_date == reference_end_date(7)
    assert (small_ecosystem.period_end - small_ecosystem.period_start).days == 90
    assert reference_end_date(7) != reference_end_date(8)


def test_table_shapes(small_ecosystem: Ecosystem) -> None:
    eco = small_ecosystem
    counts = eco.row_counts()
    assert counts["creators"] == counts["personas"] == 1500
    assert all(count > 0 for count in counts.values()), counts
    assert eco.personas.gender.shape == (1500, len(GENDERS))
    assert eco.personas.age_band.shape == (1500, len(AGE_BANDS))
    assert eco.personas.city_tier.shape == (1500, len(CITY_TIERS))
    assert eco.personas.segment.shape == (1500, len(SEGMENTS))
    assert eco.personas.interest.shape == (1500, len(CATEGORIES))


@pytest.mark.parametrize(("table", "column", "target", "optional"), FOREIGN_KEYS)
def test_foreign_keys_point_at_existing_rows(
    small_ecosystem: Ecosystem, table: str, column: str, target: str, optional: bool
) -> None:
    keys = getattr(getattr(small_ecosystem, table), column)
    size = len(getattr(small_ecosystem, target))
    lowest = -1 if optional else 0
    assert keys.min() >= lowest and keys.max() < size


def test_orders_and_content_agree_with_their_collaboration(small_ecosystem: Ecosystem) -> None:
    eco = small_ecosystem
    collab = eco.collaborations
    assert np.array_equal(eco.orders.creator_id, collab.creator_id[eco.orders.collaboration_id])
    assert np.array_equal(eco.orders.product_id, collab.product_id[eco.orders.collaboration_id])
    live = np.isin(
        collab.status,
        [code_of(s, COLLABORATION_STATUSES) for s in (CollaborationStatus.LIVE, CollaborationStatus.SETTLED)],
    )
    assert live[eco.orders.collaboration_id].all()
    in_stream = eco.orders.livestream_id >= 0
    assert np.array_equal(in_stream, eco.orders.video_id < 0)
    stream = eco.orders.livestream_id[in_stream]
    assert np.array_equal(eco.livestreams.creator_id[stream], eco.orders.creator_id[in_stream])
    assert np.array_equal(eco.livestreams.collaboration_id[stream], eco.orders.collaboration_id[in_stream])
    linked = eco.livestreams.collaboration_id >= 0
    assert np.array_equal(
        collab.creator_id[eco.livestreams.collaboration_id[linked]], eco.livestreams.creator_id[linked]
    )


def test_follower_tiers_match_domain_vocabulary(small_ecosystem: Ecosystem) -> None:
    creators = small_ecosystem.creators
    expected = [FOLLOWER_TIERS.index(follower_tier(int(f))) for f in creators.followers]
    assert np.array_equal(creators.follower_tier, np.array(expected))
    # A power law: many more small creators than large ones, and every tier below the top is populated.
    counts = np.bincount(creators.follower_tier, minlength=len(FOLLOWER_TIERS))
    assert counts[0] > counts[1] > counts[2] > counts[3] > 0


def test_persona_distributions_sum_to_one_and_follow_segments(small_ecosystem: Ecosystem) -> None:
    personas = small_ecosystem.personas
    for matrix in (personas.gender, personas.age_band, personas.city_tier, personas.segment, personas.interest):
        assert (matrix >= 0).all()
        np.testing.assert_allclose(matrix.sum(axis=1), 1.0, atol=1e-9)
    primary = small_ecosystem.creators.primary_segment
    mothers = primary == SEGMENTS.index(next(s for s in SEGMENTS if s.value == "young_mothers"))
    farmers = primary == SEGMENTS.index(next(s for s in SEGMENTS if s.value == "new_farmers"))
    silver = primary == SEGMENTS.index(next(s for s in SEGMENTS if s.value == "silver"))
    female = 0
    assert personas.gender[mothers, female].mean() > personas.gender[~mothers, female].mean() + 0.1
    low_tier_cities = [CITY_TIERS.index(c) for c in CITY_TIERS if c.value in ("t3", "t4plus")]
    low_share = personas.city_tier[:, low_tier_cities].sum(axis=1)
    assert low_share[farmers].mean() > low_share[~farmers].mean() + 0.1
    over_50 = AGE_BANDS.index(next(a for a in AGE_BANDS if a.value == "gt50"))
    assert personas.age_band[silver, over_50].mean() > 0.3 > personas.age_band[~silver, over_50].mean()


def test_livestream_aggregates_equal_sums_of_raw_rows(small_ecosystem: Ecosystem) -> None:
    eco = small_ecosystem
    n = len(eco.livestreams)
    tips = np.bincount(eco.livestream_tips.livestream_id, weights=eco.livestream_tips.amount, minlength=n)
    np.testing.assert_allclose(eco.livestreams.tips, tips)
    in_stream = eco.orders.livestream_id >= 0
    gmv = np.bincount(eco.orders.livestream_id[in_stream], weights=eco.orders.amount[in_stream], minlength=n)
    np.testing.assert_allclose(eco.livestreams.gmv, gmv)
    stats = eco.minute_stats
    np.testing.assert_allclose(np.bincount(stats.livestream_id, weights=stats.tips, minlength=n), tips)
    np.testing.assert_allclose(np.bincount(stats.livestream_id, weights=stats.gmv, minlength=n), gmv)
    assert np.array_equal(np.bincount(stats.livestream_id, weights=stats.orders, minlength=n), eco.livestreams.orders)


def test_events_fall_inside_their_session_and_the_period(small_ecosystem: Ecosystem) -> None:
    eco = small_ecosystem
    period = eco.days * 86_400
    ls = eco.livestreams
    ends = ls.started_at + ls.duration_min * 60
    assert (ls.started_at >= 0).all() and (ends <= period).all()
    tip_ls = eco.livestream_tips.livestream_id
    assert (eco.livestream_tips.at >= ls.started_at[tip_ls]).all()
    assert (eco.livestream_tips.at < ends[tip_ls]).all()
    for at in (eco.orders.ordered_at, eco.behaviour_events.at, eco.videos.published_at):
        assert at.min() >= 0 and at.max() < period
    sponsored = eco.videos.collaboration_id >= 0
    assert np.array_equal(
        eco.videos.published_at[sponsored], eco.collaborations.live_at[eco.videos.collaboration_id[sponsored]]
    )


def test_every_tip_has_its_behaviour_event(small_ecosystem: Ecosystem) -> None:
    events = small_ecosystem.behaviour_events
    tip = events.action == VIEWER_ACTIONS.index(ViewerAction.TIP)
    assert tip.sum() == len(small_ecosystem.livestream_tips)
    np.testing.assert_allclose(np.sort(events.value[tip]), np.sort(small_ecosystem.livestream_tips.amount))
    assert (events.value[~tip] == 0).all()


def test_progress_reports_every_step_in_order() -> None:
    seen: list[str] = []
    generate_ecosystem(SimulationConfig(creators=50), seed=1, progress=seen.append)
    assert seen == list(STEPS)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"creators": 3}, "creators must be at least 10"),
        ({"days": 1000}, "days must be between"),
        ({"tip_rate": (0.1, 0.1, 2.0, 0.1, 0.1)}, "tip_rate holds probabilities"),
        ({"follower_alpha": -1.0}, "follower_alpha must be positive"),
    ],
)
def test_bad_config_is_refused_with_a_useful_message(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidSimulationConfig, match=message):
        SimulationConfig(**kwargs)  # type: ignore[arg-type]


def test_negative_seed_is_refused() -> None:
    with pytest.raises(ValueError, match="seed must be a non-negative integer"):
        generate_ecosystem(SimulationConfig(creators=20), seed=-1)
