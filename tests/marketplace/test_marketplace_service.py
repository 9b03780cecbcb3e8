"""达人广场 use cases: brands search every creator of the platform, keep a 收藏夹 and compare; creators and their
MCN keep the rate card; other tenants' rows are not found."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.fixtures.world import T0, World

from wanghong.accounts.models import User
from wanghong.accounts.principal import Principal
from wanghong.commerce.models import Collaboration, Creator, FanPersona, LivestreamSession, Mcn
from wanghong.domain import CollaborationStatus, FollowerTier, McnTier, Segment
from wanghong.kit.audit import AuditEntry
from wanghong.kit.db.session import Database
from wanghong.kit.errors import Conflict, Forbidden, InvalidInput, NotFound
from wanghong.kit.paging import Page
from wanghong.marketplace import service
from wanghong.marketplace.schemas import FavouriteIn, RateCardIn, Sort
from wanghong.originality.models import OriginalityClaim


def _who(s: Session, world: World, user: str) -> Principal:
    return Principal.of(s.scalars(select(User).where(User.username == f"{user}_{world.tag}")).one())


def _ids(page: Page[service.MarketRow]) -> list[int]:
    return [row.creator.id for row in page.items]


def test_brands_search_the_whole_platform_with_filters_and_sorts(db: Database, world: World) -> None:
    with db.transaction() as s:
        brand = _who(s, world, "brandA")
        mine = service.CreatorQuery(keyword=world.tag)
        found = service.search_creators(s, brand, mine)
        # Creators of both agencies, not only those the brand worked with: the market is platform-wide.
        assert _ids(found) == [world["creatorB1"], world["creatorA1"], world["creatorA2"]]
        assert found.next_cursor is None
        assert _ids(service.search_creators(s, brand, service.CreatorQuery(keyword=f"@creatorA1_{world.tag}"))) == [
            world["creatorA1"]
        ]
        tier = service.CreatorQuery(keyword=world.tag, follower_tier=FollowerTier.MID)
        assert _ids(service.search_creators(s, brand, tier)) == [world["creatorA1"]]
        span = service.CreatorQuery(keyword=world.tag, followers_min=5_000, followers_max=300_000)
        assert _ids(service.search_creators(s, brand, span)) == [world["creatorA1"], world["creatorA2"]]
        s.get(Mcn, world["mcnB"]).tier = McnTier.S  # type: ignore[union-attr]
        s.get(Creator, world["creatorA2"]).mcn_id = None  # type: ignore[union-attr]
        s.flush()
        agency = service.CreatorQuery(keyword=world.tag, mcn_tier="S")
        assert _ids(service.search_creators(s, brand, agency)) == [world["creatorB1"]]
        alone = service.CreatorQuery(keyword=world.tag, mcn_tier="independent")
        assert _ids(service.search_creators(s, brand, alone)) == [world["creatorA2"]]
        # 宝妈 are 60 % of every world creator's fans; 银发族 of none; a trace share does not count.
        s.get(FanPersona, world["creatorA2"]).segments = {"silver": 0.05, "students": 0.95}  # type: ignore[union-attr]
        s.flush()
        mothers = service.CreatorQuery(keyword=world.tag, segment=Segment.YOUNG_MOTHERS)
        assert _ids(service.search_creators(s, brand, mothers)) == [world["creatorB1"], world["creatorA1"]]
        silver = service.CreatorQuery(keyword=world.tag, segment=Segment.SILVER)
        assert _ids(service.search_creators(s, brand, silver)) == []
        s.add(LivestreamSession(creator_id=world["creatorA2"], started_at=T0, gmv=Decimal("5000.50")))
        s.flush()
        by_gmv = service.search_creators(s, brand, service.CreatorQuery(keyword=world.tag, sort=Sort.GMV))
        assert _ids(by_gmv)[0] == world["creatorA2"] and by_gmv.items[0].gmv == Decimal("5000.50")
        newest = service.search_creators(s, brand, service.CreatorQuery(keyword=world.tag, sort=Sort.NEWEST))
        assert _ids(newest) == sorted(_ids(newest), reverse=True)


@pytest.mark.parametrize("sort", list(Sort))
def test_pages_walk_every_creator_once_in_order(db: Database, world: World, sort: Sort) -> None:
    with db.transaction() as s:
        brand = _who(s, world, "brandA")
        query = service.CreatorQuery(keyword=world.tag, sort=sort)
        whole = _ids(service.search_creators(s, brand, query))
        walked: list[int] = []
        cursor = None
        while True:
            page = service.search_creators(s, brand, query, limit=1, cursor=cursor)
            walked += _ids(page)
            if page.next_cursor is None:
                break
            cursor = page.next_cursor
        assert walked == whole and len(whole) == 3
        with pytest.raises(InvalidInput):
            service.search_creators(s, brand, query, cursor="not-a-cursor")


def test_only_brands_and_the_platform_search_and_bad_filters_are_refused(db: Database, world: World) -> None:
    with db.transaction() as s:
        for user in ("creatorA1", "mcnA", "reviewer"):
            with pytest.raises(Forbidden):
                service.search_creators(s, _who(s, world, user), service.CreatorQuery())
        admin = _who(s, world, "admin")
        assert len(service.search_creators(s, admin, service.CreatorQuery(keyword=world.tag)).items) == 3
    with pytest.raises(InvalidInput):
        service.CreatorQuery(mcn_tier="Z")
    with pytest.raises(InvalidInput):
        service.CreatorQuery(followers_min=10, followers_max=5)


def test_favourites_are_the_brands_own_and_audited(db: Database, world: World) -> None:
    with db.transaction() as s:
        brand_a, brand_b = _who(s, world, "brandA"), _who(s, world, "brandB")
        saved = service.add_favourite(s, brand_a, FavouriteIn(creator_id=world["creatorB1"]))
        with pytest.raises(Conflict):
            service.add_favourite(s, brand_a, FavouriteIn(creator_id=world["creatorB1"]))
        with pytest.raises(NotFound):  # another brand's 收藏夹 is not there to write into
            service.add_favourite(s, brand_a, FavouriteIn(creator_id=world["creatorA1"], brand_id=world["brandB"]))
        with pytest.raises(NotFound):
            service.add_favourite(s, brand_a, FavouriteIn(creator_id=10**9))
        assert [f.id for f in service.favourites(s, brand_a).items] == [saved.id, world["favouriteA"]]
        assert [f.id for f in service.favourites(s, brand_b).items] == [world["favouriteB"]]
        row = service.search_creators(s, brand_a, service.CreatorQuery(keyword=f"creatorB1_{world.tag}")).items[0]
        assert row.favourite
        with pytest.raises(NotFound):
            service.remove_favourite(s, brand_b, saved.id)
        # Pressing 收藏 on a creator already kept (a second tab, a double click) changes nothing.
        service.toggle_favourite(s, brand_a, world["creatorB1"], keep=True)
        service.toggle_favourite(s, brand_a, world["creatorA1"], keep=True)
        assert len(service.favourites(s, brand_a).items) == 2
        service.toggle_favourite(s, brand_a, world["creatorB1"], keep=False)
        assert [f.creator_id for f in service.favourites(s, brand_a).items] == [world["creatorA1"]]
        actions = list(
            s.scalars(
                select(AuditEntry.action)
                .where(AuditEntry.actor_id == brand_a.user_id, AuditEntry.entity == "favourites")
                .order_by(AuditEntry.id)
            )
        )
        assert actions == ["favourite.create", "favourite.delete"]
        with pytest.raises(Forbidden):
            service.add_favourite(s, _who(s, world, "creatorA1"), FavouriteIn(creator_id=world["creatorA1"]))


def test_rate_cards_are_kept_by_the_creator_and_its_mcn(db: Database, world: World) -> None:
    card = RateCardIn(
        video_short=Decimal("800"),
        video_medium=Decimal("1500.50"),
        video_long=None,
        live_slot_fee=Decimal("20000"),
        live_commission_rate=0.25,
    )
    with db.transaction() as s:
        creator, mcn = _who(s, world, "creatorA1"), _who(s, world, "mcnA")
        assert service.rate_card(s, creator, world["creatorA1"]) is None
        saved = service.put_rate_card(s, creator, world["creatorA1"], card)
        assert (saved.video_medium, saved.video_long, saved.live_commission_rate) == (Decimal("1500.50"), None, 0.25)
        again = service.put_rate_card(s, mcn, world["creatorA1"], card.model_copy(update={"video_long": Decimal(3000)}))
        assert again.video_long == Decimal(3000) and again.updated_by_id == mcn.user_id
        service.put_rate_card(s, mcn, world["creatorA2"], RateCardIn())
        for user, creator_id in (("mcnA", "creatorB1"), ("creatorA1", "creatorA2"), ("brandA", "creatorA1")):
            with pytest.raises(NotFound):
                service.put_rate_card(s, _who(s, world, user), world[creator_id], card)
        # Brands read it in the market, whichever creator it is.
        row = service.search_creators(
            s, _who(s, world, "brandB"), service.CreatorQuery(keyword=f"creatorA1_{world.tag}")
        )
        assert row.items[0].rate_card is not None and row.items[0].rate_card.video_long == Decimal(3000)
        audit = list(
            s.scalars(
                select(AuditEntry)
                .where(AuditEntry.action == "rate_card.put", AuditEntry.entity_id == str(world["creatorA1"]))
                .order_by(AuditEntry.id)
            )
        )
        assert audit[0].detail["before"] is None
        assert audit[1].detail["before"]["video_long"] is None and audit[1].detail["after"]["video_long"] == "3000.00"
    for bad in ({"video_short": "-1"}, {"live_commission_rate": 1.5}, {"video_long": "1.234"}, {"price": "1"}):
        with pytest.raises(ValidationError):
            RateCardIn.model_validate(bad)


def test_detail_shows_what_took_place_and_hides_other_brands_fees(db: Database, world: World) -> None:
    with db.transaction() as s:
        s.get(Collaboration, world["collabB"]).status = CollaborationStatus.SETTLED  # type: ignore[union-attr]
        s.get(Collaboration, world["collabB"]).fee = Decimal("9000")  # type: ignore[union-attr]
        s.add(LivestreamSession(creator_id=world["creatorB1"], started_at=T0, gmv=Decimal("250000")))
        s.flush()
        brand_a = _who(s, world, "brandA")
        seen = service.detail(s, brand_a, world["creatorB1"])
        assert [(p.collaboration.id, p.brand, p.own) for p in seen.collaborations] == [
            (world["collabB"], f"Brand B {world.tag}", False)
        ]
        assert seen.livestreams == 2 and seen.gmv_bins == [0, 1, 0, 1, 0] and seen.best_gmv == Decimal("250000")
        assert seen.originality.filed == 1 and seen.originality.accused == 1
        assert service.detail(s, _who(s, world, "brandB"), world["creatorB1"]).collaborations[0].own
        # The proposed one of brand A is no collaboration that took place.
        assert service.detail(s, brand_a, world["creatorA1"]).collaborations == []
        claim = s.get(OriginalityClaim, world["claimB"])
        assert claim is not None
        assert seen.originality.latest == [(claim, True)]
        # A creator reads its own profile; another creator's is not there.
        assert service.detail(s, _who(s, world, "creatorA1"), world["creatorA1"]).row.creator.id == world["creatorA1"]
        with pytest.raises(NotFound):
            service.detail(s, _who(s, world, "creatorA1"), world["creatorB1"])
        with pytest.raises(NotFound):
            service.detail(s, _who(s, world, "reviewer"), world["creatorB1"])


def test_compare_takes_up_to_four(db: Database, world: World) -> None:
    with db.transaction() as s:
        brand = _who(s, world, "brandA")
        ids = [world["creatorB1"], world["creatorA1"]]
        columns = service.compare(s, brand, ids)
        assert [c.row.creator.id for c in columns] == ids
        assert all(c.standing.state.value in ("good", "restricted", "limited", "suspended") for c in columns)
        with pytest.raises(service.TooManyCompared):
            service.compare(s, brand, [1, 2, 3, 4, 5])
        with pytest.raises(NotFound):
            service.compare(s, brand, [world["creatorA1"], 10**9])
    assert service.parse_ids("3, 1,3，2") == [3, 1, 2]
    with pytest.raises(InvalidInput):
        service.parse_ids("1,x")
