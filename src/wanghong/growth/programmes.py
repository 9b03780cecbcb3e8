"""创作者成长: growth programmes (创作者学院 courses, 光合计划 incentives), creators' enrolment, and each programme's
measured effect on follower growth.

A programme with a randomised roll-out (`randomised_share`) assigns each applicant to the treated or the control
arm by a draw seeded with (programme, creator), so the assignment is reproducible and nobody chooses it; its effect
is then the difference of the arms' means with a Welch interval, which randomisation makes unbiased. A programme
creators choose themselves is measured against the creators who did not enrol with the doubly robust estimator of
`growth.engine.estimate_effect` (covariates: log followers and follows before the programme), with its refutation
checks. The naive difference is always shown beside the estimate, never alone.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation

import numpy as np
from scipy import stats
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wanghong.accounts.principal import Principal, require_role
from wanghong.commerce.models import Creator, ViewerEvent
from wanghong.domain import Role, ViewerAction
from wanghong.growth import incentives
from wanghong.growth.engine import EffectDataError, estimate_effect
from wanghong.growth.engine.effect import MIN_ROWS_PER_GROUP
from wanghong.growth.models import Assignment, Enrolment, Programme, ProgrammeKind
from wanghong.kit import audit
from wanghong.kit.db.session import insert_new
from wanghong.kit.errors import Conflict, InvalidInput, NotFound

NAME_MAX = 120
CONFIDENCE = 0.95


def programmes(session: Session) -> list[Programme]:
    return list(session.scalars(select(Programme).order_by(Programme.starts_on.desc(), Programme.id.desc())))


def enrolment_counts(session: Session) -> dict[int, dict[str, int]]:
    counts: dict[int, dict[str, int]] = defaultdict(lambda: {a.value: 0 for a in Assignment})
    for programme_id, assignment, n in session.execute(
        select(Enrolment.programme_id, Enrolment.assignment, func.count()).group_by(
            Enrolment.programme_id, Enrolment.assignment
        )
    ):
        counts[int(programme_id)][Assignment(assignment).value] = int(n)
    return dict(counts)


def my_enrolments(session: Session, principal: Principal) -> dict[int, Enrolment]:
    if principal.role is not Role.CREATOR or principal.creator_id is None:
        return {}
    rows = session.scalars(select(Enrolment).where(Enrolment.creator_id == principal.creator_id))
    return {row.programme_id: row for row in rows}


def create_programme(
    session: Session,
    principal: Principal,
    name: str,
    kind: str,
    starts_on: str,
    months: int,
    budget: str = "",
    randomised_share: str = "",
    reward: str = "",
    target_follows: str = "",
) -> Programme:
    """An operator opens a programme; a randomised share in (0, 1) offers it as an A/B roll-out. A cash incentive
    with a budget, a reward and a follow target has its budget set aside in the ledger at once."""
    require_role(principal, action="opening a growth programme")
    title = name.strip()
    if not title or len(title) > NAME_MAX:
        raise InvalidInput(f"name: 1–{NAME_MAX} characters")
    try:
        programme_kind = ProgrammeKind(kind)
    except ValueError:
        raise InvalidInput("kind: course or incentive") from None
    try:
        start = datetime.strptime(starts_on.strip(), "%Y-%m-%d").date()
    except ValueError:
        raise InvalidInput(f"starts_on must be YYYY-MM-DD, got {starts_on!r}") from None
    if not 1 <= months <= 24:
        raise InvalidInput("months: 1–24")
    money = _yuan("budget", budget)
    prize = _yuan("reward", reward)
    target: int | None = None
    if target_follows.strip():
        try:
            target = int(target_follows)
        except ValueError:
            raise InvalidInput(f"target_follows is a whole number of new follows, got {target_follows!r}") from None
        if not 0 <= target <= 100_000_000:
            raise InvalidInput("target_follows: 0–100,000,000 new follows")
    if programme_kind is ProgrammeKind.COURSE and (prize is not None or target is not None):
        raise InvalidInput("a course pays no reward; reward and target_follows are for cash incentives")
    if prize is not None:
        if prize <= 0:
            raise InvalidInput("reward must be more than 0 yuan")
        if money is None or target is None:
            raise InvalidInput("a cash reward needs a budget and a follow target (target_follows)")
        if prize > money:
            raise InvalidInput(f"reward {prize} yuan exceeds the whole budget of {money} yuan")
    share: float | None = None
    if randomised_share.strip():
        try:
            share = float(randomised_share) / 100
        except ValueError:
            raise InvalidInput(f"randomised share is a percentage, got {randomised_share!r}") from None
        if not 0 < share < 1:
            raise InvalidInput("randomised share must lie strictly between 0% and 100% (both arms need creators)")
    if session.scalar(select(Programme.id).where(Programme.name == title)) is not None:
        raise Conflict(f"a programme named {title!r} exists already")
    programme = Programme(
        name=title,
        kind=programme_kind,
        starts_on=start,
        months=months,
        budget=money,
        randomised_share=share,
        reward=prize,
        target_follows=target,
    )
    session.add(programme)
    session.flush()
    incentives.fund(session, programme)
    audit.record(
        session,
        principal,
        "programme.create",
        programme,
        {
            "kind": kind,
            "randomised_share": share,
            "name": title,
            "budget": None if money is None else str(money),
            "reward": None if prize is None else str(prize),
            "target_follows": target,
        },
    )
    return programme


def _yuan(field: str, text: str) -> Decimal | None:
    if not text.strip():
        return None
    try:
        money = Decimal(text.strip())
    except InvalidOperation:
        raise InvalidInput(f"{field} must be an amount in yuan, got {text!r}") from None
    if not money.is_finite() or money != money.quantize(Decimal("0.01")):
        raise InvalidInput(f"{field} must be yuan with at most two decimals (fen), got {text!r}")
    if money < 0 or money >= Decimal("1e12"):
        raise InvalidInput(f"{field} must lie between 0 and 1,000,000,000,000 yuan")
    return money.quantize(Decimal("0.01"))


def assignment_for(programme: Programme, creator_id: int) -> Assignment:
    """A randomised programme's arm for this creator: a draw seeded with both ids, the same whenever asked."""
    if programme.randomised_share is None:
        return Assignment.SELF_ENROLLED
    draw = random.Random(f"{programme.id}:{creator_id}").random()
    return Assignment.RANDOMISED_TREATMENT if draw < programme.randomised_share else Assignment.RANDOMISED_CONTROL


