"""选品中心: builds the matching index from the database and answers "which creators should sell this product?".

The index is built once per database (creators + fan personas + violations + livestreams + open collaborations)
and kept in the process.  Before each query, creators whose row or persona changed since the last look
(`updated_at` watermark) are upserted into it, and the penalty / availability flags are re-derived and the
differences written in place — no rebuild (see `matching.engine.index`).  The index and the ranker are warm
engines of the process (`MATCH_INDEX`, `RANKER`, kept by `kit.runtime`).

Definitions used for the filters:

* **penalised** — the creator is not in good standing (`governance.standing`: suspended, limited, or restricted by
  a recent confirmed or an open high-severity violation) and is not offered to brands;
* **available** — the creator carries fewer than `BOOKED_AT` collaborations between `accepted` and `live`;
* **price band** — the band of the creator's average order value in commerce livestreams (GMV / orders).

Ranking: retrieval returns `max(3k, 200)` candidates (≤ 1000), the LightGBM ranker re-orders them.  The ranker
is trained on simulated collaboration history (see `matching.training`) and cached on disk, because a
fresh database has too few past collaborations to learn from; every answer says which ranker it used.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session

from wanghong.accounts.principal import Principal, require_role
from wanghong.commerce.models import Campaign, Collaboration, Creator, FanPersona, LivestreamSession, Mcn, Product
from wanghong.config import Settings
from wanghong.domain import LABELS, CampaignStatus, CollaborationStatus, Role, follower_tier
from wanghong.fraud import scores as fraud_scores
from wanghong.governance import standing
from wanghong.growth import grades
from wanghong.kit import access
from wanghong.kit.db.base import utcnow
from wanghong.kit.errors import InvalidInput
from wanghong.kit.runtime import Runtime, Warm
from wanghong.matching.engine import (
    MAX_K,
    IndexConfig,
    MatchFilters,
    MatchIndex,
    MatchingInputError,
    PriceBand,
    ProductProfile,
    product_vector,
)
from wanghong.matching.engine.ranking import Ranker, explain, pair_features
from wanghong.matching.engine.vectors import (
    INDEPENDENT,
    MCN_TIERS,
    PERSONA_BLOCKS,
    PRICE_BANDS,
    UNKNOWN,
    CreatorTable,
    category_bits,
    price_band_code,
)
from wanghong.matching.training import load_or_train_ranker

BOOKED_AT = 3
IN_PROGRESS = (
    CollaborationStatus.ACCEPTED,
    CollaborationStatus.CONTENT_SUBMITTED,
    CollaborationStatus.APPROVED,
    CollaborationStatus.LIVE,
)
RANKER_SEED = 7


# ---------------------------------------------------------------------------------------------- loading


def _creator_table(session: Session, creator_ids: list[int] | None = None) -> CreatorTable:
    """Creators (all, or the given ids) with personas, commerce figures and flags, as engine columns."""
    query = (
        select(
            Creator.id,
            Creator.categories,
            Creator.followers,
            Creator.region,
            Mcn.tier,
            FanPersona.gender,
            FanPersona.age_bands,
            FanPersona.city_tiers,
            FanPersona.segments,
            FanPersona.interests,
        )
        .outerjoin(Mcn, Mcn.id == Creator.mcn_id)
        .outerjoin(FanPersona, FanPersona.creator_id == Creator.id)
    )
    if creator_ids is not None:
        query = query.where(Creator.id.in_(creator_ids))
    rows = session.execute(query.order_by(Creator.id)).all()
    n = len(rows)
    ids = np.array([r[0] for r in rows], dtype=np.int64)
    blocks = {name: np.zeros((n, len(vocab))) for name, vocab in PERSONA_BLOCKS}
    for i, r in enumerate(rows):
        for j, (name, vocab) in enumerate(PERSONA_BLOCKS):
            shares: dict[str, float] = r[5 + j] or {}  # type: ignore[assignment]
            blocks[name][i] = [float(shares.get(m.value, 0.0)) for m in vocab]
    regions = sorted({r[3] for r in rows if r[3]})
    region_code = {name: i for i, name in enumerate(regions)}
    commerce = _commerce(session, creator_ids)
    gmv_per_live = np.array([commerce.get(int(i), (0.0, 0.0, np.nan))[0] for i in ids])
    conversion = np.array([commerce.get(int(i), (0.0, 0.0, np.nan))[1] for i in ids])
    aov = np.array([commerce.get(int(i), (0.0, 0.0, np.nan))[2] for i in ids])
    penalised, booked = standing.unmatchable_creator_ids(session), _booked_ids(session)
    return CreatorTable(
        ids=ids,
        **blocks,
        categories=np.array([category_bits(r[1] or []) for r in rows], dtype=np.int32),
        followers=np.array([r[2] for r in rows], dtype=np.int64),
        mcn_tier=np.array(
            [MCN_TIERS.index(r[4].value) if r[4] is not None else INDEPENDENT for r in rows], dtype=np.int8
        ),
        region=np.array([region_code.get(r[3], -1) for r in rows], dtype=np.int32),
        price_band=np.asarray(price_band_code(aov), dtype=np.int8).reshape(n),
        gmv_per_live=gmv_per_live,
        conversion=conversion,
        penalised=np.isin(ids, list(penalised)),
        available=~np.isin(ids, list(booked)),
        regions=tuple(regions),
    )


def _commerce(session: Session, creator_ids: list[int] | None) -> dict[int, tuple[float, float, float]]:
    """creator id → (GMV per commerce livestream, orders per unique viewer, average order value)."""
    ls = LivestreamSession
    query = (
        select(ls.creator_id, func.count(), func.sum(ls.gmv), func.sum(ls.orders), func.sum(ls.unique_viewers))
        .where(ls.collaboration_id.is_not(None))
        .group_by(ls.creator_id)
    )
    if creator_ids is not None:
        query = query.where(ls.creator_id.in_(creator_ids))
    out: dict[int, tuple[float, float, float]] = {}
    for creator_id, sessions, gmv, orders, viewers in session.execute(query):
        gmv_f, orders_i, viewers_i = float(gmv or 0), int(orders or 0), int(viewers or 0)
        out[int(creator_id)] = (
            gmv_f / max(int(sessions), 1),
            orders_i / viewers_i if viewers_i else 0.0,
            gmv_f / orders_i if orders_i else float("nan"),
        )
    return out


def _booked_ids(session: Session) -> set[int]:
    open_deals = func.sum(case((Collaboration.status.in_(IN_PROGRESS), 1), else_=0))
    query = select(Collaboration.creator_id).group_by(Collaboration.creator_id).having(open_deals >= BOOKED_AT)
    return {int(i) for i in session.scalars(query)}


def _watermark(session: Session) -> tuple[datetime | None, int]:
    """The latest change of any creator or persona row, and how many creators there are (one round trip: every
    matching query asks both)."""
    creators, personas, count = session.execute(
        select(
            select(func.max(Creator.updated_at)).scalar_subquery(),
            select(func.max(FanPersona.updated_at)).scalar_subquery(),
            select(func.count()).select_from(Creator).scalar_subquery(),
        )
    ).one()
    stamps = [s for s in (creators, personas) if s is not None]
    return (max(stamps) if stamps else None), int(count or 0)


def _rows_at(session: Session, instant: datetime | None) -> int:
    """How many creator and persona rows carry exactly `instant` as their last change."""
    if instant is None:
        return 0
    creators, personas = session.execute(
        select(
            select(func.count()).select_from(Creator).where(Creator.updated_at == instant).scalar_subquery(),
            select(func.count()).select_from(FanPersona).where(FanPersona.updated_at == instant).scalar_subquery(),
        )
    ).one()
    return int(creators or 0) + int(personas or 0)


# ---------------------------------------------------------------------------------------------- the index


@dataclass
class _Entry:
    index: MatchIndex
    watermark: datetime | None
    database: str  # the database the index was read from
    # Rows already read that carry the watermark itself: while no other row shares it, the next refresh needs only
    # what changed after it (a bulk load stamps every creator alike, and re-reading them all on every query
    # cost a full table read per request).
    read_at_watermark: int = 0


def _database(session: Session) -> str:
    return session.get_bind().engine.url.render_as_string(hide_password=True)


class IndexCache:
    """The matching index of one process, read from the database once and then kept up to date in place."""

    def __init__(self) -> None:
        self._entry: _Entry | None = None
        # One writer at a time: two requests must not both upsert the same changes into the index.
        self._lock = threading.Lock()

    @property
    def index(self) -> MatchIndex | None:
        """The index as last brought up to date (None before the first query)."""
        return self._entry.index if self._entry is not None else None

    def build(self, session: Session, config: IndexConfig | None = None) -> MatchIndex:
        """A fresh index over every creator in the database (replaces the cached one)."""
        with self._lock:
            return self._build(session, config).index

    def _build(self, session: Session, config: IndexConfig | None = None) -> _Entry:
        watermark, _ = _watermark(session)
        index = MatchIndex(_creator_table(session), config=config)
        self._entry = _Entry(index, watermark, _database(session), _rows_at(session, watermark))
        return self._entry

    def current(self, session: Session) -> MatchIndex:
        """The index brought up to date with the database's changes since it was last used."""
        with self._lock:
            entry = self._entry
            if entry is None or entry.database != _database(session):
                entry = self._build(session)
            refresh(session, entry)
            return entry.index


