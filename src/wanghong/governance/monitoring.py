"""商品监测 (what is sold and what is said about it): price history, fake discounts, price claims and
listing-vs-speech consistency, kept as findings and sent to a reviewer past a threshold.

* **Price history.** A product's own listed prices come from ``governance_price_observations`` (a trigger adds
  one on every insert and price change, migration 0020); what it *sold* at comes from the orders table (unit price
  = amount / quantity); other shops' and platforms' prices are observations an operator or the ingest account
  records (for 全网最低).
* **Fake discounts.** On every price cut the price before it is the implied 原价; ``engine.pricing`` judges it by
  the seven-day rule (《规范促销行为暂行规定》第二十条) and a cut that follows a raise inside those seven days
  (先涨后降) is a finding. The product write hook checks each cut as it is written; :func:`scan` re-checks
  bulk-loaded history (idempotent: a finding is keyed by what it judged).
* **Speech.** Transcribed livestream speech is stored per (livestream, seq) and checked as it arrives:
  ``engine.consistency`` against the listing's attributes (the ``面料：… / 产地：…`` lines of its description) and
  ``engine.pricing.check_price_claims`` against the observed prices (全网最低, 历史最低, 原价…, N折).
* **Review.** Each finding weighs ``POINTS`` by severity; when the unreviewed findings on one product by one host
  (or on its pricing) reach ``REVIEW_THRESHOLD`` within ``REVIEW_WINDOW``, one compliance review task is opened
  (``compliance.models.ReviewTask``, subject ``product_monitoring``) and the findings join it. Upholding it
  confirms a violation on the host through compliance's own policy; overturning it dismisses the findings.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from wanghong.accounts.principal import Principal, require_role
from wanghong.commerce import hooks
from wanghong.commerce.models import Collaboration, Creator, LivestreamSession, Order, Product
from wanghong.compliance import audit as compliance_audit
from wanghong.compliance.models import ReviewTask
from wanghong.domain import ReviewStatus, Role, Severity, Verdict
from wanghong.governance.engine import consistency, pricing
from wanghong.governance.engine.pricing import Observation, PriceClaimKind, PricePoint, PriceVerdict
from wanghong.governance.models import FindingKind, MonitoringFinding, PriceObservation, SpeechSegment
from wanghong.kit import access
from wanghong.kit.audit import record
from wanghong.kit.db.base import utcnow
from wanghong.kit.errors import Forbidden, InvalidInput
from wanghong.kit.paging import Page, paginate

SUBJECT_TYPE = "product_monitoring"  # the review tasks this module opens
POINTS = {Severity.LOW: 1, Severity.MEDIUM: 2, Severity.HIGH: 3}
REVIEW_THRESHOLD = 3
REVIEW_WINDOW = timedelta(days=30)
REVIEW_DUE = timedelta(hours=24)
HISTORY_WINDOW = timedelta(days=30)  # the price history a cut is judged on (the rule itself looks back 7 days)
SEGMENTS_PER_CALL = 200
FINDING_DETECT = "monitoring_finding.detect"
SPEECH_INGEST = "speech_segment.ingest"
OBSERVATION_RECORD = "price_observation.record"
_SEVERE_CLAIMS = {PriceClaimKind.ORIGINAL_PRICE: Severity.HIGH, PriceClaimKind.DISCOUNT: Severity.HIGH}
_SEVERE_MISMATCHES = {consistency.ClaimKind.CERTIFICATION: Severity.HIGH}


def fen(amount: Decimal | float | int) -> int:
    return int((Decimal(str(amount)) * 100).quantize(Decimal(1)))


# ------------------------------------------------------------------------------------------------ price history


def listed_points(session: Session, product_id: int, since: datetime, until: datetime) -> list[PricePoint]:
    """The product's own listed prices from ``since`` to ``until``: the price in effect at ``since`` (listed
    then, though set earlier) and every change after it."""
    own = PriceObservation.channel == pricing.OWN_CHANNEL
    base = select(PriceObservation.observed_at, PriceObservation.fen).where(
        PriceObservation.product_id == product_id, own
    )
    before = session.execute(
        base.where(PriceObservation.observed_at < since)
        .order_by(PriceObservation.observed_at.desc(), PriceObservation.id.desc())
        .limit(1)
    ).first()
    points = [PricePoint(since, int(before.fen))] if before is not None else []
    changes = session.execute(
        base.where(PriceObservation.observed_at >= since, PriceObservation.observed_at <= until).order_by(
            PriceObservation.observed_at, PriceObservation.id
        )
    )
    points += [PricePoint(at, int(value)) for at, value in changes]
    return points


def sold_points(session: Session, product_id: int, since: datetime, until: datetime) -> list[PricePoint]:
    rows = session.execute(
        select(Order.ordered_at, Order.amount, Order.quantity).where(
            Order.product_id == product_id, Order.ordered_at >= since, Order.ordered_at <= until
        )
    )
    return [PricePoint(at, fen(amount / max(1, quantity)), Observation.SOLD) for at, amount, quantity in rows]


def elsewhere_points(session: Session, product_id: int, since: datetime, until: datetime) -> list[PricePoint]:
    rows = session.execute(
        select(PriceObservation.observed_at, PriceObservation.fen, PriceObservation.channel).where(
            PriceObservation.product_id == product_id,
            PriceObservation.channel != pricing.OWN_CHANNEL,
            PriceObservation.observed_at >= since,
            PriceObservation.observed_at <= until,
        )
    )
    return [PricePoint(at, int(value), Observation.LISTED, channel) for at, value, channel in rows]


def history(session: Session, product_id: int, since: datetime, until: datetime) -> list[PricePoint]:
    return sorted(
        listed_points(session, product_id, since, until)
        + sold_points(session, product_id, since, until)
        + elsewhere_points(session, product_id, since, until),
        key=lambda p: p.at,
    )


def price_at(session: Session, product: Product, at: datetime) -> tuple[int, datetime | None]:
    """The listed price in effect at ``at`` and since when (the product's price when nothing is on record)."""
    found = session.execute(
        select(PriceObservation.fen, PriceObservation.observed_at)
        .where(
            PriceObservation.product_id == product.id,
            PriceObservation.channel == pricing.OWN_CHANNEL,
            PriceObservation.observed_at <= at,
        )
        .order_by(PriceObservation.observed_at.desc(), PriceObservation.id.desc())
        .limit(1)
    ).first()
    return (int(found.fen), found.observed_at) if found is not None else (fen(product.price), None)


def _product_for_reading(session: Session, principal: Principal, product_id: int) -> Product:
    """A brand reads its own products' prices; operators and the regulator every tenant's. What a product sold at is
    a business figure, so reviewers read it no more than a livestream's takings."""
    if principal.role in (Role.REGULATOR, Role.ADMIN):
        product = session.get(Product, product_id)
        if product is None:
            access.get_visible(session, Product, product_id, principal)  # the usual 404
        assert product is not None
        return product
    return access.get_visible(session, Product, product_id, principal)


@dataclass(frozen=True)
class PriceHistory:
    product: Product
    listed: list[PricePoint]
    sold: list[PricePoint]
    elsewhere: list[PricePoint]


def product_prices(
    session: Session, principal: Principal, product_id: int, *, days: int = 90, at: datetime | None = None
) -> PriceHistory:
    product = _product_for_reading(session, principal, product_id)
    until = at or utcnow()
    since = until - timedelta(days=days)
    return PriceHistory(
        product,
        listed_points(session, product.id, since, until),
        sold_points(session, product.id, since, until),
        elsewhere_points(session, product.id, since, until),
    )


@dataclass(frozen=True)
class ObservationIn:
    external_id: str
    product_id: int
    channel: str
    fen: int
    observed_at: datetime


def record_observations(session: Session, principal: Principal, items: Sequence[ObservationIn]) -> tuple[int, int]:
    """Other channels' prices seen for our products (for 全网最低); each ``external_id`` is stored once.

    Returns (stored, duplicates)."""
    require_role(principal, action="recording price observations")
    if any(i.channel == pricing.OWN_CHANNEL for i in items):
        raise InvalidInput(f"channel '{pricing.OWN_CHANNEL}' is the product's own price, recorded by the platform")
    for product_id in {i.product_id for i in items}:
        access.get_referenceable(session, Product, product_id, principal)
    known = set(
        session.scalars(
            select(PriceObservation.external_id).where(PriceObservation.external_id.in_([i.external_id for i in items]))
        )
    )
    stored = 0
    for item in items:
        if item.external_id in known:
            continue
        known.add(item.external_id)
        row = PriceObservation(
            product_id=item.product_id,
            fen=item.fen,
            channel=item.channel,
            observed_at=item.observed_at,
            external_id=item.external_id,
        )
        try:
            with session.begin_nested():
                session.add(row)
                session.flush()
        except IntegrityError:
            continue  # a concurrent batch stored the same observation first
        record(session, principal, OBSERVATION_RECORD, row, {"channel": item.channel, "fen": item.fen})
        stored += 1
    return stored, len(items) - stored


# ------------------------------------------------------------------------------------------------------ findings


@dataclass(frozen=True)
class Detected:
    key: str
    kind: FindingKind
    severity: Severity
    claim: str
    listed: str
    reason: str
    evidence: dict[str, Any]


def _keep(
    session: Session,
    principal: Principal | None,
    product: Product,
    detected: Iterable[Detected],
    *,
    creator_id: int | None = None,
    livestream_id: int | None = None,
    segment_id: int | None = None,
) -> list[MonitoringFinding]:
    """Store the findings not stored before (a finding's key names what it judged), then escalate."""
    fresh = {d.key: d for d in detected}
    if not fresh:
        return []
    known = set(session.scalars(select(MonitoringFinding.key).where(MonitoringFinding.key.in_(list(fresh)))))
    kept = []
    for key, d in fresh.items():
        if key in known:
            continue
        row = MonitoringFinding(
            key=key,
            kind=d.kind,
            product_id=product.id,
            brand_id=product.brand_id,
            creator_id=creator_id,
            livestream_id=livestream_id,
            segment_id=segment_id,
            severity=d.severity,
            claim=d.claim[:200],
            listed=d.listed[:200],
            reason=d.reason,
            evidence=d.evidence,
        )
        try:
            with session.begin_nested():
                session.add(row)
                session.flush()
        except IntegrityError:
            continue  # the same judgement stored by a concurrent writer
        record(session, principal, FINDING_DETECT, row, {"kind": d.kind.value, "severity": d.severity.value})
        kept.append(row)
    if kept:
        escalate(session, product, creator_id)
    return kept


def escalate(session: Session, product: Product, creator_id: int | None) -> ReviewTask | None:
    """One review task for the unreviewed findings on ``product`` by ``creator_id`` once they weigh enough."""
    # The product's row lock orders escalations of one product: of two writers each adding a finding at once, the
    # second waits, then sees the first's task (or findings) and joins it instead of opening another.
    session.execute(select(Product.id).where(Product.id == product.id).with_for_update())
    who = (
        MonitoringFinding.creator_id == creator_id if creator_id is not None else MonitoringFinding.creator_id.is_(None)
    )
    waiting = list(
        session.scalars(
            select(MonitoringFinding)
            .where(
                MonitoringFinding.product_id == product.id,
                who,
                MonitoringFinding.review_task_id.is_(None),
                MonitoringFinding.detected_at >= utcnow() - REVIEW_WINDOW,
            )
            .order_by(MonitoringFinding.id)
            .with_for_update()
        )
    )
    points = sum(POINTS[f.severity] for f in waiting)
    if points < REVIEW_THRESHOLD:
        return None
    task_who = ReviewTask.creator_id == creator_id if creator_id is not None else ReviewTask.creator_id.is_(None)
    task = session.scalar(
        select(ReviewTask).where(
            ReviewTask.subject_type == SUBJECT_TYPE,
            ReviewTask.subject_id == product.id,
            task_who,
            ReviewTask.status == ReviewStatus.PENDING,
        )
    )
    summary = "\n".join(f"[{f.kind.value}] {f.claim}：{f.reason.partition(' / ')[0]}" for f in waiting)
    if task is None:
        severe = max((POINTS[f.severity] for f in waiting), default=0)
        task = ReviewTask(
            subject_type=SUBJECT_TYPE,
            subject_id=product.id,
            creator_id=creator_id,
            text=f"商品监测 / product monitoring — {product.name}\n{summary}"[:20000],
            ai_verdict=Verdict.REVIEW,
            ai_score=round(min(1.0, points / 10), 4),
            # The compliance queue's scale: a REVIEW verdict starts at 100, severity adds up to 30.
            priority=100 + 15 * (severe - 1) + min(points, 100),
            due_at=utcnow() + REVIEW_DUE,
            status=ReviewStatus.PENDING,
        )
        session.add(task)
        session.flush()
        record(session, None, compliance_audit.REVIEW_TASK_FLAG, task, {"subject": SUBJECT_TYPE, "points": points})
    else:
        task.text = f"{task.text}\n{summary}"[:20000]
    for finding in waiting:
        finding.review_task_id = task.id
    session.flush()
    return task


# ---------------------------------------------------------------------------------------------- fake discounts


def check_price_cut(
    session: Session, principal: Principal | None, product: Product, cut: PriceObservation
) -> list[MonitoringFinding]:
    """Judge the price before ``cut`` as the implied 原价 of a promotion starting at the cut (7-day rule)."""
    before = session.execute(
        select(PriceObservation.fen, PriceObservation.observed_at)
        .where(
            PriceObservation.product_id == product.id,
            PriceObservation.channel == pricing.OWN_CHANNEL,
            (PriceObservation.observed_at < cut.observed_at)
            | ((PriceObservation.observed_at == cut.observed_at) & (PriceObservation.id < cut.id)),
        )
        .order_by(PriceObservation.observed_at.desc(), PriceObservation.id.desc())
        .limit(1)
    ).first()
    if before is None or cut.fen >= before.fen:
        return []
    start = cut.observed_at
    past = [p for p in history(session, product.id, start - HISTORY_WINDOW, start) if p.at < start]
    verdict = pricing.judge_original_price(past, start, int(before.fen))
    if not verdict.fake or verdict.raised_at is None:
        return []
    assert verdict.reference_fen is not None
    # A "sale" that lands no lower than the lawful 原价 discounts nothing at all.
    severity = Severity.HIGH if cut.fen >= verdict.reference_fen else Severity.MEDIUM
    found = Detected(
        key=f"price:{cut.id}",
        kind=FindingKind.FAKE_DISCOUNT,
        severity=severity,
        claim=f"{pricing.yuan(int(before.fen))} → {pricing.yuan(cut.fen)}",
        listed=pricing.yuan(verdict.reference_fen),  # the lawful 原价; the reason names its basis
        reason=verdict.reason,
        evidence={
            "cut_at": start.isoformat(),
            "before_fen": int(before.fen),
            "after_fen": cut.fen,
            "reference_fen": verdict.reference_fen,
            "basis": verdict.basis.value,
            "raised_at": verdict.raised_at.isoformat(),
        },
    )
    return _keep(session, principal, product, [found])


def on_product_written(session: Session, principal: Principal | None, product: Product) -> None:
    """The product write hook: the trigger has recorded the price by now; a cut is judged in the same transaction."""
    newest = session.scalar(
        select(PriceObservation)
        .where(PriceObservation.product_id == product.id, PriceObservation.channel == pricing.OWN_CHANNEL)
        .order_by(PriceObservation.observed_at.desc(), PriceObservation.id.desc())
        .limit(1)
    )
    if newest is not None:  # an unchanged price re-judges the last cut, whose finding (if any) is already kept
        check_price_cut(session, principal, product, newest)


hooks.on_write(Product, on_product_written)


# -------------------------------------------------------------------------------------------------------- speech

_ATTRIBUTE_LINE = re.compile(r"([\w/（）()]{1,12})\s*[:：]\s*([^\n；;]+)")


def listing_of(product: Product) -> consistency.Listing:
    """What the listing states, from the ``属性：值`` lines of its description (材质：100%棉, 产地：新疆阿克苏)."""
    attributes = {m.group(1).strip(): m.group(2).strip() for m in _ATTRIBUTE_LINE.finditer(product.description or "")}
    return consistency.Listing.from_attributes(attributes)


def _speech_findings(session: Session, segment: SpeechSegment, product: Product) -> list[Detected]:
    out = []
    for finding in consistency.mismatches(segment.text, listing_of(product)):
        claim = finding.claim
        out.append(
            Detected(
                key=f"speech:{segment.id}:{claim.kind.value}:{claim.start}",
                kind=FindingKind.LISTING_MISMATCH,
                severity=_SEVERE_MISMATCHES.get(claim.kind, Severity.MEDIUM),
                claim=claim.text,
                listed=finding.listed or "",
                reason=finding.reason,
                evidence={"claim_kind": claim.kind.value, "start": claim.start, "end": claim.end},
            )
        )
    at = segment.said_at
    current, since = price_at(session, product, at)
    past = history(session, product.id, at - pricing.LOOKBACK, at)
    for price in pricing.check_price_claims(segment.text, current, past, at=at, promotion_start=since or at):
        if price.verdict is not PriceVerdict.FALSE:
            continue
        said = price.claim
        out.append(
            Detected(
                key=f"speech:{segment.id}:{said.kind.value}:{said.start}",
                kind=FindingKind.PRICE_CLAIM,
                severity=_SEVERE_CLAIMS.get(said.kind, Severity.MEDIUM),
                claim=said.text,
                listed=pricing.yuan(current),
                reason=price.reason,
                evidence={"claim_kind": said.kind.value, "start": said.start, "current_fen": current},
            )
        )
    return out


def check_segment(session: Session, principal: Principal | None, segment: SpeechSegment) -> list[MonitoringFinding]:
    if segment.product_id is None:
        return []
    product = session.get(Product, segment.product_id)
    if product is None:
        return []
    return _keep(
        session,
        principal,
        product,
        _speech_findings(session, segment, product),
        creator_id=segment.creator_id,
        livestream_id=segment.livestream_id,
        segment_id=segment.id,
    )


@dataclass(frozen=True)
class SegmentIn:
    seq: int
    text: str
    said_at: datetime
    product_id: int | None = None


@dataclass(frozen=True)
class SpeechResult:
    received: int
    stored: int
    duplicates: int
    findings: list[MonitoringFinding]


def _speech_sender(session: Session, principal: Principal, livestream_id: int) -> LivestreamSession:
    """The live socket's senders: the session's creator, its MCN, or the platform's ingest (admin) account."""
    live = access.get_visible(session, LivestreamSession, livestream_id, principal)
    if principal.role is Role.ADMIN:
        return live
    if principal.role is Role.CREATOR and principal.creator_id == live.creator_id:
        return live
    if principal.role is Role.MCN_MANAGER:
        mcn = session.scalar(select(Creator.mcn_id).where(Creator.id == live.creator_id))
        if mcn is not None and mcn == principal.mcn_id:
            return live
    raise Forbidden(
        "only the session's creator, its MCN or the ingest account sends its speech / "
        "仅本场达人、其 MCN 或平台接入账号可发送口播"
    )


def record_speech(
    session: Session, principal: Principal, livestream_id: int, segments: Sequence[SegmentIn]
) -> SpeechResult:
    """Store a livestream's transcribed speech (each seq once) and check every new segment at once."""
    live = _speech_sender(session, principal, livestream_id)
    if len(segments) > SEGMENTS_PER_CALL:
        raise InvalidInput(f"send at most {SEGMENTS_PER_CALL} segments per call, not {len(segments)}")
    if len({s.seq for s in segments}) != len(segments):
        raise InvalidInput("each segment's seq appears once per call")
    default_product = None
    if live.collaboration_id is not None:
        default_product = session.scalar(
            select(Collaboration.product_id).where(Collaboration.id == live.collaboration_id)
        )
    named = {s.product_id for s in segments if s.product_id is not None}
    if named:
        # The ingest account names any product; a host only one it carries (a collaboration of its own).
        known_products = set(session.scalars(select(Product.id).where(Product.id.in_(named))))
        if principal.role is not Role.ADMIN:
            known_products &= set(
                session.scalars(
                    select(Collaboration.product_id).where(
                        Collaboration.creator_id == live.creator_id, Collaboration.product_id.in_(named)
                    )
                )
            )
        if named - known_products:
            raise InvalidInput(f"product(s) {sorted(named - known_products)} are not carried in this room")
    known = set(
        session.scalars(
            select(SpeechSegment.seq).where(
                SpeechSegment.livestream_id == live.id, SpeechSegment.seq.in_([s.seq for s in segments])
            )
        )
    )
    stored: list[SpeechSegment] = []
    for item in segments:
        if item.seq in known:
            continue
        row = SpeechSegment(
            livestream_id=live.id,
            creator_id=live.creator_id,
            product_id=item.product_id or default_product,
            seq=item.seq,
            text=item.text,
            said_at=item.said_at,
        )
        try:
            with session.begin_nested():
                session.add(row)
                session.flush()
        except IntegrityError:
            continue  # a retried batch racing its first try: that one stored it
        stored.append(row)
    findings: list[MonitoringFinding] = []
    for row in stored:
        findings += check_segment(session, principal, row)
    if stored:
        detail = {"livestream_id": live.id, "stored": len(stored), "findings": len(findings)}
        record(session, principal, SPEECH_INGEST, live, detail)
    return SpeechResult(len(segments), len(stored), len(segments) - len(stored), findings)


# ---------------------------------------------------------------------------------------------------- batch scan


@dataclass(frozen=True)
class ScanResult:
    price_cuts: int
    segments: int
    findings: int


def scan(session: Session, principal: Principal | None, *, days: int = 30, at: datetime | None = None) -> ScanResult:
    """Re-judge every price change and every speech segment of the last ``days`` (bulk loads skip the hooks);
    what was judged before keeps its finding, so running it again stores nothing twice."""
    if principal is not None:
        require_role(principal, action="running 商品监测")
    until = at or utcnow()
    since = until - timedelta(days=days)
    cuts = list(
        session.scalars(
            select(PriceObservation)
            .where(
                PriceObservation.channel == pricing.OWN_CHANNEL,
                PriceObservation.observed_at >= since,
                PriceObservation.observed_at <= until,
            )
            .order_by(PriceObservation.id)
        )
    )
    found = 0
    products: dict[int, Product | None] = {}
    for cut in cuts:
        product = products.setdefault(cut.product_id, session.get(Product, cut.product_id))
        if product is not None:
            found += len(check_price_cut(session, principal, product, cut))
    segments = list(
        session.scalars(
            select(SpeechSegment)
            .where(SpeechSegment.said_at >= since, SpeechSegment.said_at <= until)
            .order_by(SpeechSegment.id)
        )
    )
    for segment in segments:
        found += len(check_segment(session, principal, segment))
    # Nothing but findings is written, and each one is audited as it is kept.
    return ScanResult(len(cuts), len(segments), found)


# --------------------------------------------------------------------------------------------------------- reads


class Outcome(StrEnum):
    """Where a finding stands: by itself (below the threshold), with a reviewer, or decided."""

    OPEN = "open"
    IN_REVIEW = "in_review"
    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"


_OUTCOME = {
    ReviewStatus.PENDING: Outcome.IN_REVIEW,
    ReviewStatus.CONFIRMED: Outcome.CONFIRMED,
    ReviewStatus.OVERTURNED: Outcome.DISMISSED,
}


@dataclass(frozen=True)
class FindingLine:
    finding: MonitoringFinding
    product: str
    creator: str | None
    outcome: Outcome


def _visible_findings(principal: Principal) -> Select[Any]:
    if principal.role not in (Role.ADMIN, Role.REVIEWER, Role.REGULATOR, Role.BRAND_MANAGER, Role.MCN_MANAGER) and (
        principal.role is not Role.CREATOR
    ):
        raise Forbidden("商品监测 is not for this role")
    return access.visible_rows(MonitoringFinding, principal)


def findings(
    session: Session,
    principal: Principal,
    *,
    kind: FindingKind | None = None,
    product_id: int | None = None,
    limit: int = 50,
    cursor: str | None = None,
) -> Page[FindingLine]:
    """Findings the principal may read, newest first (a brand: on its own products; a creator: its own words)."""
    query = _visible_findings(principal)
    if kind is not None:
        query = query.where(MonitoringFinding.kind == kind)
    if product_id is not None:
        query = query.where(MonitoringFinding.product_id == product_id)
    page = paginate(session, query, limit, cursor, newest_first=True)
    rows: list[MonitoringFinding] = list(page.items)
    names = dict(
        session.execute(select(Product.id, Product.name).where(Product.id.in_({r.product_id for r in rows}))).all()
    )
    hosts = dict(
        session.execute(
            select(Creator.id, Creator.display_name).where(Creator.id.in_({r.creator_id for r in rows if r.creator_id}))
        ).all()
    )
    reviews = dict(
        session.execute(
            select(ReviewTask.id, ReviewTask.status).where(
                ReviewTask.id.in_({r.review_task_id for r in rows if r.review_task_id})
            )
        ).all()
    )
    lines = [
        FindingLine(
            r,
            str(names.get(r.product_id, r.product_id)),
            hosts.get(r.creator_id) if r.creator_id else None,
            _OUTCOME[reviews[r.review_task_id]] if r.review_task_id in reviews else Outcome.OPEN,
        )
        for r in rows
    ]
    return Page(lines, page.next_cursor)


def finding_counts(session: Session, principal: Principal) -> dict[str, dict[str, int]]:
    """Findings the principal may read, by kind and outcome."""
    visible = _visible_findings(principal).subquery()
    rows = session.execute(
        select(visible.c.kind, ReviewTask.status, func.count())
        .select_from(visible)
        .outerjoin(ReviewTask, ReviewTask.id == visible.c.review_task_id)
        .group_by(visible.c.kind, ReviewTask.status)
    ).all()
    counts = {k.value: {o.value: 0 for o in Outcome} for k in FindingKind}
    for kind, status, n in rows:
        outcome = _OUTCOME[ReviewStatus(status)] if status is not None else Outcome.OPEN
        counts[FindingKind(kind).value][outcome.value] += int(n)
    return counts


def outstanding(session: Session, creator_ids: Sequence[int], since: datetime) -> dict[int, list[MonitoringFinding]]:
    """Each creator's findings since ``since`` that no reviewer dismissed (for rooms and credit)."""
    if not creator_ids:
        return {}
    rows = session.execute(
        select(MonitoringFinding, ReviewTask.status)
        .outerjoin(ReviewTask, ReviewTask.id == MonitoringFinding.review_task_id)
        .where(MonitoringFinding.creator_id.in_(list(creator_ids)), MonitoringFinding.detected_at >= since)
    ).all()
    out: dict[int, list[MonitoringFinding]] = defaultdict(list)
    for finding, status in rows:
        if status is not ReviewStatus.OVERTURNED and finding.creator_id is not None:
            out[finding.creator_id].append(finding)
    return out


def fake_discounts_on(session: Session, product_ids: Sequence[int], since: datetime) -> set[int]:
    """Products with an undismissed fake-discount finding since ``since``."""
    if not product_ids:
        return set()
    rows = session.execute(
        select(MonitoringFinding.product_id, ReviewTask.status)
        .outerjoin(ReviewTask, ReviewTask.id == MonitoringFinding.review_task_id)
        .where(
            MonitoringFinding.kind == FindingKind.FAKE_DISCOUNT,
            MonitoringFinding.product_id.in_(list(product_ids)),
            MonitoringFinding.detected_at >= since,
        )
    ).all()
    return {pid for pid, status in rows if status is not ReviewStatus.OVERTURNED}
