"""选品广场 use cases: brands open products for distribution, creators (or their MCN) browse them, ask for samples
and fill a livestream's 购物车; content submitted on a collaboration is kept as versions with their scans.

Every write is audited; a decision on a sample request applies only while the request is still pending (a
conditional UPDATE), so of parallel decisions exactly one wins and the others are told it moved on (409).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import CursorResult, Select, and_, delete, func, or_, select, text, update
from sqlalchemy.orm import Session

from wanghong.accounts.principal import Principal, require_role
from wanghong.commerce import hooks, workflow
from wanghong.commerce.models import Brand, Collaboration, Creator, LivestreamSession, Product
from wanghong.commerce.resources import RESOURCES, create_row
from wanghong.commerce.schemas import LivestreamIn, TransitionIn
from wanghong.compliance.verdicts import blocked_products, is_blocked, product_verdicts
from wanghong.domain import CollaborationStatus, Role, Verdict
from wanghong.kit import access, idempotency
from wanghong.kit.audit import record
from wanghong.kit.db.base import utcnow
from wanghong.kit.db.session import insert_new, insert_once
from wanghong.kit.errors import Conflict, InvalidInput
from wanghong.kit.listing import PageRequest, visible_page
from wanghong.kit.paging import Page, check_limit, keyed_page
from wanghong.selection import notices, precheck
from wanghong.selection.models import (
    OPEN_SAMPLE,
    CartItem,
    ContentVersion,
    Listing,
    ListingStatus,
    SamplePolicy,
    SampleRequest,
    SampleStatus,
)
from wanghong.selection.schemas import (
    CartItemIn,
    ContentIn,
    ListingIn,
    ListingUpdate,
    MarketSort,
    SampleDecision,
    SampleDecisionIn,
    SampleIn,
)

LISTED = 200  # the newest rows a workspace table shows; the API pages through all of them
CREATOR_SIDE = (Role.CREATOR, Role.MCN_MANAGER)

# Creators and MCNs may point at any listing (the catalog is the brands' public offer) without managing it; a
# closed one is then refused with its reason rather than hidden.
access.register_reference(Listing, creator=access.everyone, mcn_manager=access.everyone)


# --- 商品上架 (the brand's side) ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProductListing:
    product: Product
    listing: Listing | None
    verdict: Verdict | None
    blocked: bool


def brand_listings(
    session: Session, principal: Principal, *, limit: int = LISTED, cursor: str | None = None
) -> tuple[list[ProductListing], str | None]:
    """A page of the brand's products, newest first, each with its listing (if any) and compliance verdict."""
    require_role(principal, Role.BRAND_MANAGER, action="managing distribution listings")
    found = visible_page(session, principal, Product, PageRequest(limit, cursor), newest_first=True)
    products = found.items
    ids = [p.id for p in products]
    listings = {row.product_id: row for row in session.scalars(select(Listing).where(Listing.product_id.in_(ids)))}
    verdicts = product_verdicts(session, ids)
    lines = []
    for product in products:
        verdict, review = verdicts.get(product.id, (None, None))
        lines.append(
            ProductListing(
                product, listings.get(product.id), verdict, verdict is not None and is_blocked(verdict, review)
            )
        )
    return lines, found.next_cursor


def _refuse_blocked(session: Session, product_id: int) -> None:
    if blocked_products(session, [product_id]):
        raise Conflict(
            f"product {product_id} is blocked by compliance review (拦截): change its copy or have a reviewer "
            "overturn the verdict before it is offered to creators"
        )


def open_listing(session: Session, principal: Principal, data: ListingIn) -> Listing:
    require_role(principal, Role.BRAND_MANAGER, action="opening products for distribution")
    product = access.get_visible(session, Product, data.product_id, principal)
    _refuse_blocked(session, product.id)
    row = Listing(
        product_id=product.id,
        brand_id=product.brand_id,
        commission_rate=data.commission_rate,
        sample_policy=data.sample_policy,
        sample_note=data.sample_note,
        status=ListingStatus.OPEN,
    )
    if not insert_once(session, row):
        raise Conflict(
            f"product {product.id} is already listed; change or reopen its listing instead of opening another"
        )
    record(session, principal, "selection_listing.create", row, data.model_dump(mode="json"))
    return row


