"""Behaviour of the traffic policies, the controller, validation and the P-MMF projection."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import minimize

from wanghong.traffic.engine import (
    PMMF,
    CPFair,
    FairAllocator,
    FairCo,
    GreedyTopK,
    NumpyExposureState,
    Request,
    TrafficInputError,
    UnknownCreatorError,
    gini,
)
from wanghong.traffic.engine.evaluation import replay
from wanghong.traffic.engine.projection import project_prefix_lower_bound
from wanghong.traffic.engine.streams import stream_from_creators


def _skewed_stream(n_requests: int = 400, n_creators: int = 60, seed: int = 3):
    followers = np.round(np.exp(np.random.default_rng(seed).normal(11, 2.2, n_creators))).astype(np.int64)
    return stream_from_creators(followers, np.arange(n_creators), n_requests=n_requests, n_candidates=50, seed=seed)


def test_greedy_equals_argsort_top_k() -> None:
    rng = np.random.default_rng(0)
    policy = GreedyTopK(n_creators=20, k=7)
    for _ in range(20):
        scores = rng.normal(size=40)
        request = Request.of(np.arange(40) + 100, rng.integers(0, 20, 40), scores)
        slate = policy.allocate(request)
        expected = np.argsort(-scores)[:7]
        np.testing.assert_array_equal(slate.item_ids, expected + 100)
        np.testing.assert_array_equal(slate.scores, scores[expected])


def test_greedy_with_fewer_candidates_than_k_returns_all_sorted() -> None:
    slate = GreedyTopK(5, 10).allocate(Request.of([7, 8, 9], [0, 1, 2], [0.1, 0.9, 0.5]))
    np.testing.assert_array_equal(slate.item_ids, [8, 9, 7])


@pytest.mark.parametrize(
    "policy",
    [
        FairAllocator(60, 10, 0.3),
        FairCo(60, 10, lam=0.05),
        CPFair(60, 10, lam=0.5),
        PMMF(60, 10, lam=30.0),
    ],
    ids=lambda p: p.name,
)
def test_fairness_policies_lower_gini_on_skewed_stream(policy: object) -> None:
    stream = _skewed_stream()
    greedy = replay(GreedyTopK(stream.n_creators, 10), stream, 10, "position")
    fair = replay(policy, stream, 10, "position")  # type: ignore[arg-type]
    assert greedy.gini > 0.5
    assert fair.gini < greedy.gini - 0.1
    assert 0.5 < fair.utility <= 1.0


@pytest.mark.parametrize("target", [0.45, 0.3])
def test_controller_tracks_target_gini(target: float) -> None:
    stream = _skewed_stream(n_requests=1500)
    allocator = FairAllocator(stream.n_creators, 10, target)
    report = replay(allocator, stream, 10, "position")
    assert abs(report.gini - target) < 0.03
    assert abs(allocator.measured_gini - report.gini) < 0.01


def test_run_time_target_change_moves_the_gini() -> None:
    stream = _skewed_stream(n_requests=2400)
    allocator = FairAllocator(stream.n_creators, 10, 0.5, half_life_requests=200)
    for r in range(stream.n_requests):
        if r == 1200:
            allocator.set_target_gini(0.25)
        allocator.allocate(Request(stream.item_ids[r], stream.creator_ids[r], stream.scores[r]))
        if r == 1199:
            before = allocator.measured_gini
    assert abs(before - 0.5) < 0.05
    assert abs(allocator.measured_gini - 0.25) < 0.05


def test_batch_path_matches_one_by_one() -> None:
    stream = _skewed_stream(n_requests=300)
    one = FairAllocator(stream.n_creators, 10, 0.3, refresh_every=16, half_life_requests=100)
    many = FairAllocator(stream.n_creators, 10, 0.3, refresh_every=16, half_life_requests=100)
    singles = [
        one.allocate(Request(stream.item_ids[r], stream.creator_ids[r], stream.scores[r]))
        for r in range(stream.n_requests)
    ]
    batched = many.allocate_many(stream.item_ids[:150], stream.creator_ids[:150], stream.scores[:150])
    batched += many.allocate_many(stream.item_ids[150:], stream.creator_ids[150:], stream.scores[150:])
    for a, b in zip(singles, batched, strict=True):
        np.testing.assert_array_equal(a.item_ids, b.item_ids)
    np.testing.assert_allclose(one.state.dense(), many.state.dense(), rtol=1e-9)  # type: ignore[attr-defined]


def test_tier_floor_raises_that_tiers_share() -> None:
    stream = _skewed_stream(n_requests=1200)
    tiers = (stream.followers < np.median(stream.followers)).astype(np.int64)  # 1 = smaller half
    plain = FairAllocator(stream.n_creators, 10, 1.0, creator_tiers=tiers)
    floored = FairAllocator(stream.n_creators, 10, 1.0, creator_tiers=tiers, min_tier_share={1: 0.4})
    shares = []
    for allocator in (plain, floored):
        replay(allocator, stream, 10, "position")
        ids, values = allocator.state.nonzero()
        shares.append(values[tiers[ids] == 1].sum() / values.sum())
    assert shares[0] < 0.3
    assert shares[1] > 0.37


def test_decayed_state_forgets_old_exposure() -> None:
    state = NumpyExposureState(3, half_life_requests=10)
    state.record(np.array([0]), np.array([1.0]))
    state.record(np.array([1]), np.array([1.0]), n_requests=10)
    np.testing.assert_allclose(state.gather(np.array([0, 1, 2])), [0.5, 1.0, 0.0])
    assert state.total() == pytest.approx(1.5)


def test_gini_matches_definition() -> None:
    x = np.random.default_rng(1).exponential(size=31)
    pairwise = np.abs(x[:, None] - x[None, :]).sum() / (2 * x.shape[0] ** 2 * x.mean())
    assert gini(x) == pytest.approx(pairwise)
    assert gini(np.ones(5)) == pytest.approx(0.0)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Request.of([1, 2], [0, 99], [0.1, 0.2]), "outside the registered range"),
        (lambda: Request.of([1, 2], [0, -1], [0.1, 0.2]), "outside the registered range"),
        (lambda: Request.of([1, 2], [0, 1], [0.1, np.nan]), "finite"),
        (lambda: Request.of([1, 2], [0, 1], [np.inf, 0.2]), "finite"),
        (lambda: Request.of([], [], []), "at least one candidate"),
        (lambda: Request.of([1, 2, 3], [0, 1], [0.1, 0.2]), "differ in length"),
    ],
)
def test_bad_requests_are_rejected_by_every_policy(make: object, message: str) -> None:
    for policy in (GreedyTopK(10, 3), FairAllocator(10, 3, 0.3), FairCo(10, 3), CPFair(10, 3), PMMF(10, 3)):
        with pytest.raises(TrafficInputError, match=message):
            policy.allocate(make())  # type: ignore[operator]


def test_unknown_creator_has_its_own_error() -> None:
    with pytest.raises(UnknownCreatorError):
        GreedyTopK(3, 2).allocate(Request.of([1], [3], [0.5]))


@pytest.mark.parametrize("k", [0, -2])
def test_non_positive_k_is_rejected(k: int) -> None:
    with pytest.raises(TrafficInputError, match="slate size"):
        FairAllocator(10, k, 0.3)
    with pytest.raises(TrafficInputError, match="slate size"):
        GreedyTopK(10, k)


@pytest.mark.parametrize("target", [-0.1, 1.5, float("nan")])
def test_target_gini_outside_unit_interval_is_rejected(target: float) -> None:
    with pytest.raises(TrafficInputError, match="target Gini"):
        FairAllocator(10, 3, target)
    with pytest.raises(TrafficInputError, match="target Gini"):
        FairAllocator(10, 3, 0.3).set_target_gini(target)


def test_batch_with_mismatched_shapes_is_rejected() -> None:
    with pytest.raises(TrafficInputError, match="equal shape"):
        FairAllocator(10, 3, 0.3).allocate_many(np.zeros((2, 4)), np.zeros((2, 3)), np.zeros((2, 4)))


def test_prefix_projection_matches_scipy_qp() -> None:
    rng = np.random.default_rng(5)
    for trial in range(60):
        n = int(rng.integers(1, 9))
        v = rng.normal(0, 2, n)
        if trial % 2:
            v = np.sort(v)
        lam = float(rng.uniform(0, 3))
        lower = np.tril(np.ones((n, n)))
        reference = minimize(
            lambda y, v=v: ((y - v) ** 2).sum(),
            v,
            jac=lambda y, v=v: 2 * (y - v),
            method="SLSQP",
            constraints=[{"type": "ineq", "fun": lambda y, lam=lam, A=lower: A @ y + lam, "jac": lambda y, A=lower: A}],
            options={"ftol": 1e-12, "maxiter": 500},
        )
        ours = project_prefix_lower_bound(v, lam)
        assert (lower @ ours >= -lam - 1e-9).all()
        np.testing.assert_allclose(ours, reference.x, atol=1e-5)


def test_projection_keeps_feasible_points() -> None:
    v = np.array([-0.5, 0.2, 1.0])
    np.testing.assert_array_equal(project_prefix_lower_bound(v, 1.0), v)
