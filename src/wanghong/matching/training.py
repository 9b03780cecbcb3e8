"""The matching engine's data drawn from the ecosystem simulator: the default ranker's training set, and creator
tables at benchmark scale.

`table_from_ecosystem` turns a simulated `Ecosystem` into the matching engine's `CreatorTable` (commercial
figures from its livestreams, price band from its orders); `simulated_training_set` adds the simulator's
products and collaborations with outcomes modelled by `engine.ranking.simulate_history`, and `load_or_train_ranker`
keeps the ranker fitted on it in an on-disk cache, because a fresh database has too few past collaborations to
learn from.  `synthetic_creators` draws millions of creators with the simulator's own persona model
(`simulator.engine.personas`) but skips viewers, orders and events, which the benchmark does not need and which
would not fit in memory at 3 M creators.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import lightgbm as lgb
import numpy as np
import numpy.typing as npt

from wanghong.matching.engine.index import MatchIndex
from wanghong.matching.engine.query import IndexConfig
from wanghong.matching.engine.ranking import QUANTILES, Evaluation, History, Ranker, simulate_history, train_ranker
from wanghong.matching.engine.vectors import CATEGORIES, INDEPENDENT, CreatorTable, ProductProfile, price_band_code
from wanghong.simulator.engine import SimulationConfig, generate_ecosystem
from wanghong.simulator.engine import personas as P
from wanghong.simulator.engine.tables import Ecosystem

# Bump when the features or the outcome model change, so rankers cached by an older version are not reused.
RANKER_VERSION = "v1"
RANKER_SOURCE = "simulated-history"

# Penalty share when drawing synthetic creators (assumption: a few percent are under a platform penalty).
PENALISED_SHARE = 0.03
AVAILABLE_SHARE = 0.8


def _categorical_rows(rng: np.random.Generator, probs: npt.NDArray[np.float64]) -> npt.NDArray[np.int64]:
    cumulative = np.cumsum(probs, axis=1)
    u = np.asarray(rng.random(probs.shape[0]))[:, None] * cumulative[:, -1:]
    return np.minimum((u > cumulative).sum(axis=1), probs.shape[1] - 1)


def ecosystem_commerce(eco: Ecosystem) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.int8]]:
    """Per creator: mean GMV per commerce livestream, orders per unique viewer, price band of the mean unit price."""
    n = len(eco.creators)
    ls = eco.livestreams
    commerce = ls.collaboration_id >= 0
    sessions = np.bincount(ls.creator_id[commerce], minlength=n)
    gmv = np.bincount(ls.creator_id[commerce], weights=ls.gmv[commerce], minlength=n)
    viewers = np.bincount(ls.creator_id[commerce], weights=ls.unique_viewers[commerce], minlength=n)
    orders = np.bincount(ls.creator_id[commerce], weights=ls.orders[commerce], minlength=n)
    gmv_per_live = np.divide(gmv, sessions, out=np.zeros(n), where=sessions > 0)
    conversion = np.divide(orders, viewers, out=np.zeros(n), where=viewers > 0)
    o = eco.orders
    units = np.bincount(o.creator_id, weights=o.quantity, minlength=n)
    amount = np.bincount(o.creator_id, weights=o.amount, minlength=n)
    unit_price = np.divide(amount, units, out=np.full(n, np.nan), where=units > 0)
    return gmv_per_live, conversion, price_band_code(unit_price)


def table_from_ecosystem(eco: Ecosystem, seed: int = 0) -> CreatorTable:
    """The simulator's creators as a CreatorTable; ids are 1-based like the loaded database rows.

    The simulator has no violations or schedules, so penalties and availability are drawn (seeded) at the
    shares above.
    """
    c, p = eco.creators, eco.personas
    n = len(c)
    rng = np.random.default_rng(seed)
    gmv_per_live, conversion, band = ecosystem_commerce(eco)
    regions, region_codes = np.unique(c.region, return_inverse=True)
    mcn_tier = np.where(c.mcn_id >= 0, eco.mcns.tier[np.maximum(c.mcn_id, 0)], INDEPENDENT).astype(np.int8)
    return CreatorTable(
        ids=np.arange(1, n + 1, dtype=np.int64),
        gender=p.gender,
        age_bands=p.age_band,
        city_tiers=p.city_tier,
        segments=p.segment,
        interests=p.interest,
        categories=((1 << c.primary_category.astype(np.int32)) | (1 << c.secondary_category.astype(np.int32))),
        followers=c.followers.astype(np.int64),
        mcn_tier=mcn_tier,
        region=region_codes.astype(np.int32),
        price_band=band,
        gmv_per_live=gmv_per_live,
        conversion=conversion,
        penalised=rng.random(n) < PENALISED_SHARE,
        available=rng.random(n) < AVAILABLE_SHARE,
        regions=tuple(str(r) for r in regions),
    )


def synthetic_creators(n: int, seed: int = 0, n_regions: int = 300) -> CreatorTable:
    """`n` creators drawn column-wise with the simulator's persona model; float32 personas to save memory.

    Followers follow the simulator's truncated Pareto (α 0.78, 1k–50M); regions are Zipf-distributed over
    `n_regions` names so that region filters span popular and rare cities (0.1 %-selectivity benchmarks).
    """
    if n < 1:
        raise ValueError(f"n must be ≥ 1, got {n}")
    rng = np.random.default_rng(seed)
    q = rng.random(n)
    lo, hi, alpha = 1_000, 50_000_000, 0.78
    followers = np.floor(lo * (1.0 - q * (1.0 - (lo / hi) ** alpha)) ** (-1.0 / alpha)).astype(np.int64)
    k = len(P.SEGMENT_PREVALENCE)
    primary = rng.choice(k, size=n, p=P.SEGMENT_PREVALENCE)
    secondary = (primary + rng.integers(1, k, size=n)) % k
    mix = P.segment_mixtures(rng, primary, secondary)
    blocks = {
        "gender": P.blend(rng, mix, P.GENDER_PROFILE),
        "age_bands": P.blend(rng, mix, P.AGE_PROFILE),
        "city_tiers": P.blend(rng, mix, P.CITY_PROFILE),
        "segments": mix,
        "interests": P.blend(rng, mix, P.INTEREST_PROFILE),
    }
    blocks = {name: m.astype(np.float32) for name, m in blocks.items()}
    primary_category = _categorical_rows(rng, P.INTEREST_PROFILE[primary])
    secondary_category = (primary_category + rng.integers(1, len(CATEGORIES), size=n)) % len(CATEGORIES)
    zipf = 1.0 / np.arange(1, n_regions + 1)
    region = rng.choice(n_regions, size=n, p=zipf / zipf.sum()).astype(np.int32)
    tier = np.minimum(np.log10(np.maximum(followers, 1)).astype(np.int64) - 3, 4)
    gmv_per_live = np.where(rng.random(n) < 0.6, np.exp(rng.normal(np.log(300.0) + 1.1 * tier, 1.0)), 0.0)
    conversion = np.where(gmv_per_live > 0, rng.beta(2.0, 400.0, size=n), 0.0)
    band = np.where(gmv_per_live > 0, rng.choice(4, size=n, p=[0.35, 0.4, 0.2, 0.05]), -1).astype(np.int8)
    return CreatorTable(
        ids=np.arange(1, n + 1, dtype=np.int64),
        **blocks,
        categories=((1 << primary_category) | (1 << secondary_category)).astype(np.int32),
        followers=followers,
        mcn_tier=rng.choice(5, size=n, p=[0.02, 0.08, 0.15, 0.15, 0.60]).astype(np.int8),
        region=region,
        price_band=band,
        gmv_per_live=gmv_per_live.astype(np.float32),
        conversion=conversion.astype(np.float32),
        penalised=rng.random(n) < PENALISED_SHARE,
        available=rng.random(n) < AVAILABLE_SHARE,
        regions=tuple(f"city-{i:03d}" for i in range(n_regions)),
    )


def simulated_training_set(creators: int = 2000, seed: int = 7) -> tuple[MatchIndex, History]:
    """The simulator's world (creators, products, collaboration pairs and times) with modelled outcomes."""
    eco = generate_ecosystem(SimulationConfig(creators=creators), seed=seed)
    table = table_from_ecosystem(eco, seed=seed)
    index = MatchIndex(table, config=IndexConfig(min_ivf_rows=10**9))
    products = tuple(
        ProductProfile(CATEGORIES[int(c)], float(p))
        for c, p in zip(eco.products.category, eco.products.price, strict=True)
    )
    collab = eco.collaborations
    pairs = (
        collab.product_id.astype(np.int64),
        collab.creator_id.astype(np.int64),
        collab.created_at.astype(np.float64),
    )
    history = simulate_history(index, products, pairs, period=eco.days * 86_400.0, seed=seed)
    return index, history