MATCH_INDEX = Warm("matching.index", build=lambda settings: IndexCache())


def refresh(session: Session, entry: _Entry) -> int:
    """Upsert creators changed since the watermark and re-derive flags; returns how many rows were upserted."""
    index = entry.index
    changed: list[int] = []
    # The next watermark and its count are taken first: whatever is written meanwhile is newer than they say,
    # so the next refresh reads it again rather than never.
    next_mark, existing = _watermark(session)
    next_count = _rows_at(session, next_mark)
    # Unmoved, with no more rows at it than were read: no row is newer, so there is nothing to look for.
    moved = (next_mark, next_count) != (entry.watermark, entry.read_at_watermark)
    if entry.watermark is None:
        changed = [int(i) for i in session.scalars(select(Creator.id))]
    elif moved:
        mark = entry.watermark
        # A row written since, with the very same stamp, would hide behind a strict comparison: include the
        # watermark itself only when more rows carry it than were read.
        at_mark = next_count if next_mark == mark else _rows_at(session, mark)
        inclusive = at_mark != entry.read_at_watermark
        newer_creator = Creator.updated_at >= mark if inclusive else Creator.updated_at > mark
        newer_persona = FanPersona.updated_at >= mark if inclusive else FanPersona.updated_at > mark
        changed = sorted(
            {int(i) for i in session.scalars(select(Creator.id).where(newer_creator))}
            | {int(i) for i in session.scalars(select(FanPersona.creator_id).where(newer_persona))}
        )
    if changed:
        index.update(_creator_table(session, changed))
    if next_mark is not None:
        entry.watermark, entry.read_at_watermark = next_mark, next_count
    penalised, booked = standing.unmatchable_creator_ids(session), _booked_ids(session)
    cols = index.cols
    now_penalised = np.isin(cols.ids, list(penalised))
    now_available = ~np.isin(cols.ids, list(booked))
    flip_p = np.flatnonzero(now_penalised != cols.penalised)
    flip_a = np.flatnonzero(now_available != cols.available)
    for rows, setter in ((flip_p, "penalised"), (flip_a, "available")):
        for value in (True, False):
            target = now_penalised if setter == "penalised" else now_available
            picked = rows[target[rows] == value]
            if picked.size:
                index.set_flags(cols.ids[picked].tolist(), **{setter: value})
    alive = int(np.bitwise_count(index.bits_alive).sum())
    if existing < alive:  # creators were deleted: tombstone the ids the database no longer has
        present = {int(i) for i in session.scalars(select(Creator.id))}
        gone = [int(i) for i in cols.ids if int(i) not in present and index.contains(int(i))]
        if gone:
            index.remove(gone)
    return len(changed)


