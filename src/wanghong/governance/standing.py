"""数字治理 standing: the one answer to "is this creator penalised, how much, and why?".

Traffic, matching and originality used to answer it three ways; they now all read :func:`standings` (or its two
narrow views, :func:`exposure_multipliers` and :func:`unmatchable_creator_ids`). The policy, mildest first:

* **good** — nothing below applies: full feed exposure, offered to brands.
* **restricted** — a violation confirmed in the last ``WINDOW`` days, or a ``high``-severity one still ``open`` or
  ``appealed`` (a serious case under investigation already blocks new deals). Not offered to brands; the feed is
  untouched, because the compliance penalty policy already turns confirmed violations into penalties, and
  counting the violation here as well would punish it twice.
* **limited** — serving a compliance traffic limit (exposure × ``TRAFFIC_LIMIT_MULTIPLIER``) and/or accused of
  copies confirmed by originality review in the last ``WINDOW`` days (× ``PER_CONFIRMED_COPY`` per copy, never
  below ``MIN_COPY_MULTIPLIER``). The factors multiply. Not offered to brands.
* **suspended** — serving a compliance suspension: exposure 0, not offered to brands.

A penalty counts while it is ``active`` and ``starts_at <= at < ends_at`` (no ``ends_at``: until lifted), so an
expired one stops counting at its end even before anything marks it expired. A confirmed copy's own video gets
no feed exposure at all (:func:`video_multipliers`). Standing is platform-internal and not tenant-scoped.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, or_, select, true
from sqlalchemy.orm import Session

from wanghong.compliance.models import CompliancePenalty, Violation
from wanghong.domain import ClaimStatus, PenaltyKind, PenaltyStatus, Severity, ViolationStatus
from wanghong.kit.db.base import utcnow
from wanghong.originality.models import OriginalityClaim

# The compliance policy's own points window (90 days by default): a violation older than that no longer
# counts towards penalties, so it no longer blocks brand deals either.
WINDOW = timedelta(days=90)
TRAFFIC_LIMIT_MULTIPLIER = 0.3
PER_CONFIRMED_COPY = 0.5
MIN_COPY_MULTIPLIER = 0.1
COPY_VIDEO_MULTIPLIER = 0.0


class Standing(StrEnum):
    """A creator's standing, mildest first; each state carries the consequences of the milder ones."""

    GOOD = "good"
    RESTRICTED = "restricted"
    LIMITED = "limited"
    SUSPENDED = "suspended"


class Cause(StrEnum):
    SUSPENSION = "penalty.suspension"
    TRAFFIC_LIMIT = "penalty.traffic_limit"
    CONFIRMED_COPY = "originality_claim.confirmed"
    CONFIRMED_VIOLATION = "violation.confirmed"
    SERIOUS_OPEN_VIOLATION = "violation.under_review"


_STATE_OF = {
    Cause.SUSPENSION: Standing.SUSPENDED,
    Cause.TRAFFIC_LIMIT: Standing.LIMITED,
    Cause.CONFIRMED_COPY: Standing.LIMITED,
    Cause.CONFIRMED_VIOLATION: Standing.RESTRICTED,
    Cause.SERIOUS_OPEN_VIOLATION: Standing.RESTRICTED,
}
_ORDER = list(Standing)


@dataclass(frozen=True)
class Reason:
    """One row behind a standing: what it is (``ref`` is ``<table>:<id>``) and until when it counts."""

    cause: Cause
    ref: str
    until: datetime | None


@dataclass(frozen=True)
class CreatorStanding:
    creator_id: int
    state: Standing
    exposure: float  # what the feed multiplies the creator's predicted engagement by
    reasons: tuple[Reason, ...]

    @property
    def matchable(self) -> bool:
        """Whether brands are offered this creator: only in good standing."""
        return self.state is Standing.GOOD


def _among(column: Any, ids: list[int] | None) -> ColumnElement[bool]:
    return true() if ids is None else column.in_(ids)


def _penalty_reasons(session: Session, ids: list[int] | None, at: datetime) -> list[tuple[int, Reason]]:
    p = CompliancePenalty
    query = select(p.creator_id, p.id, p.kind, p.ends_at).where(
        p.status == PenaltyStatus.ACTIVE,
        p.kind.in_([PenaltyKind.SUSPENSION, PenaltyKind.TRAFFIC_LIMIT]),
        p.starts_at <= at,
        p.ends_at.is_(None) | (p.ends_at > at),
        _among(p.creator_id, ids),
    )
    cause = {PenaltyKind.SUSPENSION: Cause.SUSPENSION, PenaltyKind.TRAFFIC_LIMIT: Cause.TRAFFIC_LIMIT}
    return [
        (int(cid), Reason(cause[kind], f"compliance_penalty:{pid}", ends))
        for cid, pid, kind, ends in session.execute(query.order_by(p.id))
    ]