def train_default_ranker(creators: int = 2000, seed: int = 7) -> tuple[Ranker, Evaluation]:
    index, history = simulated_training_set(creators, seed)
    return train_ranker(index, history, seed=seed, source=RANKER_SOURCE)


def load_or_train_ranker(cache_dir: Path, creators: int, seed: int = 7) -> Ranker:
    """The ranker trained on `creators` simulated creators: loaded from `cache_dir`, or trained and saved there."""
    tag = hashlib.sha256(f"{RANKER_VERSION}-{creators}-{seed}-{lgb.__version__}".encode()).hexdigest()[:12]
    paths = {name: cache_dir / f"matching-{tag}-{name}.txt" for name in ("rank", *map(str, QUANTILES))}
    if all(p.exists() for p in paths.values()):
        return Ranker(
            lgb.Booster(model_file=str(paths["rank"])),
            {q: lgb.Booster(model_file=str(paths[str(q)])) for q in QUANTILES},
            RANKER_SOURCE,
        )
    ranker, _ = train_default_ranker(creators, seed)
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        ranker.ranker.save_model(str(paths["rank"]))
        for q in QUANTILES:
            ranker.quantiles[q].save_model(str(paths[str(q)]))
    except OSError:
        pass  # a read-only cache only costs retraining in the next process
    return ranker