# ---------------------------------------------------------------------------------------------- the ranker


def _ranker(settings: Settings) -> Ranker:
    # Trained on simulated history the first time any process needs it, then loaded from the on-disk cache.
    return load_or_train_ranker(Path(settings.cache_dir), settings.matching_ranker_creators, RANKER_SEED)


RANKER = Warm("matching.ranker", build=_ranker)


# ---------------------------------------------------------------------------------------------- queries


SORTS = ("score", "quality")


@dataclass(frozen=True)
class MatchRequest:
    k: int = 50
    categories: tuple[str, ...] = ()
    followers_min: int | None = None
    followers_max: int | None = None
    mcn_tiers: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    price_bands: tuple[str, ...] = ()
    exclude_penalised: bool = True
    available_only: bool = False
    # 只看优质流量: the fraud scan's audience-quality score (0–100); a creator no scan has scored is left out.
    quality_min: int | None = None
    sort: str = "score"  # or "quality": audience quality first, the match score breaking ties

    def filters(self) -> MatchFilters:
        if not 1 <= self.k <= MAX_K:
            raise InvalidInput(f"k must be between 1 and {MAX_K}, got {self.k}")
        if self.quality_min is not None and not 0 <= self.quality_min <= 100:
            raise InvalidInput(f"quality_min 须在 0–100 之间 / quality_min must be 0–100, got {self.quality_min}")
        if self.sort not in SORTS:
            choices = ", ".join(SORTS)
            raise InvalidInput(f"sort 须为 {choices} 之一 / sort must be one of {choices}, got {self.sort!r}")
        try:
            from wanghong.domain import Category

            return MatchFilters(
                categories=frozenset(Category(c) for c in self.categories),
                followers_min=self.followers_min,
                followers_max=self.followers_max,
                mcn_tiers=frozenset(self.mcn_tiers),
                regions=frozenset(self.regions),
                price_bands=frozenset(PriceBand(b) for b in self.price_bands),
                exclude_penalised=self.exclude_penalised,
                available_only=self.available_only,
            )
        except ValueError as exc:  # MatchingInputError and unknown enum values alike
            raise InvalidInput(f"invalid filter: {exc}") from None


