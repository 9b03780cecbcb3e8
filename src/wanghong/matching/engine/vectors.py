"""Creator and product vectors for persona-to-product matching (选品中心).

Representation
--------------
Both sides are a concatenation of *blocks*, one per facet of the audience/product description:

=============  =====  =====================================================  =================================
block          dims   creator side                                           product side
=============  =====  =====================================================  =================================
gender         2      fan gender shares                                      target gender shares
age            6      fan age-band shares                                    target age-band shares
city           5      fan city-tier shares                                   target city-tier shares
segment        7      fan audience-segment shares (宝妈, 新农人, …)          target segments
interest       12     fan interest shares per category                       target interests (≥ the category)
category       12     the creator's content categories (multi-hot)           the product's category (one-hot)
price          4      the creator's typical price band (one-hot, from AOV)   the product's price band
gmv            2      [s, √(1-s²)], s = log GMV per livestream scaled to 0–1  [1, 0]
conversion     2      [s, √(1-s²)], s = orders per viewer scaled to 0–1      [1, 0]
=============  =====  =====================================================  =================================

Every creator block is L2-normalised (a creator with no data in a block gets a fixed neutral unit vector), then
scaled by √wᵦ; the product block is L2-normalised and scaled by √wᵦ too, or zero when the brand left it empty.
Hence, for every creator c and product p,

    ⟨c, p⟩ = Σᵦ wᵦ · cos(cᵦ, pᵦ)                (cosine per block = Ochiai/Bhattacharyya-like overlap)

i.e. the inner product is the weighted persona/category affinity, and all creator vectors share the norm √Σwᵦ.
Equal norms make inner-product, cosine and L2 rankings identical (Bachrach et al., "Speeding up the Xbox
recommender system using a Euclidean transformation for inner-product spaces", RecSys 2014, need the same
property), so any L2 or IP index (IVF, HNSW) ranks exactly as the brute-force affinity does.  The two
commercial scalars use the [s, √(1-s²)] trick so that they, too, keep the norm fixed while adding wᵦ·s.

Vectors are float32 (52 dims → 208 bytes a creator, 624 MB for 3 M creators); float16 storage would halve that
but numpy has no fast float16 matmul, and the benchmark shows float32 fits the 2 GB goal with the IVF copy.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np
import numpy.typing as npt

from wanghong.domain import AgeBand, Category, CityTier, Gender, McnTier, Segment

FloatMatrix = npt.NDArray[np.float32]
FloatVector = npt.NDArray[np.float32]


class MatchingInputError(ValueError):
    """Data handed to the matching engine is malformed; the message says which field and how to fix it."""


class PriceBand(StrEnum):
    """Unit-price bands brands plan assortments by (yuan)."""

    BUDGET = "budget"  # < 50: 9.9 包邮 impulse buys
    MID = "mid"  # 50 – 200
    PREMIUM = "premium"  # 200 – 1000
    LUXURY = "luxury"  # ≥ 1000

    @property
    def label(self) -> str:
        return PRICE_BAND_LABELS[self]


PRICE_BAND_LABELS: dict[PriceBand, str] = {
    PriceBand.BUDGET: "平价 (<50元)",
    PriceBand.MID: "中端 (50–200元)",
    PriceBand.PREMIUM: "高端 (200–1000元)",
    PriceBand.LUXURY: "奢品 (≥1000元)",
}
PRICE_BAND_BOUNDS: tuple[float, ...] = (50.0, 200.0, 1000.0)
PRICE_BANDS: tuple[PriceBand, ...] = tuple(PriceBand)
UNKNOWN = -1  # code of a missing categorical value (no price history, no region)

GENDERS: tuple[Gender, ...] = tuple(Gender)
AGE_BANDS: tuple[AgeBand, ...] = tuple(AgeBand)
CITY_TIERS: tuple[CityTier, ...] = tuple(CityTier)
SEGMENTS: tuple[Segment, ...] = tuple(Segment)
CATEGORIES: tuple[Category, ...] = tuple(Category)
# An independent creator (no MCN) gets its own code after the McnTier members.
MCN_TIERS: tuple[str, ...] = (*(t.value for t in McnTier), "independent")
INDEPENDENT = len(MCN_TIERS) - 1

# Persona blocks in vector order: (name, vocabulary) — also the FanPersona/target_persona keys.
PERSONA_BLOCKS: tuple[tuple[str, tuple[StrEnum, ...]], ...] = (
    ("gender", GENDERS),
    ("age_bands", AGE_BANDS),
    ("city_tiers", CITY_TIERS),
    ("segments", SEGMENTS),
    ("interests", CATEGORIES),
)

# Scales that map commercial figures to 0–1 (values above saturate).
GMV_SCALE = math.log1p(1e7)  # ten million yuan a session is the top of the industry
CONVERSION_SCALE = 0.02  # 2 orders per 100 unique viewers is an excellent livestream


@dataclass(frozen=True)
class BlockWeights:
    """wᵦ of each block: how much that facet counts in the affinity (assumption, tuned on the LTR data)."""

    gender: float = 1.0
    age_bands: float = 1.5
    city_tiers: float = 0.5
    segments: float = 2.0
    interests: float = 2.5
    category: float = 2.5
    price: float = 1.0
    gmv: float = 0.5
    conversion: float = 0.5

    def __post_init__(self) -> None:
        bad = {k: v for k, v in self.__dict__.items() if not (math.isfinite(v) and v >= 0)}
        if bad:
            raise MatchingInputError(f"block weights must be finite and ≥ 0, got {bad}")


@dataclass(frozen=True)
class Layout:
    """Where each block sits in the vector."""

    slices: dict[str, slice]
    dim: int


def _layout() -> Layout:
    sizes = [(name, len(vocab)) for name, vocab in PERSONA_BLOCKS]
    sizes += [("category", len(CATEGORIES)), ("price", len(PRICE_BANDS)), ("gmv", 2), ("conversion", 2)]
    slices: dict[str, slice] = {}
    start = 0
    for name, size in sizes:
        slices[name] = slice(start, start + size)
        start += size
    return Layout(slices, start)


LAYOUT = _layout()
DIM = LAYOUT.dim


def price_band_code(price: float | npt.NDArray[np.float64]) -> Any:
    """Index into PRICE_BANDS of a unit price (vectorised); NaN or ≤ 0 gives UNKNOWN."""
    values = np.asarray(price, dtype=np.float64)
    codes = np.searchsorted(np.asarray(PRICE_BAND_BOUNDS), values, side="right").astype(np.int8)
    codes = np.where(np.isfinite(values) & (values > 0), codes, UNKNOWN).astype(np.int8)
    return codes if codes.ndim else int(codes)


@dataclass(frozen=True, eq=False)
class CreatorTable:
    """Column arrays describing creators; row i is one creator, `ids[i]` its database id.

    Persona matrices hold shares per vocabulary member (rows may be all zero when unknown).  `categories` is a
    bitmask over CATEGORIES; `mcn_tier` indexes MCN_TIERS; `region` indexes `regions`; `price_band` indexes
    PRICE_BANDS or is UNKNOWN.
    """

    ids: npt.NDArray[np.int64]
    gender: npt.NDArray[np.floating]
    age_bands: npt.NDArray[np.floating]
    city_tiers: npt.NDArray[np.floating]
    segments: npt.NDArray[np.floating]
    interests: npt.NDArray[np.floating]
    categories: npt.NDArray[np.int32]
    followers: npt.NDArray[np.int64]
    mcn_tier: npt.NDArray[np.int8]
    region: npt.NDArray[np.int32]
    price_band: npt.NDArray[np.int8]
    gmv_per_live: npt.NDArray[np.float64]
    conversion: npt.NDArray[np.float64]
    penalised: npt.NDArray[np.bool_]
    available: npt.NDArray[np.bool_]
    regions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        n = self.ids.shape[0]
        for name, vocab in PERSONA_BLOCKS:
            matrix = getattr(self, name)
            if matrix.shape != (n, len(vocab)):
                raise MatchingInputError(f"{name} must have shape ({n}, {len(vocab)}), got {matrix.shape}")
        for name in CREATOR_COLUMNS:
            if getattr(self, name).shape != (n,):
                raise MatchingInputError(
                    f"{name} must have one value per creator ({n}), got {getattr(self, name).shape}"
                )
        if n and int(self.followers.min()) < 0:
            raise MatchingInputError("followers must be ≥ 0")
        if n and (int(self.region.max(initial=-1)) >= len(self.regions)):
            raise MatchingInputError("region codes must index `regions`")

    def __len__(self) -> int:
        return int(self.ids.shape[0])

    def take(self, rows: npt.NDArray[np.integer]) -> CreatorTable:
        """The sub-table of `rows` (same region vocabulary)."""
        values = {name: getattr(self, name)[rows] for name in _COLUMN_NAMES}
        return CreatorTable(**values, regions=self.regions)


# One value per creator (besides `ids` and the persona blocks): also the filter columns `MatchIndex` copies.
CREATOR_COLUMNS: tuple[str, ...] = (
    "categories",
    "followers",
    "mcn_tier",
    "region",
    "price_band",
    "gmv_per_live",
    "conversion",
    "penalised",
    "available",
)
_COLUMN_NAMES = ("ids", *(name for name, _ in PERSONA_BLOCKS), *CREATOR_COLUMNS)


@dataclass(frozen=True)
class ProductProfile:
    """What a brand sells: category, unit price and (optionally) its target audience, block by block."""

    category: Category
    price: float
    target: Mapping[str, Mapping[str, float]] = field(default_factory=dict)

    @classmethod
    def from_record(cls, category: str, price: float, target_persona: Mapping[str, Any] | None) -> ProductProfile:
        """Parse the stored `products.target_persona` JSON leniently.

        Accepts both the API shape (`{"segments": {"young_mothers": 0.6, ...}}`) and the simulator's shorthand
        of plain lists (`{"interests": ["beauty"]}`, read as equal shares).
        """
        try:
            category_member = Category(category)
        except ValueError:
            raise MatchingInputError(
                f"unknown product category '{category}'; use one of {[c.value for c in CATEGORIES]}"
            ) from None
        if not math.isfinite(float(price)) or float(price) < 0:
            raise MatchingInputError(f"product price must be a finite number ≥ 0, got {price}")
        target: dict[str, dict[str, float]] = {}
        for name, vocab in PERSONA_BLOCKS:
            raw = (target_persona or {}).get(name)
            if not raw:
                continue
            if isinstance(raw, Mapping):
                shares = {str(k): float(v) for k, v in raw.items()}
            elif isinstance(raw, Sequence) and not isinstance(raw, str):
                shares = {str(k): 1.0 / len(raw) for k in raw}
            else:
                raise MatchingInputError(f"target_persona.{name} must be a mapping of shares or a list of values")
            allowed = {m.value for m in vocab}
            unknown = sorted(set(shares) - allowed)
            if unknown:
                raise MatchingInputError(f"target_persona.{name}: unknown keys {unknown}; allowed {sorted(allowed)}")
            target[name] = shares
        return cls(category_member, float(price), target)

    @property
    def price_band(self) -> int:
        return int(price_band_code(self.price))


def _unit_rows(matrix: npt.NDArray[np.floating], neutral: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Rows scaled to unit length; all-zero rows become `neutral` (already unit length)."""
    m = np.asarray(matrix, dtype=np.float64)
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    out = np.divide(m, norms, out=np.zeros_like(m), where=norms > 0)
    empty = norms[:, 0] <= 0
    out[empty] = neutral
    return out


