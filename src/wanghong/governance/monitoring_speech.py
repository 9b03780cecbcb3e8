"""商品监测's speech: a livestream's transcribed segments, stored once per (livestream, seq) and checked as they
arrive against the listing's attributes and the product's observed prices."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from wanghong.accounts.principal import Principal
from wanghong.commerce.models import Collaboration, Creator, LivestreamSession, Product
from wanghong.domain import Role, Severity
from wanghong.governance.engine import consistency, pricing
from wanghong.governance.engine.pricing import PriceClaimKind, PriceVerdict
from wanghong.governance.models import FindingKind, MonitoringFinding, SpeechSegment
from wanghong.governance.monitoring_findings import Detected, keep_findings
from wanghong.governance.monitoring_prices import history, price_at
from wanghong.kit import access
from wanghong.kit.audit import record
from wanghong.kit.db.session import insert_once
from wanghong.kit.errors import Forbidden, InvalidInput

SEGMENTS_PER_CALL = 200
SPEECH_INGEST = "speech_segment.ingest"
_SEVERE_CLAIMS = {PriceClaimKind.ORIGINAL_PRICE: Severity.HIGH, PriceClaimKind.DISCOUNT: Severity.HIGH}
_SEVERE_MISMATCHES = {consistency.ClaimKind.CERTIFICATION: Severity.HIGH}


_ATTRIBUTE_LINE = re.compile(r"([\w/（）()]{1,12})\s*[:：]\s*([^\n；;]+)")


def listing_of(product: Product) -> consistency.Listing:
    """What the listing states, from the ``属性：值`` lines of its description (材质：100%棉, 产地：新疆阿克苏)."""
    attributes = {m.group(1).strip(): m.group(2).strip() for m in _ATTRIBUTE_LINE.finditer(product.description or "")}
    return consistency.Listing.from_attributes(attributes)


def _said(
    segment: SpeechSegment, claim: Any, kind: FindingKind, severity: Severity, listed: str, reason: str, **evidence: Any
) -> Detected:
    """A finding on a claim made in a segment, keyed by the segment and where in it the claim stands."""
    return Detected(
        key=f"speech:{segment.id}:{claim.kind.value}:{claim.start}",
        kind=kind,
        severity=severity,
        claim=claim.text,
        listed=listed,
        reason=reason,
        evidence={"claim_kind": claim.kind.value, "start": claim.start, **evidence},
    )


def _speech_findings(session: Session, segment: SpeechSegment, product: Product) -> list[Detected]:
    out = []
    for finding in consistency.mismatches(segment.text, listing_of(product)):
        claim = finding.claim
        severity = _SEVERE_MISMATCHES.get(claim.kind, Severity.MEDIUM)
        listed = finding.listed or ""
        out.append(_said(segment, claim, FindingKind.LISTING_MISMATCH, severity, listed, finding.reason, end=claim.end))
    at = segment.said_at
    current, since = price_at(session, product, at)
    past = history(session, product.id, at - pricing.LOOKBACK, at)
    for price in pricing.check_price_claims(segment.text, current, past, at=at, promotion_start=since or at):
        if price.verdict is not PriceVerdict.FALSE:
            continue
        severity = _SEVERE_CLAIMS.get(price.claim.kind, Severity.MEDIUM)
        listed = pricing.yuan(current)
        out.append(
            _said(segment, price.claim, FindingKind.PRICE_CLAIM, severity, listed, price.reason, current_fen=current)
        )
    return out


def check_segment(session: Session, principal: Principal | None, segment: SpeechSegment) -> list[MonitoringFinding]:
    if segment.product_id is None:
        return []
    product = session.get(Product, segment.product_id)
    if product is None:
        return []
    return keep_findings(
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
        if not insert_once(session, row):
            continue  # a retried batch racing its first try: that one stored it
        stored.append(row)
    findings: list[MonitoringFinding] = []
    for row in stored:
        findings += check_segment(session, principal, row)
    if stored:
        detail = {"livestream_id": live.id, "stored": len(stored), "findings": len(findings)}
        record(session, principal, SPEECH_INGEST, live, detail)
    return SpeechResult(len(segments), len(stored), len(segments) - len(stored), findings)
