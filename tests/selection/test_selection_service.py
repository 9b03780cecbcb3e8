"""选品广场 use cases: listings refuse blocked products, the catalog filters and sorts, 申样 is decided once, carts
take only open listings and live sessions, and every content submission is a scanned version."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select
from tests.fixtures.world import World
from tests.selection.naming import letters as _letters

from wanghong.accounts.principal import Principal
from wanghong.commerce import schemas as commerce_schemas
from wanghong.commerce import workflow
from wanghong.commerce.models import Collaboration, LivestreamSession, Product
from wanghong.commerce.resources import RESOURCES, create_row
from wanghong.domain import CollaborationStatus, Role, Verdict
from wanghong.kit.audit import AuditEntry
from wanghong.kit.db.base import utcnow
from wanghong.kit.db.session import Database
from wanghong.kit.errors import Conflict, Forbidden, InvalidInput, NotFound
from wanghong.selection import service
from wanghong.selection.models import CartItem, ContentVersion, ListingStatus, SamplePolicy, SampleStatus
from wanghong.selection.schemas import (
    CartItemIn,
    ContentIn,
    ListingIn,
    ListingUpdate,
    MarketSort,
    SampleDecisionIn,
    SampleIn,
)


def _brand(world: World, side: str = "A") -> Principal:
    return Principal(1, f"brand{side}", Role.BRAND_MANAGER, brand_id=world[f"brand{side}"])


def _creator(world: World, key: str = "creatorA1") -> Principal:
    return Principal(2, key, Role.CREATOR, creator_id=world[key])


def _mcn(world: World, side: str = "A") -> Principal:
    return Principal(3, f"mcn{side}", Role.MCN_MANAGER, mcn_id=world[f"mcn{side}"])


def _product(s, world: World, name: str, description: str = "", price: str = "59") -> Product:  # type: ignore[no-untyped-def]
    data = commerce_schemas.ProductIn.model_validate(
        {"name": name, "category": "beauty", "price": price, "description": description}
    )
    row: Product = create_row(s, RESOURCES["products"], _brand(world), data)
    return row


def test_a_brand_lists_clean_products_only_and_once(db: Database, world: World) -> None:
    with db.transaction() as s:
        clean = _product(s, world, f"保湿乳 {_letters(world)}")
        loud = _product(s, world, f"神奇霜 {_letters(world)}", "国家级最佳面霜，根治皮炎，百分百有效")
        listing = service.open_listing(s, _brand(world), ListingIn(product_id=clean.id, commission_rate=0.25))
        with pytest.raises(Conflict, match="拦截"):
            service.open_listing(s, _brand(world), ListingIn(product_id=loud.id, commission_rate=0.25))
        with pytest.raises(Conflict, match="already listed"):
            service.open_listing(s, _brand(world), ListingIn(product_id=clean.id, commission_rate=0.3))
        # Another brand's product is not there for this brand; a creator lists nothing.
        with pytest.raises(NotFound):
            service.open_listing(s, _brand(world), ListingIn(product_id=world["productB"], commission_rate=0.2))
        with pytest.raises(Forbidden):
            service.open_listing(s, _creator(world), ListingIn(product_id=clean.id, commission_rate=0.2))
        lines = {line.product.id: line for line in service.brand_listings(s, _brand(world))[0]}
        assert lines[clean.id].listing is not None and lines[loud.id].blocked and lines[loud.id].listing is None
        closed = service.change_listing(s, _brand(world), listing.id, ListingUpdate(status=ListingStatus.CLOSED))
        assert closed.status is ListingStatus.CLOSED
        actions = set(s.scalars(select(AuditEntry.action).where(AuditEntry.entity == "selection_listings")))
        assert {"selection_listing.create", "selection_listing.update"} <= actions


def test_the_catalog_filters_sorts_and_pages_open_listings(db: Database, world: World) -> None:
    tag = _letters(world)
    with db.transaction() as s:
        made = []
        for name, price, rate in (("甲", "30", 0.1), ("乙", "300", 0.35), ("丙", "90", 0.2)):
            product = _product(s, world, f"{tag} 面膜{name}", price=price)
            made.append(service.open_listing(s, _brand(world), ListingIn(product_id=product.id, commission_rate=rate)))
        service.change_listing(s, _brand(world), made[2].id, ListingUpdate(status=ListingStatus.CLOSED))
        creator = _creator(world)
        mine = service.MarketQuery(text=f"{tag} 面膜")
        assert {o.listing.id for o in service.market(s, creator, mine, limit=50).offers} == {made[0].id, made[1].id}
        by_commission = service.MarketQuery(text=f"{tag} 面膜", sort=MarketSort.COMMISSION)
        assert [o.listing.id for o in service.market(s, creator, by_commission, limit=50).offers] == [
            made[1].id,
            made[0].id,
        ]
        cheap_first = service.market(
            s, creator, service.MarketQuery(text=f"{tag} 面膜", sort=MarketSort.PRICE), limit=1
        )
        assert [o.product.price for o in cheap_first.offers] == [Decimal("30.00")]
        assert (cheap_first.total, cheap_first.next_offset) == (2, 1)
        second = service.market(
            s, creator, service.MarketQuery(text=f"{tag} 面膜", sort=MarketSort.PRICE), limit=1, offset=1
        )
        assert [o.product.price for o in second.offers] == [Decimal("300.00")] and second.next_offset is None
        rich = service.MarketQuery(text=f"{tag} 面膜", min_rate=0.3)
        assert [o.listing.id for o in service.market(s, creator, rich, limit=50).offers] == [made[1].id]
        assert service.market(s, creator, rich, limit=50).offers[0].per_sale == Decimal("105.00")
        with pytest.raises(Forbidden):
            service.market(s, _brand(world), mine, limit=50)


def test_samples_are_asked_for_listed_products_and_decided_once(db: Database, world: World) -> None:
    with db.transaction() as s:
        product = _product(s, world, f"精华 {_letters(world)}")
        listing = service.open_listing(
            s, _brand(world), ListingIn(product_id=product.id, commission_rate=0.2, sample_policy=SamplePolicy.FREE)
        )
        ask = SampleIn(listing_id=listing.id, address="上海市徐汇区 1 号", note="下周直播")
        request = service.request_sample(s, _creator(world), ask)
        assert (request.status, request.creator_id, request.brand_id) == (
            SampleStatus.PENDING,
            world["creatorA1"],
            world["brandA"],
        )
        with pytest.raises(Conflict, match="already pending"):
            service.request_sample(s, _creator(world), ask)
        # An MCN asks for one of its own creators, never for another agency's.
        with pytest.raises(InvalidInput):
            service.request_sample(s, _mcn(world), ask)
        with pytest.raises(NotFound):
            service.request_sample(s, _mcn(world), ask.model_copy(update={"creator_id": world["creatorB1"]}))
        by_mcn = service.request_sample(s, _mcn(world), ask.model_copy(update={"creator_id": world["creatorA2"]}))
        # The other brand cannot see it; the creator cannot decide it; declining needs a reason.
        with pytest.raises(NotFound):
            service.decide_sample(s, _brand(world, "B"), request.id, SampleDecisionIn(decision="approved"))
        with pytest.raises(Forbidden):
            service.decide_sample(s, _creator(world), request.id, SampleDecisionIn(decision="approved"))
        with pytest.raises(ValueError, match="reason"):
            SampleDecisionIn.model_validate({"decision": "declined"})
        approved = service.decide_sample(s, _brand(world), request.id, SampleDecisionIn(decision="approved"))
        assert approved.status is SampleStatus.APPROVED and approved.decided_at is not None
        with pytest.raises(Conflict, match="already decided"):
            service.decide_sample(s, _brand(world), request.id, SampleDecisionIn(decision="declined", reason="x"))
        declined = service.decide_sample(
            s, _brand(world), by_mcn.id, SampleDecisionIn(decision="declined", reason="粉丝画像不匹配")
        )
        assert (declined.status, declined.reason) == (SampleStatus.DECLINED, "粉丝画像不匹配")
        lines, _ = service.sample_lines(s, _creator(world))
        assert [line.request.id for line in lines if line.product == product.name] == [request.id]
        # No samples offered, or the listing closed: refused with the reason.
        service.change_listing(s, _brand(world), listing.id, ListingUpdate(sample_policy=SamplePolicy.NONE))
        with pytest.raises(Conflict, match="no samples"):
            service.request_sample(s, _creator(world, "creatorA1"), ask.model_copy(update={"note": "again"}))
        service.change_listing(s, _brand(world), listing.id, ListingUpdate(status=ListingStatus.CLOSED))
        with pytest.raises(Conflict, match="closed"):
            service.request_sample(s, _mcn(world), ask.model_copy(update={"creator_id": world["creatorA2"]}))


def test_carts_take_open_listings_into_sessions_that_have_not_ended(db: Database, world: World) -> None:
    with db.transaction() as s:
        product = _product(s, world, f"口红 {_letters(world)}", price="129")
        listing = service.open_listing(s, _brand(world), ListingIn(product_id=product.id, commission_rate=0.3))
        upcoming = service.schedule_livestream(s, _creator(world), "周五专场", utcnow() + timedelta(days=2))
        ended = LivestreamSession(creator_id=world["creatorA1"], started_at=utcnow() - timedelta(days=3))
        ended.ended_at = utcnow() - timedelta(days=2)
        s.add(ended)
        s.flush()
        item = service.add_to_cart(s, _creator(world), CartItemIn(livestream_id=upcoming.id, listing_id=listing.id))
        assert (item.price, item.commission_rate, item.creator_id) == (Decimal("129.00"), 0.3, world["creatorA1"])
        assert upcoming.id in {ls.id for ls in service.cart_livestreams(s, _creator(world))}
        assert ended.id not in {ls.id for ls in service.cart_livestreams(s, _creator(world))}
        with pytest.raises(Conflict, match="already in"):
            service.add_to_cart(s, _creator(world), CartItemIn(livestream_id=upcoming.id, listing_id=listing.id))
        with pytest.raises(Conflict, match="ended"):
            service.add_to_cart(s, _creator(world), CartItemIn(livestream_id=ended.id, listing_id=listing.id))
        with pytest.raises(NotFound):
            service.add_to_cart(s, _creator(world), CartItemIn(livestream_id=world["liveB"], listing_id=listing.id))
        # The MCN fills its creator's cart too; the brand sees what is in carts but does not change them.
        carts = service.carts(s, _mcn(world), [upcoming.id])
        assert [line.item.id for line in carts[upcoming.id]] == [item.id]
        with pytest.raises(Forbidden):
            service.remove_from_cart(s, _brand(world), item.id)
        service.remove_from_cart(s, _creator(world), item.id)
        assert s.get(CartItem, item.id) is None
        service.change_listing(s, _brand(world), listing.id, ListingUpdate(status=ListingStatus.CLOSED))
        with pytest.raises(Conflict, match="closed"):
            service.add_to_cart(s, _creator(world), CartItemIn(livestream_id=upcoming.id, listing_id=listing.id))


def test_every_submission_is_a_scanned_version(db: Database, world: World) -> None:
    collaboration = world["collabA"]
    with db.transaction() as s:
        workflow.transition(
            s, _creator(world), collaboration, commerce_schemas.TransitionIn(to=CollaborationStatus.ACCEPTED)
        )
        blocked = ContentIn(
            collaboration_id=collaboration,
            title="开箱",
            script="全网最低价，加vx私聊",
            video_url="https://example.com/v/a",
        )
        with pytest.raises(Conflict, match="拦截"):
            service.submit_content(s, _creator(world), blocked)
        assert s.get(Collaboration, collaboration).status is CollaborationStatus.ACCEPTED  # type: ignore[union-attr]
        flagged = blocked.model_copy(update={"script": "纯天然无添加，用了能美白"})
        version = service.submit_content(s, _creator(world), flagged)
        # The world's first version is number 1; this one follows it.
        assert (version.number, version.verdict, version.video_url) == (2, Verdict.REVIEW, "https://example.com/v/a")
        assert {h["term"] for h in version.hits} >= {"无添加"}
        # Sent back, then resubmitted through the bare workflow step: still a version, with nothing to scan.
        workflow.transition(
            s,
            _brand(world),
            collaboration,
            commerce_schemas.TransitionIn(to=CollaborationStatus.ACCEPTED, note="请补充成分说明"),
        )
        workflow.transition(
            s,
            _creator(world),
            collaboration,
            commerce_schemas.TransitionIn(
                to=CollaborationStatus.CONTENT_SUBMITTED, content_url="https://example.com/v/b"
            ),
        )
        versions = service.content_versions(s, _brand(world), collaboration)
        assert [(v.number, v.verdict) for v in versions] == [(3, None), (2, Verdict.REVIEW), (1, None)]
        screen = service.content_screen(s, _brand(world), collaboration)
        assert screen.may_review and not screen.may_submit
        with pytest.raises(NotFound):
            service.content_versions(s, _brand(world, "B"), collaboration)
        assert s.scalars(select(ContentVersion).where(ContentVersion.collaboration_id == world["collabB"])).all()


def test_urls_are_http_only() -> None:
    for bad in ("javascript:alert(1)", "ftp://example.com/v", "example.com/v", "https://"):
        with pytest.raises(ValueError):
            ContentIn(collaboration_id=1, title="t", video_url=bad)
    assert ContentIn(collaboration_id=1, title="t", video_url=" http://a.example/v ").video_url == "http://a.example/v"