def _uniform(size: int) -> npt.NDArray[np.float64]:
    return np.full(size, 1.0 / math.sqrt(size))


def category_multi_hot(bits: npt.NDArray[np.integer]) -> npt.NDArray[np.float64]:
    """(n, 12) 0/1 matrix from category bitmasks."""
    return ((np.asarray(bits)[:, None] >> np.arange(len(CATEGORIES))) & 1).astype(np.float64)


def category_bits(categories: Sequence[str]) -> int:
    bits = 0
    for value in categories:
        try:
            bits |= 1 << CATEGORIES.index(Category(value))
        except ValueError:
            continue  # a legacy category the vocabulary dropped carries no signal
    return bits


def _scalar_block(s: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    s = np.clip(s, 0.0, 1.0)
    return np.stack([s, np.sqrt(1.0 - s * s)], axis=1)


def gmv_score(gmv_per_live: npt.NDArray[np.floating]) -> npt.NDArray[np.float64]:
    return np.clip(np.log1p(np.maximum(np.asarray(gmv_per_live, dtype=np.float64), 0.0)) / GMV_SCALE, 0.0, 1.0)


def conversion_score(conversion: npt.NDArray[np.floating]) -> npt.NDArray[np.float64]:
    return np.clip(np.asarray(conversion, dtype=np.float64) / CONVERSION_SCALE, 0.0, 1.0)


def creator_vectors(table: CreatorTable, weights: BlockWeights | None = None) -> FloatMatrix:
    """(n, DIM) float32 matrix; every row has norm √Σwᵦ (see the module docstring)."""
    w = weights or BlockWeights()
    n = len(table)
    out = np.empty((n, DIM), dtype=np.float32)
    for name, vocab in PERSONA_BLOCKS:
        out[:, LAYOUT.slices[name]] = math.sqrt(getattr(w, name)) * _unit_rows(
            getattr(table, name), _uniform(len(vocab))
        )
    out[:, LAYOUT.slices["category"]] = math.sqrt(w.category) * _unit_rows(
        category_multi_hot(table.categories), _uniform(len(CATEGORIES))
    )
    price = np.zeros((n, len(PRICE_BANDS)))
    known = table.price_band >= 0
    price[np.flatnonzero(known), table.price_band[known].astype(np.int64)] = 1.0
    out[:, LAYOUT.slices["price"]] = math.sqrt(w.price) * _unit_rows(price, _uniform(len(PRICE_BANDS)))
    out[:, LAYOUT.slices["gmv"]] = math.sqrt(w.gmv) * _scalar_block(gmv_score(table.gmv_per_live))
    out[:, LAYOUT.slices["conversion"]] = math.sqrt(w.conversion) * _scalar_block(conversion_score(table.conversion))
    return out


def _share_vector(shares: Mapping[str, float], vocab: tuple[StrEnum, ...]) -> npt.NDArray[np.float64]:
    return np.array([max(float(shares.get(m.value, 0.0)), 0.0) for m in vocab])


def _unit(v: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    norm = float(np.linalg.norm(v))
    return v / norm if norm > 0 else v


def product_vector(product: ProductProfile, weights: BlockWeights | None = None) -> FloatVector:
    """The query vector of a product; blocks the brand left empty are zero and do not count."""
    w = weights or BlockWeights()
    q = np.zeros(DIM, dtype=np.float64)
    category_onehot = np.zeros(len(CATEGORIES))
    category_onehot[CATEGORIES.index(product.category)] = 1.0
    for name, vocab in PERSONA_BLOCKS:
        shares = product.target.get(name)
        block = _share_vector(shares, vocab) if shares else np.zeros(len(vocab))
        if name == "interests":
            # The product's own category is always something its buyers are interested in.
            block = 0.5 * _unit(block) + 0.5 * category_onehot if shares else category_onehot
        q[LAYOUT.slices[name]] = math.sqrt(getattr(w, name)) * _unit(block)
    q[LAYOUT.slices["category"]] = math.sqrt(w.category) * category_onehot
    band = product.price_band
    if band >= 0:
        q[LAYOUT.slices["price"].start + band] = math.sqrt(w.price)
    q[LAYOUT.slices["gmv"].start] = math.sqrt(w.gmv)
    q[LAYOUT.slices["conversion"].start] = math.sqrt(w.conversion)
    return q.astype(np.float32)


def block_affinities(
    creator_rows: FloatMatrix, query: FloatVector, weights: BlockWeights | None = None
) -> dict[str, npt.NDArray[np.float64]]:
    """Per-block cosine between creators and the product (0 where the product leaves the block empty)."""
    w = weights or BlockWeights()
    out: dict[str, npt.NDArray[np.float64]] = {}
    for name, part in LAYOUT.slices.items():
        weight = getattr(w, name)
        dot = creator_rows[:, part].astype(np.float64) @ query[part].astype(np.float64)
        out[name] = dot / weight if weight > 0 else np.zeros(creator_rows.shape[0])
    return out
