"""达人广场 use cases: brands search the whole platform's creators, keep a 收藏夹, compare and read a creator's
达人详情; creators (and their MCN on their behalf) keep their 报价.

A creator's marketplace profile (handle, audience, figures, rate card, standing) is open to every brand: brands
discover creators they have never worked with, as `commerce.models` lets them propose to any creator. What stays
private is the other brands' business: their fees are not shown on another brand's 达人详情.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, Text, cast, func, or_, select
from sqlalchemy.orm import Session

from wanghong.accounts.principal import Principal, require_role
from wanghong.commerce.models import Brand, Campaign, Collaboration, Creator, FanPersona, LivestreamSession, Mcn
from wanghong.domain import (
    Category,
    ClaimStatus,
    CollaborationStatus,
    FollowerTier,
    McnTier,
    Role,
    Segment,
    follower_range_problem,
)
from wanghong.governance.standing import CreatorStanding, Standing, standing_of, standings
from wanghong.kit import access
from wanghong.kit.audit import record
from wanghong.kit.db.session import insert_once
from wanghong.kit.errors import Conflict, InvalidInput
from wanghong.kit.paging import DEFAULT_PAGE_SIZE, Page, check_limit, paginate
from wanghong.marketplace.models import Favourite, RateCard
from wanghong.marketplace.schemas import INDEPENDENT, FavouriteIn, RateCardIn, Sort
from wanghong.originality.models import OriginalityClaim

# An audience segment filter keeps creators with at least this share of their fans in the segment: a creator
# whose audience is a fifth 宝妈 reaches 宝妈 the way a brand means it; a trace share does not.
SEGMENT_SHARE_FLOOR = 0.2
COMPARED = 4  # creators side by side, as 星图's compare does
# Collaborations that took place (accepted and on), which a 达人详情 lists; offers declined or withdrawn are the
# two parties' business only.
TOOK_PLACE = (
    CollaborationStatus.ACCEPTED,
    CollaborationStatus.CONTENT_SUBMITTED,
    CollaborationStatus.APPROVED,
    CollaborationStatus.LIVE,
    CollaborationStatus.SETTLED,
)
# Edges of the GMV distribution's bins (CNY per livestream): 1千, 1万, 10万, 100万.
CENT = Decimal("0.01")
GMV_BINS = (Decimal(1_000), Decimal(10_000), Decimal(100_000), Decimal(1_000_000))


@dataclass(frozen=True)
class CreatorQuery:
    """The 达人广场 filters; a field left at its default narrows nothing."""

    keyword: str = ""  # part of the handle (with or without @) or of the display name
    category: Category | None = None
    region: str = ""
    followers_min: int | None = None
    followers_max: int | None = None
    follower_tier: FollowerTier | None = None
    mcn_tier: str = ""  # an McnTier value, or INDEPENDENT
    segment: Segment | None = None
    sort: Sort = Sort.FOLLOWERS

    def __post_init__(self) -> None:
        if self.mcn_tier and self.mcn_tier != INDEPENDENT and self.mcn_tier not in {t.value for t in McnTier}:
            raise InvalidInput(f"mcn_tier must be one of {[*(t.value for t in McnTier), INDEPENDENT]}")
        problem = follower_range_problem(self.followers_min, self.followers_max)
        if problem is not None:
            raise InvalidInput(problem)


@dataclass(frozen=True)
class MarketRow:
    """One creator as the market lists it."""

    creator: Creator
    mcn: Mcn | None
    gmv: Decimal
    segments: dict[str, float]
    rate_card: RateCard | None
    favourite: bool


def _require_market(principal: Principal) -> None:
    require_role(principal, Role.BRAND_MANAGER, action="searching the 达人广场")


def _gmv_fen() -> Any:
    """Each creator's livestream GMV in fen, an integer, so that the sort key compares exactly on every database."""
    total = func.coalesce(func.sum(LivestreamSession.gmv), 0)
    return (
        select(
            LivestreamSession.creator_id.label("creator_id"),
            cast(func.round(total * 100), BigInteger).label("fen"),
        )
        .group_by(LivestreamSession.creator_id)
        .subquery("gmv")
    )


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _conditions(query: CreatorQuery) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    keyword = query.keyword.strip().removeprefix("@")
    if keyword:
        pattern = _like(keyword.lower())
        where.append(
            or_(
                func.lower(Creator.handle).like(pattern, escape="\\"),
                func.lower(Creator.display_name).like(pattern, escape="\\"),
            )
        )
    if query.category is not None:
        # JSON arrays are compared as text so the same filter works on SQLite and PostgreSQL (as commerce does).
        where.append(Creator.categories.cast(Text()).contains(json.dumps(query.category.value)))
    if query.region.strip():
        where.append(Creator.region == query.region.strip())
    if query.followers_min is not None:
        where.append(Creator.followers >= query.followers_min)
    if query.followers_max is not None:
        where.append(Creator.followers <= query.followers_max)
    if query.follower_tier is not None:
        where.append(Creator.follower_tier == query.follower_tier)
    if query.mcn_tier == INDEPENDENT:
        where.append(Creator.mcn_id.is_(None))
    elif query.mcn_tier:
        where.append(Creator.mcn_id.in_(select(Mcn.id).where(Mcn.tier == McnTier(query.mcn_tier))))
    if query.segment is not None:
        share = FanPersona.segments[query.segment.value].as_float()
        where.append(Creator.id.in_(select(FanPersona.creator_id).where(share >= SEGMENT_SHARE_FLOOR)))
    return where