def audience_quality(session: Session, creator_ids: list[int]) -> np.ndarray:
    """Each creator's audience-quality score from the latest fraud scan, -1 where none has scored them (below any
    minimum, and last when sorting by quality)."""
    found = fraud_scores.qualities(session, creator_ids)
    return np.array([found[c].score if c in found else -1 for c in creator_ids], dtype=np.int64)


def brand_priority(index: MatchIndex, rows: np.ndarray, product: Product) -> np.ndarray:
    """品牌优先合作权: which retrieved creators' agencies are still inside their tier's first-look window on this
    product (星火计划, `growth.grades`); the ranking lifts them by a bounded amount."""
    tiers = [MCN_TIERS[int(code)] for code in index.cols.mcn_tier[rows]]
    return grades.brand_priority(tiers, product.created_at)


def product_profile(product: Product) -> ProductProfile:
    try:
        return ProductProfile.from_record(product.category, float(product.price), product.target_persona)
    except MatchingInputError as exc:
        raise InvalidInput(f"product {product.id} cannot be matched: {exc}") from None


def match_product(
    session: Session, principal: Principal, product_id: int, request: MatchRequest, engines: Runtime
) -> dict[str, Any]:
    """Ranked creators for one of the principal's products, each with an explanation and a GMV range."""
    # Visibility first: a product the principal cannot see is a 404 whatever their role.
    product = access.get_visible(session, Product, product_id, principal)
    require_role(principal, Role.BRAND_MANAGER, action="matching creators to a product")
    filters = request.filters()
    profile = product_profile(product)
    index = engines.get(MATCH_INDEX).current(session)
    query = product_vector(profile, index.weights)
    # A quality minimum or sort reorders by a figure the index does not hold: it works over the widest pool, so a
    # clean creator just past the usual 3×k is not lost to the filter.
    by_quality = request.quality_min is not None or request.sort == "quality"
    retrieve = MAX_K if by_quality else min(MAX_K, max(3 * request.k, 200))
    found = index.search(query, filters, retrieve)
    ranker = engines.get(RANKER)
    items: list[dict[str, Any]] = []
    if found.rows.size:
        features = pair_features(index, found.rows, profile, query)
        scores = ranker.score(features)
        priority = brand_priority(index, found.rows, product)
        scores = grades.priority_lift(scores, priority)
        quality = audience_quality(session, index.cols.ids[found.rows].tolist())
        keys = (found.rows, -scores, *((-quality,) if request.sort == "quality" else ()))
        order = np.lexsort(keys)
        if request.quality_min is not None:
            order = order[quality[order] >= request.quality_min]
        order = order[: request.k]
        ranges = ranker.gmv_range(features[order])
        rows = found.rows[order]
        details = _creator_details(session, index.cols.ids[rows].tolist())
        shares = index.persona_shares(rows)
        # Python floats once, not a NumPy scalar per share: fifty rows of persona shares are most of the answer.
        share_lists = {name: block.tolist() for name, block in shares.items()}
        for pos, (row, rank_score) in enumerate(zip(rows.tolist(), scores[order].tolist(), strict=True)):
            creator_id = int(index.cols.ids[row])
            detail = details.get(creator_id, {})
            band = int(index.cols.price_band[row])
            items.append(
                {
                    "rank": pos + 1,
                    "creator_id": creator_id,
                    **detail,
                    "followers": int(index.cols.followers[row]),
                    "follower_tier": follower_tier(int(index.cols.followers[row])).value,
                    "mcn_tier": MCN_TIERS[int(index.cols.mcn_tier[row])],
                    "price_band": PRICE_BANDS[band].value if band != UNKNOWN else None,
                    "penalised": bool(index.cols.penalised[row]),
                    "available": bool(index.cols.available[row]),
                    "score": round(float(rank_score), 4),
                    "audience_quality": int(quality[order][pos]) if quality[order][pos] >= 0 else None,
                    "priority": bool(priority[order][pos]),
                    "affinity": round(float(found.scores[order][pos]), 4),
                    "expected_gmv": {
                        "p10": round(float(ranges[pos, 0]), 2),
                        "p50": round(float(ranges[pos, 1]), 2),
                        "p90": round(float(ranges[pos, 2]), 2),
                    },
                    "overlaps": [
                        o.__dict__ for o in explain(index, row, profile, persona={n: b[pos] for n, b in shares.items()})
                    ],
                    "persona": {
                        name: {m.value: round(share, 4) for m, share in zip(vocab, share_lists[name][pos], strict=True)}
                        for name, vocab in PERSONA_BLOCKS
                        if name in ("segments", "age_bands", "interests")
                    },
                }
            )
    return {
        "product": {
            "id": product.id,
            "name": product.name,
            "category": product.category,
            "category_label": LABELS.get(product.category, product.category),
            "price": float(product.price),
            "price_band": PRICE_BANDS[profile.price_band].value if profile.price_band != UNKNOWN else None,
        },
        "plan": {
            "strategy": found.plan.strategy,
            "estimated_rows": found.plan.estimated_rows,
            "selectivity": round(found.plan.selectivity, 6),
            "nprobe": found.plan.nprobe,
            "retrieved": int(found.rows.size),
        },
        "ranker": ranker.source,
        "items": items,
    }


