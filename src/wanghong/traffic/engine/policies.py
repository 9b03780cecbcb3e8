"""The policy interface and the published baselines the fair allocator is compared with.

Every policy turns a ``Request`` into a top-K ``Slate`` and remembers the exposure it handed out.
Creator ids are dense integers indexing the exposure arrays. Baselines keep their exposure in a
``NumpyExposureState`` with the same exposure model as the allocator (see ``types``), so the only
difference between policies is how they pick items.
"""

from __future__ import annotations

import math
from typing import Protocol, runtime_checkable

import numpy as np

from wanghong.traffic.engine.projection import pmmf_next_dual
from wanghong.traffic.engine.state import NumpyExposureState
from wanghong.traffic.engine.types import (
    ExposureModel,
    FloatArray,
    IntArray,
    Request,
    Slate,
    TrafficInputError,
    check_k,
    position_weights,
    top_k_order,
    top_k_order_rows,
    validate_batch,
    validate_request,
)


@runtime_checkable
class Policy(Protocol):
    """Allocates one request at a time; implementations keep their own exposure memory."""

    name: str

    def allocate(self, request: Request) -> Slate: ...


def _slate(request: Request, chosen: IntArray) -> Slate:
    return Slate(
        request.candidate_item_ids[chosen],
        request.candidate_creator_ids[chosen],
        request.scores[chosen],
    )


def _fairness_knob(policy: str, lam: float) -> float:
    """A baseline's ``lam``: how hard its fairness term pulls against the scores, a non-negative number."""
    if not np.isfinite(lam) or lam < 0:
        raise TrafficInputError(f"{policy} lambda must be a non-negative number, got {lam!r}")
    return float(lam)


class _ExposureKeeping:
    """Shared bookkeeping: validation and recording the exposure of each slot."""

    name = "base"

    def __init__(
        self,
        n_creators: int,
        k: int,
        exposure_model: ExposureModel = "position",
        half_life_requests: float | None = None,
    ) -> None:
        check_k(k)
        self.k = int(k)
        self.n_creators = int(n_creators)
        self.state = NumpyExposureState(n_creators, half_life_requests)
        self.weights = position_weights(self.k, exposure_model)
        self.requests_seen = 0

    def _record(self, creator_ids: IntArray) -> None:
        self.state.record(creator_ids, self.weights[: creator_ids.shape[0]])
        self.requests_seen += 1


class GreedyTopK(_ExposureKeeping):
    """Unconstrained top-K by predicted score: the utility ceiling and the fairness floor."""

    name = "greedy"

    def allocate(self, request: Request) -> Slate:
        validate_request(request, self.n_creators)
        chosen = top_k_order(request.scores, self.k)
        self._record(request.candidate_creator_ids[chosen])
        return _slate(request, chosen)

    def allocate_many(self, item_ids: IntArray, creator_ids: IntArray, scores: FloatArray) -> list[Slate]:
        """Vectorised path over a (requests × candidates) batch; same result as one-by-one."""
        validate_batch(scores, creator_ids, self.n_creators)
        chosen = top_k_order_rows(scores, self.k)
        picked_creators = np.take_along_axis(creator_ids, chosen, axis=1)
        self.state.record(picked_creators.ravel(), np.tile(self.weights[: chosen.shape[1]], chosen.shape[0]))
        self.requests_seen += chosen.shape[0]
        picked_items = np.take_along_axis(item_ids, chosen, axis=1)
        picked_scores = np.take_along_axis(scores, chosen, axis=1)
        return [Slate(i, c, s) for i, c, s in zip(picked_items, picked_creators, picked_scores, strict=True)]


class FairCo(_ExposureKeeping):
    """FairCo: proportional controller on exposure disparity.

    Morik, Singh, Hong & Joachims, "Controlling Fairness and Bias in Dynamic Learning-to-Rank",
    SIGIR 2020, eq. (10): rank by ``R(d) + lambda * err_tau(d)`` with
    ``err_tau(d) = (tau - 1) * max_G D_tau(G, G(d))`` and the exposure disparity
    ``D_tau(G_i, G_j) = mean_t Exp_t(G_i)/M(G_i) - mean_t Exp_t(G_j)/M(G_j)``. Here every creator is
    its own group and merit M is 1 (the goal is equal exposure, which is what Gini measures), so
    ``err = (tau - 1)/tau * (max_c E_c - E_{c(d)})`` with E the windowed exposure.
    ``lam`` is the fairness knob.
    """

    name = "fairco"

    def __init__(
        self,
        n_creators: int,
        k: int,
        lam: float = 0.01,
        exposure_model: ExposureModel = "position",
        half_life_requests: float | None = None,
    ) -> None:
        super().__init__(n_creators, k, exposure_model, half_life_requests)
        self.lam = _fairness_knob("FairCo", lam)
        self._max_exposure = 0.0

    def allocate(self, request: Request) -> Slate:
        validate_request(request, self.n_creators)
        tau = self.requests_seen + 1
        exposure = self.state.gather(request.candidate_creator_ids)
        # The running max decays with the window exactly like every entry does.
        self._max_exposure *= self.state.decay
        err = (tau - 1) / tau * (self._max_exposure - exposure)
        chosen = top_k_order(request.scores + self.lam * err, self.k)
        creators = request.candidate_creator_ids[chosen]
        self._record(creators)
        self._max_exposure = max(self._max_exposure, float(self.state.gather(creators).max()))
        return _slate(request, chosen)


