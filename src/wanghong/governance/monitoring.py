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

The price history is in `monitoring_prices`, findings and their escalation in `monitoring_findings`, speech in
`monitoring_speech`, the reads in `monitoring_reads`; this module judges price cuts (subscribed to product writes),
runs the batch scan, and is the one callers import.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from wanghong.accounts.principal import Principal, require_role
from wanghong.commerce import hooks
from wanghong.commerce.models import Product
from wanghong.domain import Severity
from wanghong.governance.engine import pricing
from wanghong.governance.models import FindingKind, MonitoringFinding, PriceObservation, SpeechSegment
from wanghong.governance.monitoring_findings import (
    FINDING_DETECT,
    POINTS,
    REVIEW_DUE,
    REVIEW_THRESHOLD,
    REVIEW_WINDOW,
    SUBJECT_TYPE,
    Detected,
    escalate,
    keep_findings,
)
from wanghong.governance.monitoring_prices import (
    OBSERVATION_RECORD,
    ObservationIn,
    PriceHistory,
    elsewhere_points,
    fen,
    history,
    listed_points,
    price_at,
    product_prices,
    record_observations,
    sold_points,
)
from wanghong.governance.monitoring_reads import (
    FindingLine,
    Outcome,
    fake_discounts_on,
    finding_counts,
    findings,
    outstanding,
)
from wanghong.governance.monitoring_speech import (
    SEGMENTS_PER_CALL,
    SPEECH_INGEST,
    SegmentIn,
    SpeechResult,
    check_segment,
    listing_of,
    record_speech,
)
from wanghong.kit.db.base import utcnow

__all__ = [
    "FINDING_DETECT",
    "HISTORY_WINDOW",
    "OBSERVATION_RECORD",
    "POINTS",
    "REVIEW_DUE",
    "REVIEW_THRESHOLD",
    "REVIEW_WINDOW",
    "SEGMENTS_PER_CALL",
    "SPEECH_INGEST",
    "SUBJECT_TYPE",
    "Detected",
    "FindingLine",
    "ObservationIn",
    "Outcome",
    "PriceHistory",
    "ScanResult",
    "SegmentIn",
    "SpeechResult",
    "check_price_cut",
    "check_segment",
    "elsewhere_points",
    "escalate",
    "fake_discounts_on",
    "fen",
    "finding_counts",
    "findings",
    "history",
    "listed_points",
    "listing_of",
    "on_product_written",
    "outstanding",
    "price_at",
    "product_prices",
    "record_observations",
    "record_speech",
    "scan",
    "sold_points",
]

HISTORY_WINDOW = timedelta(days=30)  # the price history a cut is judged on (the rule itself looks back 7 days)


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
    return keep_findings(session, principal, product, [found])


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
