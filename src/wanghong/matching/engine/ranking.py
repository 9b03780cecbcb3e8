"""Learning-to-rank over retrieved creators, expected GMV ranges and match explanations.

Training data
-------------
The ranker learns from past collaborations: (product, creator, when, GMV).  The ecosystem simulator supplies
creators, products, and who collaborated with whom when (`wanghong.matching.training` turns its world into an
index and the pairs `simulate_history` takes), but its order model does not depend on how well a
creator's fans fit the product (orders are reach × a per-tier conversion), so persona matching would be
unlearnable from its GMV.  `simulate_history` therefore keeps the simulator's creators, products and
collaboration pairs/times, tops every product up with further candidate creators drawn the way the simulator
draws partners (70 % from the product's category, 30 % anywhere), and draws each outcome from this documented,
seeded model (all constants are assumptions):

    reach      = 0.08 · followers^0.9 + 40                  (unique viewers of a selling session; sub-linear)
    fit        = 0.2 + 8 · interest share of the product's category among the creator's fans
    price_fit  = 1.0 same price band · 0.6 adjacent · 0.3 further · 0.8 unknown
    orders     = reach · 0.004 · fit · price_fit · LogNormal(0, 0.5)
    GMV        = orders · price;   fee = 1780 · (followers / 1000)^0.65   (the simulator's fee curve)

Graded labels are GMV quintiles within each product's group (0–4).  The split is by time: collaborations in
the first 70 % of the period train, the rest test, so the evaluation never peeks at the future.

Model: LightGBM `lambdarank` (Burges, "From RankNet to LambdaRank to LambdaMART: An Overview", MSR-TR-2010-82),
evaluated with NDCG@10 (Järvelin & Kekäläinen, "Cumulated gain-based evaluation of IR techniques", TOIS 2002)
against the retrieval order and a followers (popularity) order.  Expected GMV ranges come from three LightGBM
quantile regressions (τ = 0.1, 0.5, 0.9) of log GMV on the same features.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import lightgbm as lgb
import numpy as np
import numpy.typing as npt

from wanghong.domain import LABELS
from wanghong.matching.engine.index import MatchIndex
from wanghong.matching.engine.vectors import (
    CATEGORIES,
    LAYOUT,
    PERSONA_BLOCKS,
    BlockWeights,
    CreatorTable,
    FloatVector,
    MatchingInputError,
    ProductProfile,
    block_affinities,
    product_vector,
)

FEATURES: tuple[str, ...] = (
    "affinity",
    "cos_gender",
    "cos_age_bands",
    "cos_city_tiers",
    "cos_segments",
    "cos_interests",
    "cos_category",
    "cos_price",
    "fan_interest_in_category",
    "log_followers",
    "log_gmv_per_live",
    "conversion",
    "mcn_tier",
    "log_price",
    "price_band_gap",
)
QUANTILES = (0.1, 0.5, 0.9)
TRAIN_SHARE = 0.7


def pair_features(
    index: MatchIndex, rows: npt.NDArray[np.int64], product: ProductProfile, query: FloatVector
) -> npt.NDArray[np.float64]:
    """(len(rows), len(FEATURES)) features of (product, creator) pairs, all read from the index."""
    vectors = index.vectors[rows]
    cos = block_affinities(vectors, query, index.weights)
    affinity = vectors.astype(np.float64) @ query.astype(np.float64)
    shares = index.persona_shares(rows)
    interest = shares["interests"][:, CATEGORIES.index(product.category)]
    cols = index.cols
    band = cols.price_band[rows].astype(np.float64)
    gap = (
        np.where(band >= 0, np.abs(band - product.price_band), 1.5)
        if product.price_band >= 0
        else np.full(rows.shape[0], 1.5)
    )
    return np.column_stack(
        [
            affinity,
            cos["gender"],
            cos["age_bands"],
            cos["city_tiers"],
            cos["segments"],
            cos["interests"],
            cos["category"],
            cos["price"],
            interest,
            np.log1p(cols.followers[rows].astype(np.float64)),
            np.log1p(np.maximum(cols.gmv_per_live[rows].astype(np.float64), 0.0)),
            cols.conversion[rows].astype(np.float64),
            cols.mcn_tier[rows].astype(np.float64),
            np.full(rows.shape[0], math.log1p(product.price)),
            gap,
        ]
    )


# ---------------------------------------------------------------------------------------------- history


@dataclass(frozen=True, eq=False)
class History:
    """Past collaborations with their outcomes; `creator_row` indexes the MatchIndex they were drawn over."""

    products: tuple[ProductProfile, ...]
    product: npt.NDArray[np.int64]
    creator_row: npt.NDArray[np.int64]
    at: npt.NDArray[np.float64]  # seconds since the period start
    gmv: npt.NDArray[np.float64]
    fee: npt.NDArray[np.float64]
    period: float

    def __post_init__(self) -> None:
        n = self.product.shape[0]
        if any(a.shape[0] != n for a in (self.creator_row, self.at, self.gmv, self.fee)):
            raise MatchingInputError("history columns must be equally long")


def outcome_model(
    rng: np.random.Generator, index: MatchIndex, rows: npt.NDArray[np.int64], product: ProductProfile
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """(GMV, fee) of `product` sold by the creators at `rows`, drawn from the model in the module docstring."""
    followers = index.cols.followers[rows].astype(np.float64)
    reach = 0.08 * followers**0.9 + 40.0
    interest = index.persona_shares(rows)["interests"][:, CATEGORIES.index(product.category)]
    fit = 0.2 + 8.0 * interest
    band = index.cols.price_band[rows].astype(np.int64)
    gap = np.abs(band - product.price_band)
    price_fit = np.where(band < 0, 0.8, np.select([gap == 0, gap == 1], [1.0, 0.6], 0.3))
    orders = reach * 0.004 * fit * price_fit * rng.lognormal(0.0, 0.5, size=rows.shape[0])
    fee = 1780.0 * (followers / 1000.0) ** 0.65
    return orders * product.price, fee


def simulate_history(
    index: MatchIndex,
    products: Sequence[ProductProfile],
    pairs: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.float64]] | None = None,
    *,
    per_product: int = 40,
    period: float = 90 * 86_400.0,
    seed: int = 0,
) -> History:
    """Collaboration outcomes over `index`'s creators (see the module docstring).

    `pairs` = (product index, creator row, time) of collaborations that really happened (the simulator's);
    every product is topped up to `per_product` candidates at uniformly drawn times.
    """
    rng = np.random.default_rng(seed)
    n = index.n
    by_category = [np.flatnonzero((index.cols.categories >> i) & 1) for i in range(len(CATEGORIES))]
    prod_idx: list[npt.NDArray[np.int64]] = []
    creator: list[npt.NDArray[np.int64]] = []
    when: list[npt.NDArray[np.float64]] = []
    if pairs is not None:
        prod_idx.append(pairs[0].astype(np.int64))
        creator.append(pairs[1].astype(np.int64))
        when.append(pairs[2].astype(np.float64))
    have = np.bincount(prod_idx[0], minlength=len(products)) if prod_idx else np.zeros(len(products), dtype=int)
    for p, profile in enumerate(products):
        extra = max(per_product - int(have[p]), 0)
        pool = by_category[CATEGORIES.index(profile.category)]
        in_category = rng.random(extra) < 0.7
        picks = np.where(
            in_category & (pool.size > 0),
            pool[rng.integers(0, max(pool.size, 1), size=extra)] if pool.size else 0,
            rng.integers(0, n, size=extra),
        )
        prod_idx.append(np.full(extra, p, dtype=np.int64))
        creator.append(picks.astype(np.int64))
        when.append(rng.uniform(0.0, period, size=extra))
    product = np.concatenate(prod_idx)
    rows = np.concatenate(creator)
    gmv = np.zeros(product.shape[0])
    fee = np.zeros(product.shape[0])
    for p in np.unique(product):
        mask = product == p
        gmv[mask], fee[mask] = outcome_model(rng, index, rows[mask], products[int(p)])
    return History(tuple(products), product, rows, np.concatenate(when), gmv, fee, period)


def grades(values: npt.NDArray[np.float64], groups: npt.NDArray[np.int64], levels: int = 5) -> npt.NDArray[np.int64]:
    """Quantile grade 0..levels-1 of each value within its group (ties share the lower grade)."""
    out = np.zeros(values.shape[0], dtype=np.int64)
    for g in np.unique(groups):
        idx = np.flatnonzero(groups == g)
        ranks = np.argsort(np.argsort(values[idx], kind="stable"), kind="stable")
        out[idx] = (ranks * levels) // max(idx.size, 1)
    return out


def ndcg_at(scores: npt.NDArray[np.float64], labels: npt.NDArray[np.int64], k: int = 10) -> float:
    """NDCG@k of one group ranked by `scores` with exponential gain 2^label − 1."""
    order = np.lexsort((np.arange(scores.shape[0]), -scores))[:k]
    discounts = 1.0 / np.log2(np.arange(2, order.shape[0] + 2))
    dcg = float(((2.0 ** labels[order] - 1.0) * discounts).sum())
    ideal = np.sort(labels)[::-1][:k]
    idcg = float(((2.0**ideal - 1.0) * discounts[: ideal.shape[0]]).sum())
    return dcg / idcg if idcg > 0 else 0.0


# ---------------------------------------------------------------------------------------------- model


@dataclass(eq=False)
class Ranker:
    ranker: lgb.Booster
    quantiles: dict[float, lgb.Booster]
    source: str  # where the training outcomes came from, shown to users

    def score(self, features: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        return np.asarray(self.ranker.predict(features), dtype=np.float64)

    def gmv_range(self, features: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """(n, 3) expected GMV at the 10th, 50th and 90th percentile (yuan), monotone per row."""
        logs = np.column_stack([self.quantiles[q].predict(features) for q in QUANTILES])
        return np.expm1(np.maximum(np.sort(logs, axis=1), 0.0))


@dataclass(frozen=True)
class Evaluation:
    """Mean NDCG@10 over the test groups of the time-based split."""

    groups: int
    train_rows: int
    test_rows: int
    ndcg_ltr: float
    ndcg_retrieval: float
    ndcg_popularity: float
    interval_coverage: float  # share of test GMVs inside the predicted 10–90 % range


def _features_for(index: MatchIndex, history: History, rows_mask: npt.NDArray[np.bool_]) -> npt.NDArray[np.float64]:
    out = np.zeros((int(rows_mask.sum()), len(FEATURES)))
    selected = np.flatnonzero(rows_mask)
    for p in np.unique(history.product[selected]):
        local = history.product[selected] == p
        profile = history.products[int(p)]
        out[local] = pair_features(
            index, history.creator_row[selected][local], profile, product_vector(profile, index.weights)
        )
    return out


def train_ranker(
    index: MatchIndex, history: History, *, seed: int = 0, source: str = "history", rounds: int = 120
) -> tuple[Ranker, Evaluation]:
    """Fit the lambdarank model and GMV quantile models on the earlier 70 % of `history`, test on the rest."""
    cut = TRAIN_SHARE * history.period
    train = history.at < cut
    test = ~train
    if train.sum() < 50 or test.sum() < 20:
        raise MatchingInputError(
            f"too little history to train a ranker ({int(train.sum())} train / {int(test.sum())} test rows)"
        )
    # Groups are (product, split); rows sorted by group as LightGBM expects contiguous groups.
    group = history.product * 2 + test.astype(np.int64)
    labels = grades(history.gmv, group)
    x_all = np.zeros((history.product.shape[0], len(FEATURES)))
    x_all[train] = _features_for(index, history, train)
    x_all[test] = _features_for(index, history, test)

    def ordered(mask: npt.NDArray[np.bool_]) -> npt.NDArray[np.int64]:
        idx = np.flatnonzero(mask)
        return idx[np.argsort(group[idx], kind="stable")]

    tr = ordered(train)
    sizes = np.unique(group[tr], return_counts=True)[1]
    params = {
        "objective": "lambdarank",
        "metric": "ndcg",
        "eval_at": [10],
        "learning_rate": 0.05,
        "num_leaves": 31,
        "min_data_in_leaf": 20,
        "feature_fraction": 0.9,
        "seed": seed,
        "deterministic": True,
        "num_threads": 1,
        "verbose": -1,
    }
    ranker = lgb.train(params, lgb.Dataset(x_all[tr], labels[tr], group=sizes, feature_name=list(FEATURES)), rounds)
    quantiles: dict[float, lgb.Booster] = {}
    target = np.log1p(history.gmv)
    for q in QUANTILES:
        qparams = {
            "objective": "quantile",
            "alpha": q,
            "learning_rate": 0.05,
            "num_leaves": 15,
            "min_data_in_leaf": 20,
            "seed": seed,
            "deterministic": True,
            "num_threads": 1,
            "verbose": -1,
        }
        quantiles[q] = lgb.train(qparams, lgb.Dataset(x_all[tr], target[tr], feature_name=list(FEATURES)), rounds)
    model = Ranker(ranker, quantiles, source)

    te = ordered(test)
    ltr = model.score(x_all[te])
    retrieval = x_all[te, FEATURES.index("affinity")]
    popularity = x_all[te, FEATURES.index("log_followers")]
    results: dict[str, list[float]] = {"ltr": [], "retrieval": [], "popularity": []}
    bounds = model.gmv_range(x_all[te])
    for g in np.unique(group[te]):
        local = group[te] == g
        if local.sum() < 5 or labels[te][local].max() == 0:
            continue
        for name, s in (("ltr", ltr), ("retrieval", retrieval), ("popularity", popularity)):
            results[name].append(ndcg_at(s[local], labels[te][local]))
    gmv = history.gmv[te]
    coverage = float(np.mean((gmv >= bounds[:, 0]) & (gmv <= bounds[:, 2])))
    evaluation = Evaluation(
        groups=len(results["ltr"]),
        train_rows=int(tr.size),
        test_rows=int(te.size),
        ndcg_ltr=float(np.mean(results["ltr"])),
        ndcg_retrieval=float(np.mean(results["retrieval"])),
        ndcg_popularity=float(np.mean(results["popularity"])),
        interval_coverage=coverage,
    )
    return model, evaluation


# ---------------------------------------------------------------------------------------------- explanations


@dataclass(frozen=True)
class Overlap:
    dimension: str  # persona block: segments, interests, age_bands, gender, city_tiers
    value: str
    label: str  # Chinese label of the value
    creator_share: float
    target_share: float | None  # None: the product names no target for this block
    overlap: float  # min(creator, target) — the shared audience; creator share where there is no target


def explain(
    index: MatchIndex,
    row: int,
    product: ProductProfile,
    top: int = 5,
    per_block: int = 2,
    *,
    persona: Mapping[str, npt.NDArray[np.float64]] | None = None,
) -> list[Overlap]:
    """The persona dimensions creator and product share most: segments, interests and age bands first.

    `persona`: the row's shares per block, where the caller has recovered them already (for many rows at once)."""
    if persona is None:
        persona = {name: block[0] for name, block in index.persona_shares(np.array([row], dtype=np.int64)).items()}
    candidates: list[Overlap] = []
    for name, vocab in PERSONA_BLOCKS:
        if name not in ("segments", "interests", "age_bands") and name not in product.target:
            continue
        creator = persona[name]
        if np.ptp(creator) < 1e-6:
            continue  # equal shares are the placeholder of a block the creator has no data for
        target = product.target.get(name)
        if name == "interests" and not target:
            target = {product.category.value: 1.0}
        block: list[Overlap] = []
        for member, c_share in zip(vocab, creator.tolist(), strict=True):
            t_share = None if not target else float(target.get(member.value, 0.0))
            shared = c_share if t_share is None else min(c_share, t_share)
            if shared > 0:
                block.append(
                    Overlap(
                        name,
                        member.value,
                        LABELS.get(member.value, member.value),
                        round(c_share, 4),
                        None if t_share is None else round(t_share, 4),
                        round(shared, 4),
                    )
                )
        block.sort(key=lambda o: -o.overlap)
        candidates.extend(block[:per_block])
    candidates.sort(key=lambda o: -o.overlap)
    return candidates[:top]


__all__ = [
    "FEATURES",
    "LAYOUT",
    "BlockWeights",
    "CreatorTable",
    "Evaluation",
    "History",
    "Overlap",
    "Ranker",
    "explain",
    "ndcg_at",
    "pair_features",
    "simulate_history",
    "train_ranker",
]