def change_listing(session: Session, principal: Principal, listing_id: int, data: ListingUpdate) -> Listing:
    row = access.get_visible(session, Listing, listing_id, principal)
    require_role(principal, Role.BRAND_MANAGER, action="changing distribution listings")
    changes = data.model_dump(exclude_unset=True, exclude_none=True)
    if changes.get("status") is ListingStatus.OPEN and row.status is not ListingStatus.OPEN:
        _refuse_blocked(session, row.product_id)
    for name, value in changes.items():
        setattr(row, name, value)
    row.updated_at = utcnow()
    session.flush()
    record(session, principal, "selection_listing.update", row, data.model_dump(mode="json", exclude_unset=True))
    return row


def listings_page(
    session: Session, principal: Principal, page: PageRequest, *, status: ListingStatus | None
) -> Page[Listing]:
    require_role(principal, Role.BRAND_MANAGER, action="reading distribution listings")
    return visible_page(session, principal, Listing, page, newest_first=True, status=status)


# --- 选品广场 (the creators' side) ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class MarketQuery:
    text: str = ""
    category: str = ""
    min_rate: float | None = None
    max_rate: float | None = None
    sort: MarketSort = MarketSort.NEWEST


@dataclass(frozen=True)
class Offer:
    listing: Listing
    product: Product
    brand: str

    @property
    def per_sale(self) -> Decimal:
        return (self.product.price * Decimal(str(self.listing.commission_rate))).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class Market:
    offers: list[Offer]
    total: int
    offset: int
    next_offset: int | None


_ORDER = {
    MarketSort.NEWEST: (Listing.id.desc(),),
    MarketSort.COMMISSION: (Listing.commission_rate.desc(), Listing.id.desc()),
    MarketSort.PRICE: (Product.price.asc(), Listing.id.desc()),
    MarketSort.PRICE_DESC: (Product.price.desc(), Listing.id.desc()),
}


def market(session: Session, principal: Principal, query: MarketQuery, *, limit: int, offset: int = 0) -> Market:
    """Open listings a creator can sell, filtered and sorted; paged by position, since the order is not the key."""
    require_role(principal, *CREATOR_SIDE, action="browsing 选品广场")
    check_limit(limit)
    conditions: list[Any] = [Listing.status == ListingStatus.OPEN]
    if query.text.strip():
        words = f"%{query.text.strip()}%"
        conditions.append(or_(Product.name.ilike(words), Product.description.ilike(words), Brand.name.ilike(words)))
    if query.category:
        conditions.append(Product.category == query.category)
    if query.min_rate is not None:
        conditions.append(Listing.commission_rate >= query.min_rate)
    if query.max_rate is not None:
        conditions.append(Listing.commission_rate <= query.max_rate)
    joined = (
        select(Listing, Product, Brand.name)
        .join(Product, Product.id == Listing.product_id)
        .join(Brand, Brand.id == Listing.brand_id)
        .where(and_(*conditions))
    )
    total = session.scalar(select(func.count()).select_from(joined.with_only_columns(Listing.id).subquery())) or 0
    rows = session.execute(joined.order_by(*_ORDER[query.sort]).offset(offset).limit(limit)).all()
    offers = [Offer(listing, product, brand) for listing, product, brand in rows]
    following = offset + len(offers)
    return Market(offers, total, offset, following if following < total else None)


def my_samples_by_listing(session: Session, principal: Principal, listing_ids: list[int]) -> dict[int, SampleStatus]:
    """The newest sample request of the reader's creators for each listing shown, so the catalog says 已申样."""
    found: dict[int, SampleStatus] = {}
    query = (
        access.visible_rows(SampleRequest, principal)
        .where(SampleRequest.listing_id.in_(listing_ids))
        .order_by(SampleRequest.id)
    )
    for row in session.scalars(query):
        found[row.listing_id] = row.status
    return found


def _speaking_for(session: Session, principal: Principal, creator_id: int | None) -> int:
    """The creator a creator-side request is for: the creator themself, or one of the MCN's roster."""
    if principal.role is Role.CREATOR:
        if creator_id is not None and creator_id != principal.creator_id:
            access.get_visible(session, Creator, creator_id, principal)  # another creator: 404
        if principal.creator_id is None:
            raise Conflict(f"account {principal.username} is not bound to a creator")
        return principal.creator_id
    if creator_id is None:
        raise InvalidInput("an MCN asks on behalf of one of its creators: name creator_id")
    return access.get_visible(session, Creator, creator_id, principal).id


