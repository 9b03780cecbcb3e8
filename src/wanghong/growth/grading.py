"""星火计划 grading service: each agency's monthly grade from platform data, stored, explained and followed by
`mcns.tier`; the operator's override (reason required, audited) and the decision on an agency's appeal.

Indicators of an agency's month, all from rows the platform keeps (its signed creators are today's roster: the
platform keeps no signing history per month, see `growth.market`):

* **gmv** — orders of its signed creators in the month (`growth.market.mcn_gmv`);
* **follower_growth** — mean over its creators of log(1 + new follows in the month / followers before them), new
  follows being the month's `follow` viewer events (the only follower movement the platform records);
* **originality** — share of its creators' videos published in the month not confirmed as copies;
* **violation_rate** — confirmed violations raised in the month per signed creator;
* **complaint_rate** — complained orders (客诉, `settlement.refunds`) per 1,000 of its creators' orders placed in
  the month;
* **retention** — share of the creators it had in its oldest graded month of the last twelve who are still
  signed (each stored month keeps its roster for this); 1 before any history exists.

A month is graded idempotently: its row per agency is inserted once (ON CONFLICT DO NOTHING) and updated on a
re-run, keeping an operator's override. Hysteresis starts from the previous month's effective grade. When the
graded month is the agency's latest, `mcns.tier` follows the effective grade and the change joins the tier history.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Collection
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from wanghong.accounts.principal import Principal, require_role
from wanghong.commerce.models import Creator, Mcn, McnTierChange, Order, Video, ViewerEvent
from wanghong.compliance.models import Violation
from wanghong.domain import ClaimStatus, McnTier, ViewerAction, ViolationStatus
from wanghong.growth import notices
from wanghong.growth.engine import Indicators
from wanghong.growth.grades import POLICY, REASON_MAX, effective_grade
from wanghong.growth.market import MonthlyConcentration, mcn_gmv, month_bounds, monthly_concentration
from wanghong.growth.models import AppealStatus, GradeAppeal, McnGrade
from wanghong.growth.schemas import GradedAgencyOut
from wanghong.kit import audit
from wanghong.kit.audit import Actor
from wanghong.kit.db.base import utcnow
from wanghong.kit.db.session import insert_new, update_if
from wanghong.kit.errors import Conflict, InvalidInput, NotFound
from wanghong.kit.paging import paginate
from wanghong.originality.models import OriginalityClaim
from wanghong.settlement import refunds

RETENTION_MONTHS = 12


def first_of(month: date) -> date:
    return date(month.year, month.month, 1)


def shift(month: date, months: int) -> date:
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def parse_month(text: str) -> date:
    try:
        parsed = datetime.strptime(text.strip(), "%Y-%m").date()
    except ValueError:
        raise InvalidInput(f"month must be YYYY-MM, got {text!r}") from None
    return parsed


def last_complete_month(now: datetime | None = None) -> date:
    return shift(first_of((now or utcnow()).date()), -1)


# --- measuring ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Measured:
    indicators: Indicators
    roster: list[int]
    orders: int
    complaints_measured: bool
    retention_basis: str | None  # the month retention was measured against, None before any history


def measure(session: Session, month: date) -> dict[int, Measured]:
    """Every agency's indicators for `month` (an agency without signed creators is absent)."""
    start, end = month_bounds(month)
    roster: dict[int, list[int]] = defaultdict(list)
    followers: dict[int, int] = {}
    for creator_id, mcn_id, count in session.execute(
        select(Creator.id, Creator.mcn_id, Creator.followers).where(Creator.mcn_id.is_not(None))
    ):
        roster[int(mcn_id or 0)].append(int(creator_id))
        followers[int(creator_id)] = int(count)
    in_month = (ViewerEvent.occurred_at >= start, ViewerEvent.occurred_at < end)
    follows = dict(
        session.execute(
            select(ViewerEvent.creator_id, func.count())
            .where(ViewerEvent.action == ViewerAction.FOLLOW, *in_month)
            .group_by(ViewerEvent.creator_id)
        ).all()
    )
    videos = dict(
        session.execute(
            select(Video.creator_id, func.count())
            .where(Video.published_at >= start, Video.published_at < end)
            .group_by(Video.creator_id)
        ).all()
    )
    copies = dict(
        session.execute(
            select(Video.creator_id, func.count(func.distinct(Video.id)))
            .join(OriginalityClaim, OriginalityClaim.copy_video_id == Video.id)
            .where(
                OriginalityClaim.status == ClaimStatus.CONFIRMED,
                Video.published_at >= start,
                Video.published_at < end,
            )
            .group_by(Video.creator_id)
        ).all()
    )
    violations = dict(
        session.execute(
            select(Violation.creator_id, func.count())
            .where(
                Violation.status == ViolationStatus.CONFIRMED, Violation.created_at >= start, Violation.created_at < end
            )
            .group_by(Violation.creator_id)
        ).all()
    )
    orders = dict(
        session.execute(
            select(Creator.mcn_id, func.count(Order.id))
            .join(Creator, Creator.id == Order.creator_id)
            .where(Creator.mcn_id.is_not(None), Order.ordered_at >= start, Order.ordered_at < end)
            .group_by(Creator.mcn_id)
        ).all()
    )
    complained = refunds.complained_orders_by_creator(session, start, end)
    gmv = mcn_gmv(session, month)
    earlier = _earliest_rosters(session, month)
    measured: dict[int, Measured] = {}
    for mcn_id, creators in roster.items():
        growth = [math.log1p(follows.get(c, 0) / max(followers[c] - follows.get(c, 0), 1)) for c in creators]
        published = sum(videos.get(c, 0) for c in creators)
        copied = sum(copies.get(c, 0) for c in creators)
        basis = earlier.get(mcn_id)
        kept = len(set(basis[1]) & set(creators)) / len(basis[1]) if basis is not None and basis[1] else 1.0
        measured[mcn_id] = Measured(
            Indicators(
                gmv=float(gmv.get(mcn_id, 0)),
                follower_growth=sum(growth) / len(growth),
                originality=1.0 - copied / published if published else 1.0,
                violation_rate=sum(violations.get(c, 0) for c in creators) / len(creators),
                complaint_rate=(
                    1000.0 * sum(complained.get(c, 0) for c in creators) / orders[mcn_id] if orders.get(mcn_id) else 0.0
                ),
                retention=kept,
            ),
            sorted(creators),
            int(orders.get(mcn_id, 0)),
            complaints_measured=True,
            retention_basis=f"{basis[0]:%Y-%m}" if basis is not None else None,
        )
    return measured