class CPFair(_ExposureKeeping):
    """CPFair's producer-side greedy re-ranking.

    Naghiaei, Rahmani & Deldjoo, "CPFair: Personalized Consumer and Producer Fairness Re-ranking for
    Recommender Systems", SIGIR 2022. The paper solves an integer programme over all users; this is
    the online greedy form used as the baseline in FairDiverse (``rerank_model/CPFair.py``): rank by
    ``score + lambda * (1 - E_c / sum(E))``, which boosts creators with a small share of exposure so
    far. ``lam`` is the fairness knob.
    """

    name = "cpfair"

    def __init__(
        self,
        n_creators: int,
        k: int,
        lam: float = 1.0,
        exposure_model: ExposureModel = "position",
        half_life_requests: float | None = None,
    ) -> None:
        super().__init__(n_creators, k, exposure_model, half_life_requests)
        self.lam = _fairness_knob("CPFair", lam)

    def allocate(self, request: Request) -> Slate:
        validate_request(request, self.n_creators)
        share = self.state.gather(request.candidate_creator_ids) / (self.state.total() + 1e-5)
        chosen = top_k_order(request.scores + self.lam * (1.0 - share), self.k)
        self._record(request.candidate_creator_ids[chosen])
        return _slate(request, chosen)


class PMMF(_ExposureKeeping):
    """P-MMF: provider max-min fairness by online mirror descent on per-creator dual prices.

    Xu, Chen, Xu, Shen, Zhang, Wang & Dong, "P-MMF: Provider Max-min Fairness Re-ranking in
    Recommender System", WWW 2023. Per request: rank by ``score - mu[c]``, reorder the chosen K by
    score, then take a momentum-smoothed dual gradient step ``g = rho - (slots of c)/K`` and project
    onto the max-min feasible set. Parameters follow FairDiverse (``lambda`` 30, learning rate 0.5
    divided by sqrt(#providers), momentum 0.2, ``rho`` all ones); the per-request cvxpy solve is
    replaced by the exact sort-based projection in ``projection.py``. ``lam`` is the fairness knob.
    The per-provider budgets of the paper are not binding with ``rho = 1`` and are left out.
    The dual step touches every creator, so a request costs O(n log n): P-MMF is meant for
    provider groups, not millions of creators.
    """

    name = "pmmf"

    def __init__(
        self,
        n_creators: int,
        k: int,
        lam: float = 30.0,
        learning_rate: float = 0.5,
        momentum: float = 0.2,
        exposure_model: ExposureModel = "position",
        half_life_requests: float | None = None,
    ) -> None:
        super().__init__(n_creators, k, exposure_model, half_life_requests)
        self.lam = _fairness_knob("P-MMF", lam)
        self.eta = float(learning_rate) / math.sqrt(self.n_creators)
        self.momentum = float(momentum)
        self.rho = np.ones(self.n_creators)
        self.dual = np.zeros(self.n_creators)
        self._gradient = np.zeros(self.n_creators)

    def allocate(self, request: Request) -> Slate:
        validate_request(request, self.n_creators)
        creators = request.candidate_creator_ids
        chosen = top_k_order(request.scores - self.dual[creators], self.k)
        chosen = chosen[np.argsort(-request.scores[chosen], kind="stable")]
        picked = creators[chosen]
        self._record(picked)
        gradient = self.rho.copy()
        np.subtract.at(gradient, picked, 1.0 / self.k)
        self._gradient = self.momentum * gradient + (1.0 - self.momentum) * self._gradient
        self.dual = pmmf_next_dual(self.dual, self._gradient, self.rho, self.eta, self.lam)
        return _slate(request, chosen)
