"""绿色直播间 per room: each creator's livestream room evaluated over the last ``PERIOD`` by ``engine.greenroom``
from what the platform records — subject verification, the hosts' age, qualifications and blocked goods of what
was sold, confirmed violations, 商品监测 findings and the 信用分 they add up to.

Criteria on facts the platform does not record (licences shown in the room, AI labels, complaints, returns) are
not evaluated: they are listed as unmeasured instead of being assumed met, and the score is over the rest.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wanghong.accounts.principal import Principal, require_role
from wanghong.commerce.models import Collaboration, Creator, LivestreamSession, Order, Product
from wanghong.compliance import verdicts
from wanghong.compliance.models import Violation
from wanghong.domain import Category, Role, Severity, ViolationStatus
from wanghong.governance import gate, monitoring, standing, subjects
from wanghong.governance.engine import credit, greenroom
from wanghong.governance.engine import subjects as rules
from wanghong.governance.engine.subjects import SubjectKind, SubjectState
from wanghong.governance.models import FindingKind
from wanghong.kit.db.base import utcnow
from wanghong.kit.paging import keyed_page

PERIOD = timedelta(days=90)
UNMEASURED = frozenset({"subject.licences_displayed", "content.ai_labelled", "service.complaints", "service.returns"})
MEASURED: tuple[greenroom.Criterion, ...] = tuple(c for c in greenroom.CRITERIA if c.code not in UNMEASURED)
_CREDIT_KIND = {
    FindingKind.LISTING_MISMATCH: credit.FindingKind.LISTING_MISMATCH,
    FindingKind.PRICE_CLAIM: credit.FindingKind.PRICE_FRAUD,
    FindingKind.FAKE_DISCOUNT: credit.FindingKind.PRICE_FRAUD,
}


@dataclass(frozen=True)
class Room:
    creator_id: int
    name: str
    sessions: int
    last_live: datetime
    facts: greenroom.RoomFacts
    verdict: greenroom.GreenRoomVerdict
    credit: credit.CreditScore


def _products_sold(session: Session, creator_ids: list[int], since: datetime) -> dict[int, set[int]]:
    """The products each room sold or carried in the period: its livestreams' collaborations and its orders."""
    out: dict[int, set[int]] = defaultdict(set)
    carried = session.execute(
        select(LivestreamSession.creator_id, Collaboration.product_id)
        .join(Collaboration, Collaboration.id == LivestreamSession.collaboration_id)
        .where(LivestreamSession.creator_id.in_(creator_ids), LivestreamSession.started_at >= since)
    )
    ordered = session.execute(
        select(Order.creator_id, Order.product_id)
        .where(Order.creator_id.in_(creator_ids), Order.ordered_at >= since)
        .distinct()
    )
    for creator_id, product_id in [*carried, *ordered]:
        if creator_id is not None and product_id is not None:
            out[creator_id].add(product_id)
    return out


def _severity(value: Severity) -> credit.Severity:
    return credit.Severity(value.value)


