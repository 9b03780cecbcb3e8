"""人群洞察's privacy budget and differentially private releases: a pack's size and reach over creators, the sizes of
the rule segments, each release's ε charged to the brand's Beijing-time month before noise is drawn (see
`wanghong.audience.service`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from itertools import product
from typing import Any

import numpy as np
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from wanghong.accounts.principal import Principal, require_role
from wanghong.audience import engine
from wanghong.audience.engine.segments import AGE_BANDS, CITY_TIERS, GENDERS
from wanghong.audience.models import CrowdPack, PrivacyBudget, PrivacyRelease, ReleaseKind
from wanghong.audience.packs import brand_of, definition_of, get_pack, members
from wanghong.audience.population import current_population, runtime_of
from wanghong.domain import Role
from wanghong.kit import access, audit
from wanghong.kit.db.base import utcnow
from wanghong.kit.db.session import insert_new
from wanghong.kit.errors import Conflict, InvalidInput
from wanghong.kit.paging import Page, paginate

_MICRO = 1_000_000
# A size release spends this share of its ε on the size and the rest on the reach over creators.
SIZE_SHARE = 0.5
# The creators a reach release keeps: those reaching the most members (the others are too few to target).
REACH_KEPT = 500


@dataclass(frozen=True)
class Budget:
    month: str
    limit: float
    spent: float

    @property
    def remaining(self) -> float:
        return max(0.0, self.limit - self.spent)


def monthly_epsilon(session: Session) -> float:
    """The ε a brand may spend per Beijing-time month, from the settings of the process the session works in."""
    return runtime_of(session).settings.audience_monthly_epsilon


def budget(session: Session, brand_id: int, at: datetime | None = None) -> Budget:
    month = engine.budget_month(at or utcnow())
    # Column, not the ORM row: the identity map could hand back a row read before this transaction's UPDATE.
    spent = session.scalar(
        select(PrivacyBudget.spent_micro).where(PrivacyBudget.brand_id == brand_id, PrivacyBudget.month == month)
    )
    return Budget(month, monthly_epsilon(session), (spent or 0) / _MICRO)


def charge(session: Session, brand_id: int, epsilon: float, at: datetime | None = None) -> Budget:
    """Spend `epsilon` of the brand's budget for the month of `at`, or refuse (409) if it would pass the limit.

    The row is created once (INSERT … ON CONFLICT DO NOTHING: two first releases of a month both find it), then
    raised by a conditional UPDATE; on PostgreSQL the second of two concurrent UPDATEs waits for the first's row
    lock and re-checks the condition against the committed sum, on SQLite writers are serialised outright. The
    limit is the setting's at this release (the UPDATE writes it to the row too, whose CHECK keeps spent ≤ limit):
    a raised limit holds at once, a lowered one refuses what would pass it.
    """
    if not epsilon > 0:
        raise InvalidInput(f"ε 必须为正 / ε must be positive, got {epsilon}")
    month = engine.budget_month(at or utcnow())
    cost = round(epsilon * _MICRO)
    limit = round(monthly_epsilon(session) * _MICRO)
    values = {"brand_id": brand_id, "month": month, "limit_micro": limit, "spent_micro": 0}
    insert_new(session, PrivacyBudget, values, unique=["brand_id", "month"])
    raised = session.execute(
        update(PrivacyBudget)
        .where(
            PrivacyBudget.brand_id == brand_id,
            PrivacyBudget.month == month,
            PrivacyBudget.spent_micro + cost <= limit,
        )
        .values(spent_micro=PrivacyBudget.spent_micro + cost, limit_micro=limit)
        .execution_options(synchronize_session=False)
    )
    left = budget(session, brand_id, at)
    if raised.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(
            f"本月隐私预算不足：剩余 ε={left.remaining:g}，本次需要 {epsilon:g} / the privacy budget of {month} has "
            f"ε={left.remaining:g} left of {left.limit:g}; this release needs {epsilon:g}"
        )
    return left


def record_release(
    session: Session,
    principal: Principal,
    brand_id: int,
    pack: CrowdPack | None,
    kind: ReleaseKind,
    epsilon: float,
    released: dict[str, Any],
    accuracy: float,
    at: datetime,
) -> PrivacyRelease:
    row = PrivacyRelease(
        brand_id=brand_id,
        pack_id=pack.id if pack else None,
        kind=kind,
        epsilon=epsilon,
        month=engine.budget_month(at),
        released=released,
        accuracy=accuracy,
        released_by=principal.user_id,
        released_at=at,
    )
    session.add(row)
    session.flush()
    # The reach vector stays in the release row; the audit entry names how many creators it held.
    summary = {key: len(value) if isinstance(value, dict) else value for key, value in released.items()}
    audit.record(session, principal, f"audience_release.{kind.value}", row, {"epsilon": epsilon, **summary})
    return row


@dataclass(frozen=True)
class SizeRelease:
    release: PrivacyRelease
    size: int
    budget: Budget


def release_size(
    session: Session, principal: Principal, pack_id: int, epsilon: float, now: datetime | None = None
) -> SizeRelease:
    """The pack's size and its reach over creators as the brand may see them: charged first, then noised.

    Two measurements under sequential composition: the size (one count, sensitivity 1) with `SIZE_SHARE` of ε,
    the reach (a count per creator, sensitivity `engine.PER_VIEWER`) with the rest. Every creator's count is
    noised, whether or not it reaches anyone; keeping only the `REACH_KEPT` largest afterwards is post-processing.
    """
    pack = get_pack(session, principal, pack_id)
    require_role(principal, Role.BRAND_MANAGER, action="releasing a pack's size")
    now = now or utcnow()
    left = charge(session, pack.brand_id, epsilon, now)
    population = current_population(session)
    chosen = members(population, definition_of(pack), now)
    size_epsilon = epsilon * SIZE_SHARE
    noised = engine.noisy_counts([int(chosen.sum())], size_epsilon)
    reach = population.reach
    reached = engine.noisy_counts(
        reach.members(chosen).tolist(), epsilon - size_epsilon, contributions=reach.per_viewer
    )
    audience = reach.audience
    values = np.asarray(reached.values, dtype=np.int64)
    kept = [p for p in np.argsort(-values, kind="stable")[:REACH_KEPT].tolist() if values[p] > 0 and audience[p] > 0]
    released = {
        "size": noised.values[0],
        "viewers": population.n_viewers,
        "per_viewer": reach.per_viewer,
        "reach_accuracy": reached.accuracy(),
        "reach_threshold": engine.reach_threshold(reached, len(values)),
        "creators": {str(int(population.creator_ids[p])): [int(values[p]), int(audience[p])] for p in kept},
    }
    row = record_release(
        session, principal, pack.brand_id, pack, ReleaseKind.PACK_SIZE, epsilon, released, noised.accuracy(), now
    )
    return SizeRelease(row, noised.values[0], left)


def segment_sensitivity(rules: tuple[engine.RuleSegment, ...] = engine.RULE_SEGMENTS) -> int:
    """The most rule segments one person can be in at once, from the rules alone (never from the data, which
    would itself leak): over every combination of declared attributes, the rules whose attribute conditions it
    meets, as if every interest condition could hold together."""
    most = 1
    for gender, age, tier in product((*GENDERS, None), (*AGE_BANDS, None), (*CITY_TIERS, None)):
        fits = sum(
            all(
                not allowed or value in allowed
                for allowed, value in ((r.genders, gender), (r.age_bands, age), (r.city_tiers, tier))
            )
            for r in rules
        )
        most = max(most, fits)
    return most


@dataclass(frozen=True)
class SegmentRelease:
    release: PrivacyRelease
    sizes: list[tuple[engine.RuleSegment, int]]
    budget: Budget


def release_segments(
    session: Session, principal: Principal, epsilon: float, now: datetime | None = None
) -> SegmentRelease:
    """Every rule segment's noised size in one release; a person in several segments moves several counts, so the
    noise scale covers the most segments one person can be in."""
    brand_id = brand_of(principal, "releasing segment sizes")
    now = now or utcnow()
    left = charge(session, brand_id, epsilon, now)
    population = current_population(session)
    counts = [int(value) for value in population.membership.sum(axis=0)]
    noised = engine.noisy_counts(counts, epsilon, contributions=segment_sensitivity())
    released = {rule.key: value for rule, value in zip(engine.RULE_SEGMENTS, noised.values, strict=True)}
    row = record_release(
        session, principal, brand_id, None, ReleaseKind.SEGMENT_SIZES, epsilon, released, noised.accuracy(), now
    )
    return SegmentRelease(row, list(zip(engine.RULE_SEGMENTS, noised.values, strict=True)), left)


def latest_segment_release(session: Session, principal: Principal) -> PrivacyRelease | None:
    """What the segment explorer shows without spending ε: the brand's newest segment release this month."""
    brand_id = brand_of(principal, "exploring segments")
    return session.scalar(
        select(PrivacyRelease)
        .where(
            PrivacyRelease.brand_id == brand_id,
            PrivacyRelease.kind == ReleaseKind.SEGMENT_SIZES,
            PrivacyRelease.month == engine.budget_month(utcnow()),
        )
        .order_by(PrivacyRelease.id.desc())
        .limit(1)
    )


def latest_sizes(session: Session, pack_ids: list[int]) -> dict[int, PrivacyRelease]:
    """The newest size release of each pack (what a page shows again without spending ε)."""
    found: dict[int, PrivacyRelease] = {}
    rows = session.scalars(
        select(PrivacyRelease)
        .where(PrivacyRelease.pack_id.in_(pack_ids), PrivacyRelease.kind == ReleaseKind.PACK_SIZE)
        .order_by(PrivacyRelease.id)
    )
    for row in rows:
        found[row.pack_id or 0] = row
    return found


def releases(
    session: Session, principal: Principal, limit: int = 50, cursor: str | None = None
) -> Page[PrivacyRelease]:
    return paginate(session, access.visible_rows(PrivacyRelease, principal), limit, cursor, newest_first=True)
