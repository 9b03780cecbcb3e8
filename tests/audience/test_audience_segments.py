"""人群: rule tags on a planted audience, clusters described by TGI (planted and KuaiRand), creator composition."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp

from wanghong.audience.engine import (
    RULE_SEGMENTS,
    BehaviourEmbedding,
    RuleSegment,
    ViewerProfile,
    assign_rule_segments,
    audience_composition,
    bm25_weight,
    discover_segments,
    interaction_matrix,
    interest_shares,
    over_indexes,
)
from wanghong.audience.engine.kuairand import discovery_features, load_users
from wanghong.domain import AgeBand, Category, Gender
from wanghong.simulator.engine.audience import PlantedAudience, planted_audience
from wanghong.simulator.engine.tables import SEGMENTS

KUAIRAND = (
    Path(__file__).resolve().parents[2].parent / "shared" / "data" / "audience" / "kuairand_pure_user_features.csv"
)


@pytest.fixture(scope="module")
def audience() -> PlantedAudience:
    return planted_audience(6_000, n_items=600, events_per_viewer=20, seed=8)


@pytest.fixture(scope="module")
def profile(audience: PlantedAudience) -> ViewerProfile:
    category = audience.item_category[audience.event_item]
    shares = interest_shares(audience.event_viewer, category, audience.event_weight, audience.n_viewers)
    return ViewerProfile(audience.gender, audience.age_band, audience.city_tier, shares)


def test_interest_shares_are_weighted_and_sum_to_one() -> None:
    shares = interest_shares(np.array([0, 0, 0, 2]), np.array([0, 0, 4, 1]), np.array([1.0, 1.0, 2.0, 1.0]), 3)
    assert shares[0, 0] == pytest.approx(0.5) and shares[0, 4] == pytest.approx(0.5)
    assert shares[1].sum() == 0  # a viewer with no behaviour has no shares, not NaN
    assert shares[2, 1] == pytest.approx(1.0)


def test_a_rule_needs_every_condition() -> None:
    interest = np.zeros((3, len(Category)))
    interest[:, list(Category).index(Category.MOTHER_BABY)] = [0.5, 0.05, 0.5]
    profile = ViewerProfile(
        gender=np.array([0, 0, 1]), age_band=np.array([2, 2, 2]), city_tier=np.array([0, 0, 0]), interest=interest
    )
    rule = RuleSegment(
        "m", "宝妈", "mothers", genders=(Gender.FEMALE,), age_bands=(AgeBand.AGE_25_30,),
        interests=(Category.MOTHER_BABY,), min_share=0.15,
    )  # fmt: skip
    assert rule.members(profile).tolist() == [True, False, False]


def test_rule_tags_find_their_planted_segment(audience: PlantedAudience, profile: ViewerProfile) -> None:
    membership = assign_rule_segments(profile)
    assert membership.shape == (audience.n_viewers, len(RULE_SEGMENTS))
    lifts = {}
    for column, rule in enumerate(RULE_SEGMENTS):
        planted = [code for code, segment in enumerate(SEGMENTS) if segment.value == rule.key]
        if not planted:
            continue
        tagged = membership[:, column]
        prevalence = (audience.segment == planted[0]).mean()
        lifts[rule.key] = (audience.segment[tagged] == planted[0]).mean() / prevalence
    assert len(lifts) == len(SEGMENTS)  # every planted segment has its rule
    # every tag raises the odds of its planted segment; attribute-only ones (小镇青年: age and city) the least
    assert min(lifts.values()) > 1.5, lifts
    assert np.median(list(lifts.values())) > 3, lifts


def test_over_indexes_rank_by_tgi_and_skip_rare_indicators() -> None:
    indicators = np.array([[1, 1, 0], [1, 0, 0], [0, 0, 0], [0, 0, 1]] * 25, dtype=bool)
    members = np.tile([True, True, False, False], 25)
    found = over_indexes(indicators, members, ["a", "b", "c"])
    assert [o.indicator for o in found] == ["a", "b"]  # c never occurs among members
    assert found[0].tgi == pytest.approx(200.0) and found[0].share == pytest.approx(1.0)
    assert over_indexes(indicators, members, ["a", "b", "c"], min_support=0.6)[0].indicator == "a"


def test_clusters_of_behaviour_over_index_on_the_planted_niches(audience: PlantedAudience) -> None:
    counts = interaction_matrix(
        audience.event_viewer, audience.event_item, audience.event_weight, audience.n_viewers, audience.n_items
    )
    weighted = bm25_weight(counts)
    points = BehaviourEmbedding.fit(weighted, dims=32).transform(weighted)
    category = audience.item_category[audience.event_item]
    shares = interest_shares(audience.event_viewer, category, None, audience.n_viewers)
    heavy = sp.csr_matrix(shares >= 0.2)  # "leans on category X"
    discovery = discover_segments(points, heavy, [c.value for c in Category], clusters=7)
    assert sum(s.size for s in discovery.segments) == audience.n_viewers
    # purity: most clusters are dominated by one planted segment, far above its platform share
    purities = [np.bincount(audience.segment[discovery.labels == s.label]).max() / s.size for s in discovery.segments]
    assert np.median(purities) > 0.5, purities
    described = {o.indicator for s in discovery.segments for o in s.over_indexes[:1]}
    assert {"agriculture", "mother_baby"} <= described
    assert all(o.tgi > 100 for s in discovery.segments for o in s.over_indexes[:1])


def test_creator_composition_counts_viewers_once_with_tgi() -> None:
    membership = np.array([[True], [False], [False], [False]])  # platform share 25%
    viewer = np.array([0, 0, 0, 1, 2, 3])
    creator = np.array([0, 0, 1, 0, 1, 1])
    composition = audience_composition(viewer, creator, membership, n_creators=3)
    assert composition.sample_size.tolist() == [2, 3, 0]
    assert composition.share[:, 0].tolist() == pytest.approx([0.5, 1 / 3, 0.0])
    assert composition.tgi[:, 0].tolist() == pytest.approx([200.0, 400 / 3, 0.0])
    assert not composition.reliable.any()  # two or three viewers are no persona


@pytest.mark.skipif(not KUAIRAND.is_file(), reason=f"KuaiRand-Pure user features not found at {KUAIRAND}")
def test_kuairand_users_fall_into_described_segments() -> None:
    users = load_users(KUAIRAND)
    points, indicators, names = discovery_features(users)
    discovery = discover_segments(points, indicators, names, clusters=6)
    assert sum(s.size for s in discovery.segments) == len(users) == 27_285
    for segment in discovery.segments:
        assert segment.over_indexes and segment.over_indexes[0].tgi > 150  # each cluster stands out on something
    leads = {s.over_indexes[0].indicator.split("=")[0] for s in discovery.segments}
    assert len(leads) >= 2  # not one attribute sliced six ways
