"""Fake-order (刷单) detection over the buyer–creator–product–device–address–payment graph.

A 刷单 operator needs many buyer accounts but owns few phones, receiving addresses and payment instruments, and
spends them on a few clients' products in a short campaign, later refunding many of the orders. Genuine sharing
looks different: a household shares an address (sometimes a device) among a few people; an office address serves
dozens of buyers with their own devices, payments and tastes; a family may still buy one product together.

No single rule separates these (a device farm gives every ring account its own phone; a family group purchase is
concentrated and compressed in time), so each order is described by **neighbour aggregates** — the family that
leads GADBench for graph fraud — over each node it touches (its buyer, device, address and payment): how many
distinct buyers, creators, devices, addresses and payments the orders through that node involve, how
concentrated they are on one creator, over how many days, and what share was refunded after settlement. Refund
*timing* is its own signal: an operator refunds as soon as the client's commission has settled, and refunds the
campaign's orders together — so each node also counts its largest same-day batch of refunds and the share of its
orders refunded in the days just after the commission window closed. A
LightGBM classifier learns how these combine from planted ground truth (``simulator.engine.fraud``), and scores
orders; an account's score is the largest among its orders. A scan sees only the refunds made by its moment —
a ring scanned during its campaign has refunded nothing yet — so the model is fitted on the planted world as scans
see it (:meth:`OrderGraph.seen_at`), not with hindsight: trees fitted on every refund the generator drew found
none of a planted world's rings once its refunds were hidden. Rings are reported as connected components of
flagged orders' buyers linked through the identifiers they share (scipy ``connected_components``).

Every aggregate is a sort or a bincount over the order arrays, so a million orders take seconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

if TYPE_CHECKING:
    import lightgbm

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

DAY_S = 86_400.0
SETTLEMENT_DAYS = 7.0  # the planted world's window: refunds after it come after the commission was settled
JUST_SETTLED_DAYS = 3.0  # "right after the window": a refund within this many days of the commission settling
FLAG_AT = 0.5
NODE_KINDS = ("buyer", "device", "address", "payment")
IDENTIFIER_KINDS = ("device", "address", "payment")
AGGREGATES = (
    "log_orders",
    "log_buyers",
    "log_creators",
    "top_creator_share",
    "span_days",
    "late_refund_share",
    "just_settled_refund_share",
    "log_refund_burst",
    "devices_per_buyer",
    "addresses_per_buyer",
    "payments_per_buyer",
)
FEATURES = (
    *tuple(f"{kind}_{name}" for kind in NODE_KINDS for name in AGGREGATES),
    "refunded_late",
    "refund_days_after_settlement",
)

LIGHTGBM_PARAMS: dict[str, Any] = {
    "objective": "binary",
    "learning_rate": 0.1,
    "num_leaves": 31,
    "min_data_in_leaf": 50,
    "feature_fraction": 0.8,
    "lambda_l2": 1.0,
    "deterministic": True,
    "seed": 7,
    "verbose": -1,
}
ROUNDS = 100


COLUMNS = ("buyer", "creator", "device", "address", "payment", "placed_s", "refunded_after_days")


@dataclass(frozen=True, slots=True)
class OrderGraph:
    """One row per order; identifiers are integers unique within their kind."""

    buyer: IntArray
    creator: IntArray
    device: IntArray
    address: IntArray
    payment: IntArray
    placed_s: FloatArray
    refunded_after_days: FloatArray  # NaN where not refunded
    # Days from an order to its commission's settlement. The refund-timing features count from here, so a graph
    # read from a platform with a 48-hour return window and one planted with a 7-day window describe a refund
    # "two days after settlement" alike.
    settlement_days: float = SETTLEMENT_DAYS

    def __post_init__(self) -> None:
        lengths = {len(getattr(self, name)) for name in COLUMNS}
        if len(lengths) != 1:
            raise ValueError("every column of an order graph needs one value per order")
        if not self.settlement_days >= 0:  # NaN fails too
            raise ValueError(f"settlement_days must be a non-negative number, got {self.settlement_days!r}")

    def seen_at(self, now_s: float) -> OrderGraph:
        """The graph as a scan at ``now_s`` (seconds, the clock of ``placed_s``) sees it: a refund that comes
        later is not known yet."""
        known = self.placed_s + self.refunded_after_days * DAY_S <= now_s  # NaN compares False
        return replace(self, refunded_after_days=np.where(known, self.refunded_after_days, np.nan))

    def head(self, rows: int) -> OrderGraph:
        """The first ``rows`` orders, with the same settlement window."""
        columns = {name: getattr(self, name)[:rows] for name in COLUMNS}
        return OrderGraph(**columns, settlement_days=self.settlement_days)

    def __len__(self) -> int:
        return len(self.buyer)

    @classmethod
    def of_planted(cls, planted: object, settlement_days: float = SETTLEMENT_DAYS) -> OrderGraph:
        """The graph of ``simulator.engine.fraud.PlantedOrders`` (whose columns carry these names): what the model
        is fitted and measured on. Read by name, so that this pure module needs no import of the simulator."""
        return cls(**{name: getattr(planted, name) for name in COLUMNS}, settlement_days=settlement_days)


def _codes(values: IntArray) -> tuple[npt.NDArray[np.intp], int]:
    unique, inverse = np.unique(values, return_inverse=True)
    return inverse, len(unique)


def _sorted_unique(values: IntArray) -> IntArray:
    # numpy ≥ 2.3 answers a bare np.unique with a hash table, ~10× slower than a sort on packed int64 pairs
    ordered = np.sort(values)
    keep = np.empty(len(ordered), dtype=bool)
    keep[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]


def _distinct(group: npt.NDArray[np.intp], groups: int, value_codes: npt.NDArray[np.intp], values: int) -> FloatArray:
    """Distinct values per group (one sort of packed pairs)."""
    pairs = _sorted_unique(group.astype(np.int64) * values + value_codes)
    return np.bincount(pairs // values, minlength=groups).astype(np.float64)


def _top_share(group: npt.NDArray[np.intp], groups: int, value_codes: npt.NDArray[np.intp], values: int) -> FloatArray:
    """Largest count of one value within each group."""
    pairs, counts = np.unique(group.astype(np.int64) * values + value_codes, return_counts=True)
    top = np.zeros(groups)
    np.maximum.at(top, pairs // values, counts)
    return top


def order_features(orders: OrderGraph) -> FloatArray:
    """:data:`FEATURES` per order: neighbour aggregates over the order's buyer, device, address and payment."""
    n = len(orders)
    codes = {kind: _codes(getattr(orders, kind)) for kind in (*NODE_KINDS, "creator")}
    late = orders.refunded_after_days >= orders.settlement_days  # NaN compares False
    after_settlement = orders.refunded_after_days - orders.settlement_days  # NaN where not refunded
    just_settled = late & (after_settlement < JUST_SETTLED_DAYS)
    refunded = np.flatnonzero(~np.isnan(orders.refunded_after_days))
    refund_day, refund_days = _codes(
        np.floor((orders.placed_s[refunded] + orders.refunded_after_days[refunded] * DAY_S) / DAY_S).astype(np.int64)
    )
    columns: list[FloatArray] = []
    for kind in NODE_KINDS:
        group, groups = codes[kind]
        count = np.bincount(group, minlength=groups).astype(np.float64)
        buyers = _distinct(group, groups, *codes["buyer"]) if kind != "buyer" else np.ones(groups)
        creators = _distinct(group, groups, *codes["creator"])
        top = _top_share(group, groups, *codes["creator"]) / count
        first = np.full(groups, np.inf)
        last = np.full(groups, -np.inf)
        np.minimum.at(first, group, orders.placed_s)
        np.maximum.at(last, group, orders.placed_s)
        late_share = np.bincount(group, weights=late, minlength=groups) / count
        just_settled_share = np.bincount(group, weights=just_settled, minlength=groups) / count
        # A batch, not a share: one genuine buyer's only order refunded is a "whole batch" too.
        burst = _top_share(group[refunded], groups, refund_day, refund_days) if len(refunded) else np.zeros(groups)
        per_buyer = [
            (_distinct(group, groups, *codes[other]) if other != kind else np.ones(groups)) / buyers
            for other in IDENTIFIER_KINDS
        ]
        per_group = [
            np.log1p(count),
            np.log1p(buyers),
            np.log1p(creators),
            top,
            (last - first) / DAY_S,
            late_share,
            just_settled_share,
            np.log1p(burst),
            *per_buyer,
        ]
        columns.extend(values[group] for values in per_group)
    columns.append(late.astype(np.float64))
    columns.append(after_settlement)
    matrix = np.column_stack(columns)
    assert matrix.shape == (n, len(FEATURES))
    return matrix