def _encode(key: int, ident: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"k": key, "id": ident}).encode()).decode()


def _decode(cursor: str) -> tuple[int, int]:
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        key, ident = raw["k"], raw["id"]
        if not isinstance(key, int) or not isinstance(ident, int):
            raise TypeError
        return key, ident
    except (binascii.Error, ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise InvalidInput("cursor is malformed; pass back the next_cursor of the previous page unchanged") from None


def search_creators(
    session: Session,
    principal: Principal,
    query: CreatorQuery,
    limit: int = DEFAULT_PAGE_SIZE,
    cursor: str | None = None,
) -> Page[MarketRow]:
    """One page of the platform's creators that pass the filters, largest first by the chosen sort.

    The cursor is a keyset on (sort key, id): pages stay stable while creators are added and the database reads
    one index range per page, never an offset."""
    _require_market(principal)
    check_limit(limit)
    key: Any = {Sort.FOLLOWERS: Creator.followers, Sort.NEWEST: Creator.id}.get(query.sort)
    stmt: Any
    if key is None:
        # Only the GMV sort reads every creator's livestreams; the others total GMV for the page's rows alone.
        gmv = _gmv_fen()
        key = func.coalesce(gmv.c.fen, 0)
        stmt = select(Creator, key).outerjoin(gmv, gmv.c.creator_id == Creator.id)
    else:
        stmt = select(Creator, key)
    stmt = stmt.where(*_conditions(query))
    if cursor is not None:
        after_key, after_id = _decode(cursor)
        stmt = stmt.where(or_(key < after_key, (key == after_key) & (Creator.id < after_id)))
    rows = session.execute(stmt.order_by(key.desc(), Creator.id.desc()).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    creators = [row[0] for row in rows]
    next_cursor = _encode(int(rows[-1][1]), creators[-1].id) if more and rows else None
    return Page(_market_rows(session, principal, creators), next_cursor)


def _market_rows(session: Session, principal: Principal, creators: Sequence[Creator]) -> list[MarketRow]:
    ids = [c.id for c in creators]
    if not ids:
        return []
    mcns = {m.id: m for m in session.scalars(select(Mcn).where(Mcn.id.in_({c.mcn_id for c in creators if c.mcn_id})))}
    gmv = dict(
        session.execute(
            select(LivestreamSession.creator_id, func.sum(LivestreamSession.gmv))
            .where(LivestreamSession.creator_id.in_(ids))
            .group_by(LivestreamSession.creator_id)
        ).all()
    )
    segments = dict(
        session.execute(select(FanPersona.creator_id, FanPersona.segments).where(FanPersona.creator_id.in_(ids))).all()
    )
    cards = {r.creator_id: r for r in session.scalars(select(RateCard).where(RateCard.creator_id.in_(ids)))}
    kept = _favourite_ids(session, principal, ids)
    return [
        MarketRow(
            c,
            mcns.get(c.mcn_id) if c.mcn_id else None,
            Decimal(str(gmv.get(c.id) or 0)).quantize(Decimal("0.01")),
            dict(segments.get(c.id) or {}),
            cards.get(c.id),
            c.id in kept,
        )
        for c in creators
    ]


def regions(session: Session, principal: Principal) -> list[str]:
    """The regions creators are in, for the region filter's choices."""
    _require_market(principal)
    found = session.scalars(select(Creator.region).where(Creator.region != "").distinct().order_by(Creator.region))
    return list(found)


# --- 收藏夹 -----------------------------------------------------------------------------------------------------


def _favourite_ids(session: Session, principal: Principal, creator_ids: list[int]) -> set[int]:
    if principal.brand_id is None:
        return set()
    return set(
        session.scalars(
            select(Favourite.creator_id).where(
                Favourite.brand_id == principal.brand_id, Favourite.creator_id.in_(creator_ids)
            )
        )
    )


def favourites(
    session: Session, principal: Principal, limit: int = DEFAULT_PAGE_SIZE, cursor: str | None = None
) -> Page[Favourite]:
    """The reader's brand's 收藏夹, the latest saved first (an administrator reads every brand's)."""
    _require_market(principal)
    return paginate(session, access.visible_rows(Favourite, principal), limit, cursor, newest_first=True)


def favourite_rows(
    session: Session, principal: Principal, limit: int = DEFAULT_PAGE_SIZE, cursor: str | None = None
) -> tuple[list[tuple[Favourite, MarketRow]], str | None]:
    """The 收藏夹 page: each saved creator with its marketplace row."""
    page = favourites(session, principal, limit, cursor)
    creators = {
        c.id: c for c in session.scalars(select(Creator).where(Creator.id.in_([f.creator_id for f in page.items])))
    }
    rows = {r.creator.id: r for r in _market_rows(session, principal, list(creators.values()))}
    return [(f, rows[f.creator_id]) for f in page.items if f.creator_id in rows], page.next_cursor


def add_favourite(session: Session, principal: Principal, data: FavouriteIn) -> Favourite:
    """Save a creator to a brand's 收藏夹; saving it twice is a 409 (the row it already has stands)."""
    _require_market(principal)
    brand_id = _favouring_brand(session, principal, data.brand_id)
    access.get_referenceable(session, Creator, data.creator_id, principal)
    row = Favourite(brand_id=brand_id, creator_id=data.creator_id)
    # The unique (brand, creator) constraint decides a race between two saves: the loser is told, not doubled.
    if not insert_once(session, row):
        raise Conflict(f"creator {data.creator_id} is already in the 收藏夹")
    record(session, principal, "favourite.create", row, {"brand_id": brand_id, "creator_id": data.creator_id})
    return row


def _favouring_brand(session: Session, principal: Principal, brand_id: int | None) -> int:
    if principal.role is Role.BRAND_MANAGER:
        if principal.brand_id is None:
            raise Conflict(f"account {principal.username} is not bound to a brand")
        if brand_id is not None and brand_id != principal.brand_id:
            # Another brand's 收藏夹 is not there for this reader, as any foreign object.
            access.get_visible(session, Brand, brand_id, principal)
        return principal.brand_id
    if brand_id is None:
        raise InvalidInput("an administrator saves a favourite for a brand: give brand_id")
    return access.get_visible(session, Brand, brand_id, principal).id


def remove_favourite(session: Session, principal: Principal, favourite_id: int) -> None:
    # Found first: another tenant's favourite is simply not there (404), whatever the reader's role.
    row = access.get_visible(session, Favourite, favourite_id, principal)
    _require_market(principal)
    record(session, principal, "favourite.delete", row, {"brand_id": row.brand_id, "creator_id": row.creator_id})
    session.delete(row)
    session.flush()


def toggle_favourite(session: Session, principal: Principal, creator_id: int, keep: bool) -> None:
    """The page's 收藏 button: keep or drop the creator; pressing it twice leaves it as the first press did."""
    _require_market(principal)
    brand_id = _favouring_brand(session, principal, None)
    existing = session.scalar(
        select(Favourite).where(Favourite.brand_id == brand_id, Favourite.creator_id == creator_id)
    )
    if keep and existing is None:
        # A second tab may have saved it meanwhile: what the reader asked for holds either way.
        with contextlib.suppress(Conflict):
            add_favourite(session, principal, FavouriteIn(creator_id=creator_id))
    elif not keep and existing is not None:
        remove_favourite(session, principal, existing.id)


# --- 报价 (rate cards) ---------------------------------------------------------------------------------------------


def rate_card(session: Session, principal: Principal, creator_id: int) -> RateCard | None:
    """The creator's rate card (None: not quoted yet), for the creator, its MCN and administrators."""
    access.get_visible(session, Creator, creator_id, principal)
    return session.get(RateCard, creator_id)


def put_rate_card(session: Session, principal: Principal, creator_id: int, data: RateCardIn) -> RateCard:
    """Replace the creator's rate card whole; the creator or its MCN only. Audited with the prices before and
    after. The row is locked first, so two editors never interleave; the first quote of a creator is decided by
    its primary key (the loser of two first quotes at once is told to reload)."""
    access.get_visible(session, Creator, creator_id, principal)
    require_role(principal, Role.CREATOR, Role.MCN_MANAGER, action="quoting prices")
    # Cents as the column keeps them, so the answer reads the same as every later read.
    values = {k: v.quantize(CENT) if isinstance(v, Decimal) else v for k, v in data.model_dump().items()}
    row = session.get(RateCard, creator_id, with_for_update=True, populate_existing=True)
    before = None if row is None else {name: getattr(row, name) for name in values}
    if row is None:
        row = RateCard(creator_id=creator_id, **values, updated_by_id=principal.user_id or None)
        if not insert_once(session, row):
            raise Conflict(f"creator {creator_id}'s rate card was just quoted by someone else; reload it")
    else:
        for name, value in values.items():
            setattr(row, name, value)
        row.updated_by_id = principal.user_id or None
        session.flush()
    record(session, principal, "rate_card.put", row, {"before": _plain(before), "after": _plain(values)})
    return row


def _plain(values: dict[str, Any] | None) -> dict[str, Any] | None:
    if values is None:
        return None
    return {k: (str(v) if isinstance(v, Decimal) else v) for k, v in values.items()}


def quoting_for(session: Session, principal: Principal) -> list[Creator]:
    """The creators whose rate card the reader keeps: itself, or its MCN's roster."""
    require_role(principal, Role.CREATOR, Role.MCN_MANAGER, action="quoting prices")
    return list(session.scalars(access.visible_rows(Creator, principal).order_by(Creator.display_name, Creator.id)))


# --- 达人详情 and compare -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PastCollaboration:
    collaboration: Collaboration
    brand: str
    campaign: str
    own: bool  # the reader's brand's (or the reader is the platform): its fee may be shown


@dataclass(frozen=True)
class OriginalityRecord:
    filed: int  # claims the creator filed against copies of its work
    filed_confirmed: int
    accused: int  # claims filed against the creator
    accused_confirmed: int
    latest: list[tuple[OriginalityClaim, bool]]  # newest claims either way, and whether the creator is the accused


@dataclass(frozen=True)
class Detail:
    row: MarketRow
    persona: FanPersona | None
    standing: CreatorStanding
    collaborations: list[PastCollaboration]
    collaborations_cursor: str | None
    livestreams: int
    gmv_bins: list[int]  # livestreams per GMV bin, bins as GMV_BINS cut them
    best_gmv: Decimal
    originality: OriginalityRecord


def _visible_creator(session: Session, principal: Principal, creator_id: int) -> Creator:
    """Brands (and the platform) read every creator's marketplace profile; a creator or MCN its own only."""
    return access.get_referenceable(session, Creator, creator_id, principal)


def detail(session: Session, principal: Principal, creator_id: int, collaborations_cursor: str | None = None) -> Detail:
    creator = _visible_creator(session, principal, creator_id)
    row = _market_rows(session, principal, [creator])[0]
    took_place = select(Collaboration).where(
        Collaboration.creator_id == creator_id, Collaboration.status.in_(TOOK_PLACE)
    )
    page = paginate(session, took_place, 10, collaborations_cursor, newest_first=True)
    names = {
        cid: (brand_id, brand, campaign)
        for cid, brand_id, brand, campaign in session.execute(
            select(Campaign.id, Brand.id, Brand.name, Campaign.name)
            .join(Brand, Brand.id == Campaign.brand_id)
            .where(Campaign.id.in_({c.campaign_id for c in page.items}))
        )
    }
    past = [
        PastCollaboration(
            c,
            names[c.campaign_id][1],
            names[c.campaign_id][2],
            principal.sees_everything or names[c.campaign_id][0] == principal.brand_id,
        )
        for c in page.items
    ]
    gmvs = [
        Decimal(str(g or 0))
        for g in session.scalars(select(LivestreamSession.gmv).where(LivestreamSession.creator_id == creator_id))
    ]
    bins = [0] * (len(GMV_BINS) + 1)
    for g in gmvs:
        bins[sum(1 for edge in GMV_BINS if g >= edge)] += 1
    return Detail(
        row=row,
        persona=session.get(FanPersona, creator_id),
        standing=standing_of(session, creator_id),
        collaborations=past,
        collaborations_cursor=page.next_cursor,
        livestreams=len(gmvs),
        gmv_bins=bins,
        best_gmv=max(gmvs, default=Decimal(0)),
        originality=_originality(session, creator_id),
    )


def _originality(session: Session, creator_id: int) -> OriginalityRecord:
    c = OriginalityClaim

    def by_status(side: Any) -> dict[ClaimStatus, int]:
        rows = session.execute(select(c.status, func.count(c.id)).where(side == creator_id).group_by(c.status))
        return {status: int(n) for status, n in rows}

    filed, accused = by_status(c.claimant_creator_id), by_status(c.accused_creator_id)
    latest = list(
        session.scalars(
            select(c)
            .where(or_(c.claimant_creator_id == creator_id, c.accused_creator_id == creator_id))
            .order_by(c.id.desc())
            .limit(10)
        )
    )
    return OriginalityRecord(
        filed=sum(filed.values()),
        filed_confirmed=filed.get(ClaimStatus.CONFIRMED, 0),
        accused=sum(accused.values()),
        accused_confirmed=accused.get(ClaimStatus.CONFIRMED, 0),
        latest=[(claim, claim.accused_creator_id == creator_id) for claim in latest],
    )


@dataclass(frozen=True)
class Compared:
    row: MarketRow
    persona: FanPersona | None
    standing: CreatorStanding


class TooManyCompared(InvalidInput):
    """More creators than fit side by side."""


def parse_ids(raw: str) -> list[int]:
    """`1,2,3` as ids, in the order given, each once."""
    ids: list[int] = []
    for part in raw.replace("，", ",").split(","):
        if not part.strip():
            continue
        try:
            ident = int(part)
        except ValueError:
            raise InvalidInput(f"ids must be creator numbers separated by commas, got {part.strip()!r}") from None
        if ident not in ids:
            ids.append(ident)
    return ids


def compare(session: Session, principal: Principal, creator_ids: list[int]) -> list[Compared]:
    """Up to four creators side by side, in the order asked."""
    _require_market(principal)
    if len(creator_ids) > COMPARED:
        raise TooManyCompared(
            f"at most {COMPARED} creators can be compared at once, got {len(creator_ids)}", n=len(creator_ids)
        )
    creators = [_visible_creator(session, principal, ident) for ident in creator_ids]
    rows = _market_rows(session, principal, creators)
    personas = {
        p.creator_id: p for p in session.scalars(select(FanPersona).where(FanPersona.creator_id.in_(creator_ids)))
    }
    found = standings(session, creator_ids)
    return [Compared(r, personas.get(r.creator.id), found.get(r.creator.id) or _good(r.creator.id)) for r in rows]


def _good(creator_id: int) -> CreatorStanding:
    return CreatorStanding(creator_id, Standing.GOOD, 1.0, ())