def _open_listing(session: Session, principal: Principal, listing_id: int) -> Listing:
    row = access.get_referenceable(session, Listing, listing_id, principal)
    if row.status is not ListingStatus.OPEN:
        raise Conflict(f"listing {listing_id} is closed: the brand no longer offers this product")
    _refuse_blocked(session, row.product_id)
    return row


def request_sample(session: Session, principal: Principal, data: SampleIn) -> SampleRequest:
    require_role(principal, *CREATOR_SIDE, action="requesting samples (申样)")
    listing = _open_listing(session, principal, data.listing_id)
    creator_id = _speaking_for(session, principal, data.creator_id)
    if listing.sample_policy is SamplePolicy.NONE:
        raise Conflict(f"listing {listing.id} offers no samples; sell it from the product page")
    # Not check-then-insert: the insert itself yields to the open request the unique index names, so of two
    # identical requests at once one creates and the other is told which request stands. ON CONFLICT rather than
    # a savepoint, which pysqlite does not honour as the transaction's first statement.
    now = utcnow()
    values = {
        "listing_id": listing.id,
        "product_id": listing.product_id,
        "brand_id": listing.brand_id,
        "creator_id": creator_id,
        "address": data.address,
        "note": data.note,
        "status": SampleStatus.PENDING,
        "reason": "",
        "created_at": now,
        "updated_at": now,
    }
    open_request = [SampleRequest.listing_id, SampleRequest.creator_id]
    created = insert_new(session, SampleRequest, values, unique=open_request, where=text(OPEN_SAMPLE))
    if created is None:
        standing = session.scalar(
            select(SampleRequest.id).where(
                SampleRequest.listing_id == listing.id,
                SampleRequest.creator_id == creator_id,
                text(OPEN_SAMPLE),
            )
        )
        raise Conflict(f"sample request {standing} for this product is already pending or approved")
    row = session.get_one(SampleRequest, created)
    record(session, principal, "selection_sample_request.create", row, {"listing_id": listing.id})
    notices.sample_requested(session, row)
    return row


def request_sample_once(
    session: Session, principal: Principal, data: SampleIn, key: str | None, *, scope: str
) -> SampleRequest:
    """`request_sample` under an idempotency key (the API's header, the page form's hidden field): a repeat with
    the key answers with the request the first one made instead of a 409, so a retried call or a double click
    reads as the one request it was."""
    if key is None:
        return request_sample(session, principal, data)
    return idempotency.once(
        session,
        actor=f"user:{principal.user_id}",
        scope=scope,
        key=key,
        request=data.model_dump(mode="json"),
        create=lambda: request_sample(session, principal, data),
        ident=lambda row: row.id,
        replay=lambda ident: access.get_visible(session, SampleRequest, ident, principal),
    )