def _earliest_rosters(session: Session, month: date) -> dict[int, tuple[date, list[int]]]:
    """Each agency's roster in its oldest stored month of the twelve before `month`."""
    since = shift(month, -RETENTION_MONTHS)
    rows = session.execute(
        select(McnGrade.mcn_id, McnGrade.month, McnGrade.indicators)
        .where(McnGrade.month >= since, McnGrade.month < month)
        .order_by(McnGrade.mcn_id, McnGrade.month)
    ).all()
    oldest: dict[int, tuple[date, list[int]]] = {}
    for mcn_id, when, indicators in rows:
        if int(mcn_id) not in oldest:
            oldest[int(mcn_id)] = (when, [int(c) for c in (indicators or {}).get("roster", [])])
    return oldest


# --- grading -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GradingRun:
    month: date
    agencies: list[GradedAgencyOut]  # the API answers these as they are

    def counts(self) -> dict[str, int]:
        counted = {tier.value: 0 for tier in McnTier}
        for agency in self.agencies:
            counted[agency.effective.value] += 1
        return counted


def run_grading(
    session: Session, month: date, actor: Actor | None = None, only: Collection[int] | None = None
) -> GradingRun:
    """Grade every agency with signed creators (or the `only` ones) for `month` and store it; re-running the
    month changes nothing that the data has not changed."""
    month = first_of(month)
    if month > last_complete_month():
        raise InvalidInput(f"{month:%Y-%m} has not ended yet; grade a finished month")
    measured = measure(session, month)
    if only is not None:
        measured = {mcn_id: m for mcn_id, m in measured.items() if mcn_id in set(only)}
    previous = {
        row.mcn_id: effective_grade(row)
        for row in session.scalars(select(McnGrade).where(McnGrade.month == shift(month, -1)))
    }
    names = dict(session.execute(select(Mcn.id, Mcn.name).where(Mcn.id.in_(list(measured)))).all())
    graded: list[GradedAgencyOut] = []
    now = utcnow()
    for mcn_id in sorted(measured):
        found = measured[mcn_id]
        score = round(POLICY.score(found.indicators), 4)
        last = previous.get(mcn_id)
        grade = POLICY.grade(score, last)
        stored: dict[str, Any] = asdict(found.indicators) | {
            "roster": found.roster,
            "creators": len(found.roster),
            "orders": found.orders,
            "complaints_measured": found.complaints_measured,
            "retention_basis": found.retention_basis,
        }
        values = {
            "score": score,
            "grade": grade.value,
            "previous_grade": last.value if last else None,
            "indicators": stored,
            "computed_at": now,
        }
        # The month's row is created once; a re-run (or a concurrent one) updates it and keeps any override.
        insert_new(session, McnGrade, {"mcn_id": mcn_id, "month": month, **values}, unique=["mcn_id", "month"])
        session.execute(
            update(McnGrade)
            .where(McnGrade.mcn_id == mcn_id, McnGrade.month == month)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        row = session.scalars(select(McnGrade).where(McnGrade.mcn_id == mcn_id, McnGrade.month == month)).one()
        session.refresh(row)
        changed = follow_grade(session, row, actor, f"星火计划 {month:%Y-%m} 评分 {score:.1f} / score {score:.1f}")
        graded.append(
            GradedAgencyOut(
                mcn_id=mcn_id,
                name=names.get(mcn_id, ""),
                score=score,
                grade=grade,
                previous=last,
                effective=effective_grade(row),
                tier_changed=changed,
            )
        )
    return GradingRun(month, graded)


def follow_grade(session: Session, row: McnGrade, actor: Actor | None, reason: str) -> bool:
    """Make `mcns.tier` the row's effective grade when the row is the agency's latest month; True if it moved."""
    newest = session.scalar(select(func.max(McnGrade.month)).where(McnGrade.mcn_id == row.mcn_id))
    if newest != row.month:
        return False
    tier = effective_grade(row)
    mcn = session.get_one(Mcn, row.mcn_id)
    if mcn.tier is tier:
        return False
    before = mcn.tier
    moved = session.execute(
        update(Mcn)
        .where(Mcn.id == mcn.id, Mcn.tier == before)
        .values(tier=tier)
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(f"mcn {mcn.id}'s tier changed meanwhile; grade again")
    session.refresh(mcn)
    # Its creators now show another agency tier: the change moves their `updated_at`, which is what 选品中心's
    # index watches to re-read a creator (and with it 品牌优先合作权).
    session.execute(
        update(Creator)
        .where(Creator.mcn_id == mcn.id)
        .values(updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    session.add(McnTierChange(mcn_id=mcn.id, tier=tier, reason=reason[:REASON_MAX]))
    session.flush()
    audit.record(
        session, actor, "mcn.tier_graded", mcn, {"from": before.value, "to": tier.value, "month": f"{row.month:%Y-%m}"}
    )
    return True


# --- the operator's hand -----------------------------------------------------------------------------------------


def override(
    session: Session, principal: Principal, grade_id: int, tier: McnTier, reason: str, seen: McnTier
) -> McnGrade:
    """Set a month's grade by hand. `seen` is the grade the operator was looking at: if another decision changed
    it meanwhile this one is refused (409) rather than silently overwriting it."""
    require_role(principal, action="overriding an agency grade")
    text = reason.strip()
    if not text:
        raise InvalidInput("调整原因必填 / reason: an override needs a reason, it is published in the audit log")
    if len(text) > REASON_MAX:
        raise InvalidInput(f"调整原因最多 {REASON_MAX} 字 / reason: at most {REASON_MAX} characters")
    row = session.get(McnGrade, grade_id)
    if row is None:
        raise NotFound(f"grade {grade_id} not found")
    row = _set_override(session, principal, row, tier, text, seen, f"运营调整 / operator: {text}")
    notices.tell_agency(session, row, "grade_overridden", tier.value, text)
    return row


def _set_override(
    session: Session, principal: Principal, row: McnGrade, tier: McnTier, text: str, seen: McnTier, history: str
) -> McnGrade:
    before = effective_grade(row)
    changed = session.execute(
        update(McnGrade)
        .where(McnGrade.id == row.id, func.coalesce(McnGrade.overridden_grade, McnGrade.grade) == seen.value)
        .values(overridden_grade=tier, override_reason=text, overridden_by=principal.user_id)
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:  # type: ignore[attr-defined]
        session.refresh(row)
        raise Conflict(
            f"该月评级已被改为 {effective_grade(row).value} / the grade was changed to {effective_grade(row).value} "
            "meanwhile; reload and decide again"
        )
    session.refresh(row)
    audit.record(
        session,
        principal,
        "mcn_grade.override",
        row,
        {"from": before.value, "to": tier.value, "reason": text, "month": f"{row.month:%Y-%m}"},
    )
    follow_grade(session, row, principal, history)
    return row


def decide_appeal(
    session: Session, principal: Principal, appeal_id: int, accept: bool, note: str, tier: McnTier | None = None
) -> GradeAppeal:
    """Accept (the month's grade becomes `tier`, or what the agency asked for) or reject an appeal, once: of two
    decisions at the same time one wins and the other is a 409."""
    require_role(principal, action="deciding an agency's appeal")
    appeal = session.get(GradeAppeal, appeal_id)
    if appeal is None:
        raise NotFound(f"appeal {appeal_id} not found")
    text = note.strip()
    if len(text) > REASON_MAX:
        raise InvalidInput(f"说明最多 {REASON_MAX} 字 / note: at most {REASON_MAX} characters")
    target = tier or appeal.requested_grade
    if accept and target is None:
        raise InvalidInput("接受申诉须指定新等级 / tier: name the grade the agency gets")
    if not accept and not text:
        raise InvalidInput("驳回申诉须说明理由 / note: a rejection says why")
    decided = {
        "status": AppealStatus.ACCEPTED if accept else AppealStatus.REJECTED,
        "decided_by": principal.user_id,
        "decided_at": utcnow(),
        "decision_note": text,
    }
    if not update_if(session, appeal, GradeAppeal.status == AppealStatus.PENDING, decided):
        raise Conflict(f"申诉已处理（{appeal.status.value}）/ the appeal was decided already ({appeal.status.value})")
    audit.record(
        session,
        principal,
        "mcn_grade.appeal_decided",
        appeal,
        {"accepted": accept, "tier": target.value if accept and target else None, "note": text},
    )
    if accept and target is not None:
        row = session.get_one(McnGrade, appeal.grade_id)
        if effective_grade(row) is not target:
            reason = f"申诉通过 / appeal accepted: {text or appeal.reason}"[:REASON_MAX]
            _set_override(session, principal, row, target, reason, effective_grade(row), reason)
    grade_row = session.get_one(McnGrade, appeal.grade_id)
    kind = "grade_appeal_accepted" if accept else "grade_appeal_rejected"
    notices.tell_agency(session, grade_row, kind, effective_grade(grade_row).value, text)
    return appeal


# --- the operator's board ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BoardLine:
    grade: McnGrade
    name: str
    effective: McnTier


@dataclass(frozen=True)
class Board:
    month: date | None  # the latest graded month
    lines: list[BoardLine]  # one page of that month's agencies, newest row first
    counts: dict[str, int]  # effective grades of that month, over every agency
    appeals: list[tuple[GradeAppeal, str, McnGrade]]  # one page of appeals, newest first
    pending: int  # appeals waiting for a decision, over every page
    concentration: list[MonthlyConcentration]  # oldest first
    lines_next: str | None = None  # cursor of the next page of agencies
    appeals_next: str | None = None  # cursor of the next page of appeals


BOARD_ROWS = 200
BOARD_PAGE = 50
CONCENTRATION_MONTHS = 12


def board(
    session: Session,
    principal: Principal,
    month: date | None = None,
    grades_cursor: str | None = None,
    appeals_cursor: str | None = None,
    limit: int = BOARD_PAGE,
) -> Board:
    """The operator's board: the latest month's grade counts, its agencies and the appeals in cursor pages
    (`kit.paging`, newest first), and concentration over the last twelve months."""
    require_role(principal, action="reading the 星火计划 board")
    latest = month or session.scalar(select(func.max(McnGrade.month)))
    lines: list[BoardLine] = []
    lines_next: str | None = None
    counts = {tier.value: 0 for tier in McnTier}
    if latest is not None:
        effective = func.coalesce(McnGrade.overridden_grade, McnGrade.grade)
        for tier, n in session.execute(
            select(effective, func.count()).where(McnGrade.month == latest).group_by(effective)
        ):
            counts[McnTier(tier).value] = int(n)
        page = paginate(
            session, select(McnGrade).where(McnGrade.month == latest), limit, grades_cursor, newest_first=True
        )
        names = _names(session, {row.mcn_id for row in page.items})
        lines = [BoardLine(row, names.get(row.mcn_id, ""), effective_grade(row)) for row in page.items]
        lines_next = page.next_cursor
    appeals_page = paginate(session, select(GradeAppeal), limit, appeals_cursor, newest_first=True)
    names = _names(session, {a.mcn_id for a in appeals_page.items})
    graded = {
        row.id: row
        for row in session.scalars(select(McnGrade).where(McnGrade.id.in_([a.grade_id for a in appeals_page.items])))
    }
    appeals = [(a, names.get(a.mcn_id, ""), graded[a.grade_id]) for a in appeals_page.items]
    pending = session.scalar(
        select(func.count()).select_from(GradeAppeal).where(GradeAppeal.status == AppealStatus.PENDING)
    )
    end = latest or last_complete_month()
    months = [shift(end, -i) for i in range(CONCENTRATION_MONTHS)]
    return Board(
        latest,
        lines,
        counts,
        appeals,
        int(pending or 0),
        monthly_concentration(session, months),
        lines_next,
        appeals_page.next_cursor,
    )


def _names(session: Session, mcn_ids: set[int]) -> dict[int, str]:
    if not mcn_ids:
        return {}
    return {int(i): str(n) for i, n in session.execute(select(Mcn.id, Mcn.name).where(Mcn.id.in_(list(mcn_ids))))}
