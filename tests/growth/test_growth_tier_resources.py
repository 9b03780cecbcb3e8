"""星火计划 resources wired into the engines: the 专属流量包 exposure boost the fair allocator honours inside its
Gini target, and 品牌优先合作权 in 选品中心's ranking."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from sqlalchemy import select, update
from tests.fixtures.world import World

from wanghong.accounts.models import User
from wanghong.accounts.principal import Principal
from wanghong.commerce.models import Mcn
from wanghong.config import Settings
from wanghong.domain import McnTier
from wanghong.growth import grades
from wanghong.kit.db.session import Database
from wanghong.traffic.engine import FairAllocator, TrafficInputError, gini
from wanghong.traffic.engine.allocator import MAX_EXPOSURE_BOOST
from wanghong.traffic.service import Candidate, TrafficService

N, K, REQUESTS = 300, 10, 6000


def stream(target: float, boost: np.ndarray | None) -> np.ndarray:
    """Exposure (slots) per creator after a seeded stream of requests over every creator."""
    rng = np.random.default_rng(0)
    quality = rng.lognormal(0.0, 1.0, N)
    allocator = FairAllocator(N, K, target, exposure_model="slot", refresh_every=5)
    allocator.set_creator_boost(boost)
    scores = quality[None, :] * rng.lognormal(0.0, 0.5, (REQUESTS, N))
    ids = np.tile(np.arange(N), (REQUESTS, 1))
    exposure = np.zeros(N)
    for slate in allocator.allocate_many(ids, ids, scores):
        exposure[slate.creator_ids] += 1
    return exposure


@pytest.mark.parametrize("target", [0.1, 0.3])
def test_an_s_agencys_creators_get_a_bounded_boost_and_the_gini_target_holds(target: float) -> None:
    s_grant = grades.TIER_GRANTS[McnTier.S].exposure_boost
    boost = np.zeros(N)
    signed = np.arange(0, N, 10)  # one creator in ten is signed to the S agency
    boost[signed] = s_grant
    plain, boosted = stream(target, None), stream(target, boost)
    gain = boosted[signed].sum() / plain[signed].sum()
    assert 1.02 < gain <= 1.0 + s_grant + 0.01  # more exposure, never more than the grant
    assert gini(boosted) <= target + 0.01 and gini(plain) <= target + 0.01


def test_boosts_are_bounded_and_shaped() -> None:
    allocator = FairAllocator(4, 2, 0.3)
    with pytest.raises(TrafficInputError):
        allocator.set_creator_boost(np.array([0.0, MAX_EXPOSURE_BOOST + 0.1, 0.0, 0.0]))
    with pytest.raises(TrafficInputError):
        allocator.set_creator_boost(np.zeros(3))


def test_the_service_reads_each_creators_boost_from_its_agencys_tier(db: Database, world: World) -> None:
    with db.transaction() as s:
        s.execute(update(Mcn).where(Mcn.id == world["mcnA"]).values(tier=McnTier.S))
        s.execute(update(Mcn).where(Mcn.id == world["mcnB"]).values(tier=McnTier.UNRATED))
    service = TrafficService(Settings(database_url=db.url), half_life_requests=None, settings_ttl_s=0.0)
    with db.transaction() as s:
        admin = Principal.of(s.scalars(select(User).where(User.username == f"admin_{world.tag}")).one())
        candidates = [Candidate(i, world[c], 1.0) for i, c in enumerate(("creatorA1", "creatorA2", "creatorB1"))]
        service.allocate(s, admin, candidates, 2)
    boosts = service.exposure_boosts()
    assert boosts[world["creatorA1"]] == boosts[world["creatorA2"]] == grades.TIER_GRANTS[McnTier.S].exposure_boost
    assert world["creatorB1"] not in boosts


def test_brand_priority_holds_for_the_tiers_window_and_lifts_by_a_bounded_amount() -> None:
    listed = datetime(2026, 11, 1, tzinfo=UTC)
    tiers = ["S", "A", "B", "unrated", "independent"]
    assert grades.brand_priority(tiers, listed, listed + timedelta(hours=12)).tolist() == [
        True,
        True,
        False,
        False,
        False,
    ]
    assert grades.brand_priority(tiers, listed, listed + timedelta(hours=30)).tolist() == [True] + [False] * 4
    assert not grades.brand_priority(tiers, listed, listed + timedelta(hours=49)).any()
    scores = np.array([3.0, 1.0, 0.9, -2.0])
    lifted = grades.priority_lift(scores, np.array([False, False, True, False]))
    assert lifted[2] > lifted[1]  # passes a comparable creator …
    assert lifted[2] < lifted[0]  # … not a clearly better match


def test_a_grade_change_reaches_the_match_index_and_its_priority_window(db: Database, world: World) -> None:
    from wanghong.commerce.models import Product
    from wanghong.growth import grading
    from wanghong.matching import service as matching

    month = datetime(2018, 10, 1, tzinfo=UTC).date()
    cache = matching.IndexCache()
    with db.transaction() as s:
        grading.run_grading(s, month, only=[world["mcnA"], world["mcnB"]])
        cache.build(s)
        row = s.scalars(
            select(grading.McnGrade).where(grading.McnGrade.mcn_id == world["mcnA"], grading.McnGrade.month == month)
        ).one()
        admin = Principal.of(s.scalars(select(User).where(User.username == f"admin_{world.tag}")).one())
        seen = grades.effective_grade(row)
    with db.transaction() as s:  # the operator lifts agency A to S: its creators rank first on new products
        grading.override(s, admin, row.id, McnTier.S, "头部品牌专项", seen)
    with db.transaction() as s:
        index = cache.current(s)
        rows = index.rows_of([world["creatorA1"], world["creatorB1"]])
        product = s.get_one(Product, world["productA"])  # listed when the world was built, inside 48 hours
        assert matching.brand_priority(index, rows, product).tolist() == [True, False]