def _creator_details(session: Session, creator_ids: list[int]) -> dict[int, dict[str, Any]]:
    # Matching exposes the marketplace profile (handle, name, categories, region) of candidate creators to
    # brands, as the collaboration proposal rules in services/access.py anticipate (_REFERENCE_SCOPES).
    rows = session.execute(
        select(
            Creator.id, Creator.handle, Creator.display_name, Creator.categories, Creator.region, Creator.platform
        ).where(Creator.id.in_(creator_ids))
    ).all()
    return {
        int(r[0]): {
            "handle": r[1],
            "display_name": r[2],
            "categories": list(r[3] or []),
            "region": r[4],
            "platform": r[5].value if hasattr(r[5], "value") else r[5],
        }
        for r in rows
    }


def my_products(session: Session, principal: Principal) -> list[Product]:
    """Products the principal may match (their brand's; all for an administrator)."""
    require_role(principal, Role.BRAND_MANAGER, action="matching creators to a product")
    return list(session.scalars(access.visible_rows(Product, principal).order_by(Product.id)))


def open_campaigns(session: Session, principal: Principal) -> list[Campaign]:
    """The principal's campaigns still taking proposals (launched, not ended), which a match can be proposed under."""
    query = access.visible_rows(Campaign, principal).where(
        Campaign.status == CampaignStatus.ACTIVE, or_(Campaign.ends_at.is_(None), Campaign.ends_at > utcnow())
    )
    return list(session.scalars(query.order_by(Campaign.id)))