def evaluate(session: Session, creator_ids: list[int], at: datetime | None = None) -> dict[int, Room]:
    at = at or utcnow()
    since = at - PERIOD
    if not creator_ids:
        return {}
    lives = {
        cid: (n, last)
        for cid, n, last in session.execute(
            select(LivestreamSession.creator_id, func.count(), func.max(LivestreamSession.started_at))
            .where(LivestreamSession.creator_id.in_(creator_ids), LivestreamSession.started_at >= since)
            .group_by(LivestreamSession.creator_id)
        )
    }
    names = dict(session.execute(select(Creator.id, Creator.display_name).where(Creator.id.in_(creator_ids))).all())
    sold = _products_sold(session, creator_ids, since)
    every_product = sorted({p for ps in sold.values() for p in ps})
    products = {p.id: p for p in session.scalars(select(Product).where(Product.id.in_(every_product)))}
    blocked = verdicts.blocked_products(session, every_product)
    faked = monitoring.fake_discounts_on(session, every_product, since)
    violations: dict[int, list[Violation]] = defaultdict(list)
    for v in session.scalars(
        select(Violation).where(
            Violation.creator_id.in_(creator_ids),
            Violation.status == ViolationStatus.CONFIRMED,
            Violation.created_at >= since,
        )
    ):
        violations[v.creator_id].append(v)
    found = monitoring.outstanding(session, creator_ids, since)
    suspended = {
        cid
        for cid, s in standing.standings(session, creator_ids, at=at).items()
        if s.state is standing.Standing.SUSPENDED
    }
    brand_ok: dict[int, bool] = {}
    rooms = {}
    for cid in creator_ids:
        sessions, last = lives.get(cid, (0, None))
        if not sessions or last is None:
            continue
        host = subjects.find(session, SubjectKind.CREATOR, cid)
        host_verified = subjects.effective(host) is SubjectState.VERIFIED
        minor = (
            host is not None and host.birth_date is not None and rules.age_on(host.birth_date, subjects.today()) < 16
        )
        carried = [products[p] for p in sold.get(cid, ()) if p in products]
        for product in carried:
            if product.brand_id not in brand_ok:
                row = subjects.find(session, SubjectKind.BRAND, product.brand_id)
                brand_ok[product.brand_id] = subjects.effective(row) is SubjectState.VERIFIED
        qualified = all(
            gate.sale_decision(session, p.brand_id, Category(p.category)).allowed
            for p in carried
            if p.category in Category._value2member_map_
        )
        own = found.get(cid, [])
        facts = greenroom.RoomFacts(
            subject_verified=host_verified and all(brand_ok[p.brand_id] for p in carried),
            licences_displayed=False,  # unmeasured: its criterion is not evaluated
            qualifications_in_force=qualified,
            minors_hosting=minor,
            confirmed_violations=len(violations[cid]),
            severe_violations=sum(1 for v in violations[cid] if v.severity is Severity.HIGH),
            false_price_claims=sum(1 for f in own if f.kind is FindingKind.PRICE_CLAIM)
            + sum(1 for p in carried if p.id in faked),
            listing_mismatches=sum(1 for f in own if f.kind is FindingKind.LISTING_MISMATCH),
            prohibited_goods=sum(1 for p in carried if p.id in blocked),
            ai_content_labelled=False,  # unmeasured
            complaints=0,  # unmeasured
            complaints_resolved_in_time=0,  # unmeasured
            returns_honoured=False,  # unmeasured
            credit_colour="green",  # replaced below, once the score is known
        )
        score = credit.credit_score(
            [credit.Finding(credit.FindingKind.VIOLATION, _severity(v.severity), v.created_at) for v in violations[cid]]
            + [credit.Finding(_CREDIT_KIND[f.kind], _severity(f.severity), f.detected_at) for f in own],
            at,
            suspended=cid in suspended,
        )
        facts = greenroom.RoomFacts(**{**facts.__dict__, "credit_colour": score.colour.value})
        rooms[cid] = Room(
            cid, str(names.get(cid, cid)), int(sessions), last, facts, greenroom.evaluate_room(facts, MEASURED), score
        )
    return rooms


def rooms(
    session: Session, principal: Principal, *, limit: int = 20, cursor: str | None = None
) -> tuple[list[Room], str | None]:
    """Rooms live in the period, newest creator first (platform roles and the regulator: rooms of every tenant)."""
    require_role(principal, Role.REVIEWER, Role.REGULATOR, action="evaluating 绿色直播间 across tenants")
    creator = LivestreamSession.creator_id
    query = select(creator).where(LivestreamSession.started_at >= utcnow() - PERIOD).group_by(creator)
    rows, next_cursor = keyed_page(session, query, creator, limit, cursor or None)
    page = [c for (c,) in rows]
    evaluated = evaluate(session, page)
    return [evaluated[c] for c in page if c in evaluated], next_cursor