def enrol(session: Session, principal: Principal, programme_id: int) -> Enrolment:
    """The creator applies; a second application (even a concurrent one) is a 409."""
    if principal.role is not Role.CREATOR or principal.creator_id is None:
        raise InvalidInput("enrolment is for creators: sign in as the creator who takes part")
    programme = session.get(Programme, programme_id)
    if programme is None:
        raise NotFound(f"programme {programme_id} not found")
    arm = assignment_for(programme, principal.creator_id)
    values = {
        "programme_id": programme.id,
        "creator_id": principal.creator_id,
        "assignment": arm.value,
        "enrolled_at": datetime.now(UTC),
    }
    inserted = insert_new(session, Enrolment, values, unique=["programme_id", "creator_id"])
    if inserted is None:
        raise Conflict(f"已报名 / you are enrolled in {programme.name} already")
    enrolment = session.get_one(Enrolment, inserted)
    audit.record(session, principal, "programme.enrol", enrolment, {"assignment": arm.value})
    return enrolment


# --- measured effect --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeasuredEffect:
    method: str
    estimate: float
    ci_low: float
    ci_high: float
    naive: float
    treated: int
    compared: int
    refutations: dict[str, bool]


@dataclass(frozen=True)
class NotMeasurable:
    reason: str


def _follows(session: Session, start: datetime, end: datetime | None = None) -> dict[int, int]:
    query = select(ViewerEvent.creator_id, func.count()).where(
        ViewerEvent.action == ViewerAction.FOLLOW, ViewerEvent.occurred_at >= start
    )
    if end is not None:
        query = query.where(ViewerEvent.occurred_at < end)
    return {int(c): int(n) for c, n in session.execute(query.group_by(ViewerEvent.creator_id)).all()}


def measure_effect(session: Session, programme_id: int) -> MeasuredEffect | NotMeasurable:
    """The programme's effect on new follows since it started, with its 95% interval and the naive difference."""
    programme = session.get(Programme, programme_id)
    if programme is None:
        raise NotFound(f"programme {programme_id} not found")
    start = datetime(programme.starts_on.year, programme.starts_on.month, programme.starts_on.day, tzinfo=UTC)
    after = _follows(session, start)
    enrolled = {
        e.creator_id: e.assignment
        for e in session.scalars(select(Enrolment).where(Enrolment.programme_id == programme.id))
    }
    if programme.randomised_share is not None:
        treated = [after.get(c, 0) for c, a in enrolled.items() if a is Assignment.RANDOMISED_TREATMENT]
        control = [after.get(c, 0) for c, a in enrolled.items() if a is Assignment.RANDOMISED_CONTROL]
        if min(len(treated), len(control)) < MIN_ROWS_PER_GROUP:
            return NotMeasurable(
                f"need at least {MIN_ROWS_PER_GROUP} creators in each arm "
                f"(treated {len(treated)}, control {len(control)})"
            )
        return _welch(treated, control)
    before = _follows(
        session, datetime(start.year - (start.month == 1), (start.month - 2) % 12 + 1, 1, tzinfo=UTC), start
    )
    creators = session.execute(select(Creator.id, Creator.followers)).all()
    t = np.array([1.0 if int(c) in enrolled else 0.0 for c, _ in creators])
    if min(int(t.sum()), int((1 - t).sum())) < MIN_ROWS_PER_GROUP:
        return NotMeasurable(f"need at least {MIN_ROWS_PER_GROUP} enrolled and {MIN_ROWS_PER_GROUP} other creators")
    y = np.array([float(after.get(int(c), 0)) for c, _ in creators])
    x = np.array([[math.log1p(int(f)), float(before.get(int(c), 0))] for c, f in creators])
    try:
        result = estimate_effect(t, y, x, estimand="att", seed=0)
    except EffectDataError as error:
        return NotMeasurable(str(error))
    return MeasuredEffect(
        result.method,
        result.estimate,
        result.interval.ci_low,
        result.interval.ci_high,
        result.naive,
        int(t.sum()),
        int((1 - t).sum()),
        {r.name: r.passed for r in result.refutations},
    )


def _welch(treated: list[int], control: list[int]) -> MeasuredEffect:
    a, b = np.asarray(treated, dtype=float), np.asarray(control, dtype=float)
    difference = float(a.mean() - b.mean())
    va, vb = a.var(ddof=1) / a.size, b.var(ddof=1) / b.size
    se = math.sqrt(va + vb)
    if se == 0:
        low = high = difference
    else:
        dof = (va + vb) ** 2 / (va**2 / (a.size - 1) + vb**2 / (b.size - 1))
        half = float(stats.t.ppf(0.5 + CONFIDENCE / 2, dof)) * se
        low, high = difference - half, difference + half
    return MeasuredEffect(
        "randomised: difference of arms (Welch)", difference, low, high, difference, a.size, b.size, {}
    )