@dataclass(frozen=True, slots=True)
class OrderVerdict:
    order_score: FloatArray
    flagged: BoolArray
    account_score: dict[int, float]  # buyer → largest score among its orders (flagged buyers only)
    ring_of_order: IntArray  # ring number per order, -1 where not flagged
    rings: int

    def fraud_adjusted_gmv(self, amount_fen: IntArray) -> tuple[int, int]:
        """``(GMV of unflagged orders, GMV of flagged orders)`` in fen; flagged orders are shown, not hidden."""
        flagged = int(amount_fen[self.flagged].sum())
        return int(amount_fen.sum()) - flagged, flagged


@dataclass(slots=True)
class FakeOrderModel:
    booster: lightgbm.Booster
    threads: int = field(default=0)

    @classmethod
    def fit(cls, orders: OrderGraph, is_fake: BoolArray, threads: int = 0) -> FakeOrderModel:
        import lightgbm as lgb

        params = {**LIGHTGBM_PARAMS, "num_threads": threads}
        data = lgb.Dataset(order_features(orders), is_fake.astype(np.int64), feature_name=list(FEATURES))
        return cls(lgb.train(params, data, num_boost_round=ROUNDS), threads)

    @classmethod
    def fit_views(cls, views: Sequence[OrderGraph], is_fake: BoolArray, threads: int = 0) -> FakeOrderModel:
        """Fit on several views of the same orders (one label each, repeated per view), such as the world as
        scans at different moments see it (:meth:`OrderGraph.seen_at`)."""
        import lightgbm as lgb

        if any(len(view) != len(is_fake) for view in views):
            raise ValueError("every view needs one label per order")
        params = {**LIGHTGBM_PARAMS, "num_threads": threads}
        features = np.vstack([order_features(view) for view in views])
        labels = np.tile(is_fake.astype(np.int64), len(views))
        data = lgb.Dataset(features, labels, feature_name=list(FEATURES))
        return cls(lgb.train(params, data, num_boost_round=ROUNDS), threads)

    def score(self, orders: OrderGraph) -> FloatArray:
        return np.asarray(self.booster.predict(order_features(orders), num_threads=self.threads), dtype=np.float64)

    def detect(self, orders: OrderGraph) -> OrderVerdict:
        score = self.score(orders)
        flagged = score >= FLAG_AT
        ring_of_order, rings = flagged_rings(orders, flagged)
        buyers = np.unique(orders.buyer[flagged])
        account = np.zeros(len(buyers))
        np.maximum.at(account, np.searchsorted(buyers, orders.buyer[flagged]), score[flagged])
        return OrderVerdict(
            order_score=score,
            flagged=flagged,
            account_score=dict(zip(buyers.tolist(), account.tolist(), strict=True)),
            ring_of_order=ring_of_order,
            rings=rings,
        )


def flagged_rings(orders: OrderGraph, flagged: BoolArray) -> tuple[IntArray, int]:
    """Components of the graph of flagged orders' buyers and the identifiers those orders used."""
    ring_of_order = np.full(len(orders), -1, dtype=np.int64)
    rows = np.flatnonzero(flagged)
    if not len(rows):
        return ring_of_order, 0
    buyer, buyers = _codes(orders.buyer[rows])
    links = [buyer]
    offset = buyers
    for kind in IDENTIFIER_KINDS:
        code, count = _codes(getattr(orders, kind)[rows])
        links.append(offset + code)
        offset += count
    source = np.concatenate([buyer] * len(IDENTIFIER_KINDS))
    target = np.concatenate(links[1:])
    graph = sp.coo_matrix((np.ones(len(source)), (source, target)), shape=(offset, offset))
    _, component = connected_components(graph, directed=False)
    _, ring = np.unique(component[buyer], return_inverse=True)
    ring_of_order[rows] = ring
    return ring_of_order, int(ring.max()) + 1