def _copy_reasons(session: Session, ids: list[int] | None, at: datetime) -> list[tuple[int, Reason]]:
    c = OriginalityClaim
    query = select(c.accused_creator_id, c.id, c.decided_at).where(
        c.status == ClaimStatus.CONFIRMED,
        c.decided_at > at - WINDOW,
        c.decided_at <= at,
        _among(c.accused_creator_id, ids),
    )
    return [
        (int(cid), Reason(Cause.CONFIRMED_COPY, f"originality_claim:{claim_id}", decided and decided + WINDOW))
        for cid, claim_id, decided in session.execute(query.order_by(c.id))
    ]


def _violation_reasons(session: Session, ids: list[int] | None, at: datetime) -> list[tuple[int, Reason]]:
    v = Violation
    confirmed = (v.status == ViolationStatus.CONFIRMED) & (v.created_at > at - WINDOW)
    serious_open = (v.severity == Severity.HIGH) & v.status.in_([ViolationStatus.OPEN, ViolationStatus.APPEALED])
    query = select(v.creator_id, v.id, v.status, v.created_at).where(
        or_(confirmed, serious_open), v.created_at <= at, _among(v.creator_id, ids)
    )
    out = []
    for cid, vid, status, created in session.execute(query.order_by(v.id)):
        if status is ViolationStatus.CONFIRMED:
            out.append((int(cid), Reason(Cause.CONFIRMED_VIOLATION, f"violation:{vid}", created + WINDOW)))
        else:  # until someone decides the case
            out.append((int(cid), Reason(Cause.SERIOUS_OPEN_VIOLATION, f"violation:{vid}", None)))
    return out


def _exposure(reasons: Iterable[Reason]) -> float:
    causes = [r.cause for r in reasons]
    if Cause.SUSPENSION in causes:
        return 0.0
    copies = causes.count(Cause.CONFIRMED_COPY)
    factor = max(MIN_COPY_MULTIPLIER, PER_CONFIRMED_COPY**copies) if copies else 1.0
    return factor * (TRAFFIC_LIMIT_MULTIPLIER if Cause.TRAFFIC_LIMIT in causes else 1.0)


def _group(rows: Iterable[tuple[int, Reason]]) -> dict[int, list[Reason]]:
    grouped: dict[int, list[Reason]] = defaultdict(list)
    for cid, reason in rows:
        grouped[cid].append(reason)
    return grouped


def _ids(creator_ids: Iterable[int] | None) -> list[int] | None:
    return None if creator_ids is None else sorted({int(i) for i in creator_ids})


def standings(
    session: Session, creator_ids: Iterable[int] | None = None, *, at: datetime | None = None
) -> dict[int, CreatorStanding]:
    """The standing of every creator in ``creator_ids`` (all creators when None) that is *not* in good standing.

    A creator missing from the answer is in good standing; :func:`standing_of` answers for one creator."""
    ids, at = _ids(creator_ids), at or utcnow()
    if ids == []:
        return {}
    rows = _penalty_reasons(session, ids, at) + _copy_reasons(session, ids, at) + _violation_reasons(session, ids, at)
    out = {}
    for cid, reasons in sorted(_group(rows).items()):
        state = max((_STATE_OF[r.cause] for r in reasons), key=_ORDER.index)
        out[cid] = CreatorStanding(cid, state, _exposure(reasons), tuple(reasons))
    return out


def standing_of(session: Session, creator_id: int, *, at: datetime | None = None) -> CreatorStanding:
    found = standings(session, [creator_id], at=at)
    return found.get(creator_id, CreatorStanding(creator_id, Standing.GOOD, 1.0, ()))


def exposure_multipliers(
    session: Session, creator_ids: Iterable[int], *, at: datetime | None = None
) -> dict[int, float]:
    """The feed's view: exposure multiplier of each creator whose exposure is not 1.0 (absent: 1.0).

    Violations alone never change exposure, so this skips reading them."""
    ids, at = _ids(creator_ids), at or utcnow()
    if not ids:
        return {}
    grouped = _group(_penalty_reasons(session, ids, at) + _copy_reasons(session, ids, at))
    return {cid: m for cid, reasons in sorted(grouped.items()) if (m := _exposure(reasons)) != 1.0}


def unmatchable_creator_ids(session: Session, *, at: datetime | None = None) -> set[int]:
    """The brand-matching view: every creator not in good standing."""
    return set(standings(session, at=at))


def video_multipliers(session: Session, video_ids: Iterable[int]) -> dict[int, float]:
    """Exposure multiplier per video: ``COPY_VIDEO_MULTIPLIER`` for a confirmed copy, 1.0 otherwise."""
    ids = _ids(video_ids) or []
    if not ids:
        return {}
    copies = set(
        session.scalars(
            select(OriginalityClaim.copy_video_id).where(
                OriginalityClaim.copy_video_id.in_(ids), OriginalityClaim.status == ClaimStatus.CONFIRMED
            )
        )
    )
    return {vid: COPY_VIDEO_MULTIPLIER if vid in copies else 1.0 for vid in ids}