def decide_sample(session: Session, principal: Principal, request_id: int, data: SampleDecisionIn) -> SampleRequest:
    row = access.get_visible(session, SampleRequest, request_id, principal)
    require_role(principal, Role.BRAND_MANAGER, action="deciding sample requests")
    to = SampleStatus.APPROVED if data.decision is SampleDecision.APPROVED else SampleStatus.DECLINED
    # Only while still pending: of N parallel decisions one changes the row, the others find it decided.
    moved = session.execute(
        update(SampleRequest)
        .where(SampleRequest.id == row.id, SampleRequest.status == SampleStatus.PENDING)
        .values(status=to, reason=data.reason, decided_at=utcnow(), decided_by=principal.user_id, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if cast("CursorResult[Any]", moved).rowcount != 1:
        now = session.scalar(select(SampleRequest.status).where(SampleRequest.id == row.id))
        raise Conflict(f"sample request {row.id} was already decided (now '{now.value if now else 'gone'}')")
    session.refresh(row)
    record(session, principal, "selection_sample_request.decide", row, {"to": to.value, "reason": data.reason})
    notices.sample_decided(session, row)
    return row


@dataclass(frozen=True)
class SampleLine:
    request: SampleRequest
    product: str
    brand: str
    creator: str


def sample_lines(
    session: Session,
    principal: Principal,
    *,
    status: SampleStatus | None = None,
    limit: int = LISTED,
    cursor: str | None = None,
) -> tuple[list[SampleLine], str | None]:
    """A page of sample requests with the names a table shows, newest first."""
    require_role(principal, Role.BRAND_MANAGER, *CREATOR_SIDE, action="reading sample requests")
    query: Any = (
        select(SampleRequest, Product.name, Brand.name, Creator.display_name)
        .join(Product, Product.id == SampleRequest.product_id)
        .join(Brand, Brand.id == SampleRequest.brand_id)
        .join(Creator, Creator.id == SampleRequest.creator_id)
        .where(access.scope_condition(SampleRequest, principal))
    )
    if status is not None:
        query = query.where(SampleRequest.status == status)
    rows, next_cursor = keyed_page(session, query, SampleRequest.id, limit, cursor)
    return [SampleLine(r, product, brand, creator) for r, product, brand, creator in rows], next_cursor


def samples_page(
    session: Session, principal: Principal, page: PageRequest, *, status: SampleStatus | None, listing_id: int | None
) -> Page[SampleRequest]:
    require_role(principal, Role.BRAND_MANAGER, *CREATOR_SIDE, action="reading sample requests")
    return visible_page(
        session, principal, SampleRequest, page, newest_first=True, status=status, listing_id=listing_id
    )


# --- 购物车 ------------------------------------------------------------------------------------------------------


def _upcoming_or_live(principal: Principal) -> Select[LivestreamSession]:
    return access.visible_rows(LivestreamSession, principal).where(LivestreamSession.ended_at.is_(None))


def cart_livestreams(session: Session, principal: Principal) -> list[LivestreamSession]:
    """The reader's livestreams that have not ended (upcoming or live), soonest last-scheduled first."""
    require_role(principal, *CREATOR_SIDE, action="preparing livestream carts")
    query = _upcoming_or_live(principal).order_by(LivestreamSession.started_at.desc(), LivestreamSession.id.desc())
    return list(session.scalars(query.limit(LISTED)))


def schedule_livestream(session: Session, principal: Principal, title: str, starts_at: datetime) -> LivestreamSession:
    """An upcoming session to prepare a cart for (the same create the livestreams API makes)."""
    require_role(principal, Role.CREATOR, action="scheduling a livestream")
    row: LivestreamSession = create_row(
        session, RESOURCES["livestreams"], principal, LivestreamIn(title=title, started_at=starts_at)
    )
    return row


def add_to_cart(session: Session, principal: Principal, data: CartItemIn) -> CartItem:
    require_role(principal, *CREATOR_SIDE, action="adding products to a livestream cart")
    livestream = access.get_visible(session, LivestreamSession, data.livestream_id, principal)
    if livestream.ended_at is not None:
        raise Conflict(f"livestream {livestream.id} has ended; add products to an upcoming or live session")
    listing = _open_listing(session, principal, data.listing_id)
    price = session.scalar(select(Product.price).where(Product.id == listing.product_id)) or Decimal(0)
    row = CartItem(
        livestream_id=livestream.id,
        listing_id=listing.id,
        product_id=listing.product_id,
        brand_id=listing.brand_id,
        creator_id=livestream.creator_id,
        commission_rate=listing.commission_rate,
        price=price,
    )
    if not insert_once(session, row):
        raise Conflict(f"this product is already in livestream {livestream.id}'s cart")
    record(session, principal, "selection_cart_item.create", row, {"livestream_id": livestream.id})
    return row


def remove_from_cart(session: Session, principal: Principal, item_id: int) -> None:
    row = access.get_visible(session, CartItem, item_id, principal)
    require_role(principal, *CREATOR_SIDE, action="removing products from a livestream cart")
    record(session, principal, "selection_cart_item.delete", row, {"livestream_id": row.livestream_id})
    session.execute(delete(CartItem).where(CartItem.id == row.id).execution_options(synchronize_session=False))
    session.expunge(row)


@dataclass(frozen=True)
class CartLine:
    item: CartItem
    product: str
    brand: str
    listing_open: bool


def carts(session: Session, principal: Principal, livestream_ids: list[int]) -> dict[int, list[CartLine]]:
    rows = session.execute(
        select(CartItem, Product.name, Brand.name, Listing.status)
        .join(Product, Product.id == CartItem.product_id)
        .join(Brand, Brand.id == CartItem.brand_id)
        .join(Listing, Listing.id == CartItem.listing_id)
        .where(access.scope_condition(CartItem, principal), CartItem.livestream_id.in_(livestream_ids))
        .order_by(CartItem.id.desc())
    )
    found: dict[int, list[CartLine]] = {}
    for item, product, brand, status in rows:
        found.setdefault(item.livestream_id, []).append(CartLine(item, product, brand, status is ListingStatus.OPEN))
    return found


def cart_page(
    session: Session, principal: Principal, page: PageRequest, *, livestream_id: int | None
) -> Page[CartItem]:
    require_role(principal, Role.BRAND_MANAGER, *CREATOR_SIDE, action="reading livestream carts")
    return visible_page(session, principal, CartItem, page, newest_first=True, livestream_id=livestream_id)


# --- 内容提交与版本 ----------------------------------------------------------------------------------------------

_DRAFTS = "selection.content_drafts"  # session.info: what the creator submitted, for the hook that keeps it


def submit_content(session: Session, principal: Principal, data: ContentIn) -> ContentVersion:
    """Scan title + script, then take the workflow's content step; the step's hook keeps the version."""
    found = precheck.scan(data.title, data.script)
    if found.blocked:
        raise Conflict(
            "the pre-check blocks this content (拦截): change the wording the scan points at and check again"
        )
    session.info.setdefault(_DRAFTS, {})[data.collaboration_id] = (data, found)
    try:
        workflow.transition(
            session,
            principal,
            data.collaboration_id,
            TransitionIn(to=CollaborationStatus.CONTENT_SUBMITTED, content_url=data.video_url),
        )
    finally:
        session.info.get(_DRAFTS, {}).pop(data.collaboration_id, None)
    newest = session.scalar(
        select(ContentVersion)
        .where(ContentVersion.collaboration_id == data.collaboration_id)
        .order_by(ContentVersion.number.desc())
        .limit(1)
    )
    assert newest is not None  # the hook wrote it in this transaction
    return newest


def keep_version(session: Session, principal: Principal | None, row: Collaboration) -> None:
    """The write hook on collaborations: every step into 已提交内容 is a new version, whichever door it came through
    (a submission through the bare workflow step carries a link only, so it has no text to scan)."""
    if row.status is not CollaborationStatus.CONTENT_SUBMITTED:
        return
    draft = session.info.get(_DRAFTS, {}).get(row.id)
    number = (
        session.scalar(select(func.max(ContentVersion.number)).where(ContentVersion.collaboration_id == row.id)) or 0
    ) + 1
    version = ContentVersion(
        collaboration_id=row.id,
        creator_id=row.creator_id,
        number=number,
        video_url=row.content_url,
        submitted_by=principal.user_id if principal is not None else None,
        hits=[],
    )
    if draft is not None:
        data, found = draft
        version.title, version.script = data.title, data.script
        version.verdict, version.score, version.hits = found.verdict, found.score, found.hits
    session.add(version)
    session.flush()
    record(session, principal, "selection_content_version.create", version, {"number": number})


hooks.on_write(Collaboration, keep_version)


def content_versions(session: Session, principal: Principal, collaboration_id: int) -> list[ContentVersion]:
    access.get_visible(session, Collaboration, collaboration_id, principal)
    query = access.visible_rows(ContentVersion, principal).where(ContentVersion.collaboration_id == collaboration_id)
    return list(session.scalars(query.order_by(ContentVersion.number.desc()).limit(LISTED)))


def versions_page(
    session: Session, principal: Principal, page: PageRequest, *, collaboration_id: int | None
) -> Page[ContentVersion]:
    return visible_page(session, principal, ContentVersion, page, newest_first=True, collaboration_id=collaboration_id)


@dataclass(frozen=True)
class ContentScreen:
    collaboration: Collaboration
    campaign: str
    brand: str
    creator: str
    versions: list[ContentVersion]
    may_submit: bool
    may_review: bool


def content_screen(session: Session, principal: Principal, collaboration_id: int) -> ContentScreen:
    from wanghong.commerce.models import Campaign

    row = access.get_visible(session, Collaboration, collaboration_id, principal)
    campaign, brand, creator = session.execute(
        select(Campaign.name, Brand.name, Creator.display_name)
        .join(Brand, Brand.id == Campaign.brand_id)
        .join(Creator, Creator.id == row.creator_id)
        .where(Campaign.id == row.campaign_id)
    ).one()
    party = workflow.collaboration_party(principal)
    creator_side = principal.role in CREATOR_SIDE
    return ContentScreen(
        row,
        campaign,
        brand,
        creator,
        content_versions(session, principal, collaboration_id),
        may_submit=creator_side and row.status is CollaborationStatus.ACCEPTED,
        may_review=party is not None and not creator_side and row.status is CollaborationStatus.CONTENT_SUBMITTED,
    )
