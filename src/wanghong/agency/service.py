"""MCN 后台's use cases: the roster, signing and releasing creators (the creator confirms), the agency's tier with
what it grants, and the revenue split of its contracts.

A request is decided once: the decision is a conditional UPDATE on the row still being pending, so of two
answers at the same time (two tabs, the agency withdrawing while the creator confirms) one wins and the other is a
409. Confirming also moves `Creator.mcn_id` with a conditional UPDATE on the agency it expects (none when
signing, this one when releasing), in the same transaction: a creator two agencies both want ends up with one.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from wanghong.accounts.principal import Principal, require_role
from wanghong.agency import notices
from wanghong.agency.models import AgencySigning, SigningKind, SigningStatus, in_force
from wanghong.agency.schemas import DecisionIn, ReleaseIn, SigningIn
from wanghong.commerce.models import Collaboration, Creator, Mcn, McnTierChange
from wanghong.domain import CollaborationStatus, McnTier, Role
from wanghong.growth import grades
from wanghong.kit import access, audit
from wanghong.kit.db.base import utcnow
from wanghong.kit.db.session import update_if
from wanghong.kit.errors import Conflict, Forbidden, InvalidInput, NotFound
from wanghong.kit.listing import PageRequest, visible_page
from wanghong.kit.paging import Page
from wanghong.settlement import ledger
from wanghong.settlement.engine import AccountRef, OwnerKind, Purpose

LISTED = 200  # the newest rows a page's table shows; the API pages through all of them

# --- what each tier grants (星火计划 resources): one table in growth, read by pages, API and engines alike ------

TierGrant = grades.TierGrant
TIER_GRANTS = grades.TIER_GRANTS


# --- who the agency is ---------------------------------------------------------------------------------------


def agency_of(session: Session, principal: Principal, mcn_id: int | None = None) -> Mcn:
    """The agency the reader manages (an admin names one); another agency is a 404."""
    require_role(principal, Role.MCN_MANAGER, action="managing an agency")
    if principal.role is Role.MCN_MANAGER:
        if principal.mcn_id is None:
            raise Conflict(f"account {principal.username} is not bound to an MCN")
        if mcn_id is not None and mcn_id != principal.mcn_id:
            raise NotFound(f"mcn {mcn_id} not found")
        mcn_id = principal.mcn_id
    if mcn_id is None:
        raise InvalidInput("name the agency: mcn_id is required for an administrator")
    return access.get_visible(session, Mcn, mcn_id, principal)


# --- roster --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RosterLine:
    creator: Creator
    contract: AgencySigning | None  # the signing contract in force (None: signed before contracts were recorded)
    open_offers: int  # collaborations waiting for the creator's answer
    earned_fen: int  # fees and commissions earned: receivable plus paid out
    pending_fen: int  # commission held through the return window
    release_pending: bool  # a release request is waiting for the creator


def contracts_in_force(session: Session, mcn_id: int, at: datetime | None = None) -> dict[int, AgencySigning]:
    """The agency's contracts in force at `at` (now), by creator."""
    rows = session.scalars(
        select(AgencySigning)
        .where(AgencySigning.mcn_id == mcn_id, in_force(at or utcnow()))
        .order_by(AgencySigning.starts_at)
    )
    return {row.creator_id: row for row in rows}


def roster(session: Session, principal: Principal, mcn_id: int | None = None) -> list[RosterLine]:
    """The agency's creators, most followed first, with their contract, open offers and income."""
    mcn = agency_of(session, principal, mcn_id)
    creators = list(
        session.scalars(
            select(Creator).where(Creator.mcn_id == mcn.id).order_by(Creator.followers.desc(), Creator.id).limit(LISTED)
        )
    )
    ids = [c.id for c in creators]
    offers = dict(
        session.execute(
            select(Collaboration.creator_id, func.count(Collaboration.id))
            .where(Collaboration.creator_id.in_(ids), Collaboration.status == CollaborationStatus.PROPOSED)
            .group_by(Collaboration.creator_id)
        ).all()
    )
    money: dict[int, dict[Purpose, int]] = defaultdict(dict)
    wanted = set(ids)
    for found in _roster_balances(session, principal, ids):
        if found.account.owner_id in wanted:
            money[found.account.owner_id][found.account.purpose] = found.balance
    releasing = set(
        session.scalars(
            select(AgencySigning.creator_id).where(
                AgencySigning.mcn_id == mcn.id,
                AgencySigning.kind == SigningKind.RELEASE,
                AgencySigning.status == SigningStatus.PENDING,
            )
        )
    )
    contracts = contracts_in_force(session, mcn.id)
    return [
        RosterLine(
            creator,
            contracts.get(creator.id),
            int(offers.get(creator.id, 0)),
            money[creator.id].get(Purpose.RECEIVABLE, 0) + money[creator.id].get(Purpose.PAID, 0),
            money[creator.id].get(Purpose.COMMISSION_PENDING, 0),
            creator.id in releasing,
        )
        for creator in creators
    ]


def _roster_balances(session: Session, principal: Principal, creator_ids: list[int]) -> list[ledger.AccountBalance]:
    """The roster's creator accounts only: summing every creator's accounts on the platform took most of the page's
    time (65 ms of 90 on 2,000 creators, growing with the ledger). The manager's row scope is exactly its roster;
    an administrator (no roster of its own) reads the listed creators one by one by the accounts' owner index."""
    if principal.role is Role.MCN_MANAGER:
        return ledger.balances(session, principal=principal, owner_kind=OwnerKind.CREATOR)
    return [
        found
        for creator_id in creator_ids
        for found in ledger.balances(session, owner_kind=OwnerKind.CREATOR, owner_id=creator_id)
    ]


# --- signing and releasing ------------------------------------------------------------------------------------


def add_months(instant: datetime, months: int) -> datetime:
    """The same day and time `months` later (the month's last day where it is shorter: 31 Jan + 1 → 28/29 Feb)."""
    index = instant.month - 1 + months
    year, month = instant.year + index // 12, index % 12 + 1
    return instant.replace(year=year, month=month, day=min(instant.day, calendar.monthrange(year, month)[1]))


def _find_creator(session: Session, data: SigningIn) -> Creator:
    # An agency signs creators who are not on its roster yet, so it names them without being able to read them.
    if data.creator_id is not None:
        creator = session.get(Creator, data.creator_id)
    else:
        creator = session.scalar(select(Creator).where(Creator.handle == (data.handle or "").strip()).limit(1))
    if creator is None:
        raise NotFound(f"creator {data.creator_id or data.handle} not found")
    return creator


def _mcn_manager(principal: Principal, action: str) -> int:
    if principal.role is not Role.MCN_MANAGER or principal.mcn_id is None:
        raise Forbidden(f"{action} is for mcn_manager; you are signed in as {principal.role.value}")
    return principal.mcn_id


def request_signing(session: Session, principal: Principal, data: SigningIn) -> AgencySigning:
    """The agency offers a creator a contract (share, term); the creator confirms or declines it."""
    mcn_id = _mcn_manager(principal, "signing creators")
    creator = _find_creator(session, data)
    if creator.mcn_id == mcn_id:
        raise Conflict(f"creator {creator.handle} is already on your roster")
    if creator.mcn_id is not None:
        raise Conflict(f"creator {creator.handle} is signed with another agency; it has to be released first")
    waiting = session.scalar(
        select(AgencySigning.id).where(
            AgencySigning.mcn_id == mcn_id,
            AgencySigning.creator_id == creator.id,
            AgencySigning.status == SigningStatus.PENDING,
        )
    )
    if waiting is not None:
        raise Conflict(f"your request {waiting} to {creator.handle} is still waiting for an answer")
    row = AgencySigning(
        kind=SigningKind.SIGN,
        mcn_id=mcn_id,
        creator_id=creator.id,
        share_rate=data.share_rate,
        term_months=data.term_months,
        message=data.message,
        requested_by=principal.user_id,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        principal,
        "agency_signing.request",
        row,
        {"creator_id": creator.id, "share_rate": data.share_rate, "term_months": data.term_months},
    )
    notices.tell_creator(session, row, "signing_requested")
    return row


def request_release(session: Session, principal: Principal, data: ReleaseIn) -> AgencySigning:
    """The agency asks to end its contract with a creator on its roster; the creator confirms or declines."""
    mcn_id = _mcn_manager(principal, "releasing creators")
    creator = access.get_visible(session, Creator, data.creator_id, principal)
    waiting = session.scalar(
        select(AgencySigning.id).where(
            AgencySigning.creator_id == creator.id,
            AgencySigning.mcn_id == mcn_id,
            AgencySigning.kind == SigningKind.RELEASE,
            AgencySigning.status == SigningStatus.PENDING,
        )
    )
    if waiting is not None:
        raise Conflict(f"your release request {waiting} for {creator.handle} is still waiting for an answer")
    contract = contracts_in_force(session, mcn_id).get(creator.id)
    row = AgencySigning(
        kind=SigningKind.RELEASE,
        mcn_id=mcn_id,
        creator_id=creator.id,
        share_rate=contract.share_rate if contract else 0.0,
        term_months=contract.term_months if contract else 12,
        contract_id=contract.id if contract else None,
        message=data.message,
        requested_by=principal.user_id,
    )
    session.add(row)
    session.flush()
    audit.record(session, principal, "agency_signing.request_release", row, {"creator_id": creator.id})
    notices.tell_creator(session, row, "release_requested")
    return row


class Decision(StrEnum):
    CONFIRM = "confirm"  # the creator agrees
    DECLINE = "decline"  # the creator refuses
    WITHDRAW = "withdraw"  # the agency takes its request back


_OUTCOME = {
    Decision.CONFIRM: SigningStatus.CONFIRMED,
    Decision.DECLINE: SigningStatus.DECLINED,
    Decision.WITHDRAW: SigningStatus.WITHDRAWN,
}


def decide(session: Session, principal: Principal, signing_id: int, data: DecisionIn) -> AgencySigning:
    """Answer a pending request: the creator confirms or declines it, the agency may withdraw it."""
    row = access.get_visible(session, AgencySigning, signing_id, principal)
    decision = Decision(data.decision)
    creator_side = decision is not Decision.WITHDRAW
    if principal.role is not Role.ADMIN and (principal.role is Role.CREATOR) != creator_side:
        who = "the creator" if creator_side else "the agency"
        raise Forbidden(f"only {who} may {decision.value} a signing request")
    now = utcnow()
    values: dict[str, Any] = {"status": _OUTCOME[decision], "decided_at": now, "decision_note": data.note}
    if decision is Decision.CONFIRM and row.kind is SigningKind.SIGN:
        values |= {"starts_at": now, "ends_at": add_months(now, row.term_months)}
    # The answer counts only if the request is still pending when it is written; a second answer finds none.
    if not update_if(session, row, AgencySigning.status == SigningStatus.PENDING, values):
        raise Conflict(f"signing request {row.id} was already answered: {row.status.value}", answer=row.status.value)
    before = session.scalar(select(Creator.mcn_id).where(Creator.id == row.creator_id))
    if decision is Decision.CONFIRM:
        _move_creator(session, row, now)
    session.refresh(row)
    after = session.scalar(select(Creator.mcn_id).where(Creator.id == row.creator_id))
    detail = {"decision": decision.value, "kind": row.kind.value, "mcn_before": before, "mcn_after": after}
    audit.record(session, principal, f"agency_signing.{decision.value}", row, detail)
    if decision is Decision.WITHDRAW:
        notices.tell_creator(session, row, f"{row.kind.value}_withdrawn")
    else:
        notices.tell_agency(session, row, f"{row.kind.value}_{row.status.value}")
    return row


def _move_creator(session: Session, row: AgencySigning, now: datetime) -> None:
    """Confirming moves the creator, if it is still where the request expects it (unsigned, or with this agency)."""
    expected: access.Condition
    if row.kind is SigningKind.SIGN:
        expected, target = Creator.mcn_id.is_(None), row.mcn_id
    else:
        expected, target = Creator.mcn_id == row.mcn_id, None
    moved: Any = session.execute(
        update(Creator)
        .where(Creator.id == row.creator_id, expected)
        .values(mcn_id=target, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:
        reason = "is already signed with an agency" if row.kind is SigningKind.SIGN else "is no longer with it"
        raise Conflict(f"creator {row.creator_id} {reason}; signing request {row.id} cannot be confirmed")
    if row.kind is SigningKind.RELEASE:
        # Every contract of this agency with the creator still running ends now.
        session.execute(
            update(AgencySigning)
            .where(
                AgencySigning.mcn_id == row.mcn_id,
                AgencySigning.creator_id == row.creator_id,
                in_force(now),
            )
            .values(released_at=now)
            .execution_options(synchronize_session=False)
        )
    session.expire_all()


# --- lists ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SigningLine:
    signing: AgencySigning
    mcn: str
    creator: str
    handle: str


def signing_lines(
    session: Session,
    principal: Principal,
    status: SigningStatus | None = None,
    kind: SigningKind | None = None,
    limit: int = LISTED,
) -> list[SigningLine]:
    """The reader's signing requests (the agency's, or those addressed to the creator), pending first, then newest."""
    query: Any = (
        select(AgencySigning, Mcn.name, Creator.display_name, Creator.handle)
        .join(Mcn, Mcn.id == AgencySigning.mcn_id)
        .join(Creator, Creator.id == AgencySigning.creator_id)
        .where(access.scope_condition(AgencySigning, principal))
    )
    if status is not None:
        query = query.where(AgencySigning.status == status)
    if kind is not None:
        query = query.where(AgencySigning.kind == kind)
    pending_first = (AgencySigning.status != SigningStatus.PENDING).asc()
    rows = session.execute(query.order_by(pending_first, AgencySigning.id.desc()).limit(limit))
    return [SigningLine(row, mcn, creator, handle) for row, mcn, creator, handle in rows]


def list_signings(
    session: Session,
    principal: Principal,
    *,
    status: SigningStatus | None = None,
    kind: SigningKind | None = None,
    creator_id: int | None = None,
    page: PageRequest,
) -> Page[AgencySigning]:
    require_role(principal, Role.MCN_MANAGER, Role.CREATOR, action="reading signing requests")
    return visible_page(
        session, principal, AgencySigning, page, newest_first=True, status=status, kind=kind, creator_id=creator_id
    )


def get_signing(session: Session, principal: Principal, signing_id: int) -> AgencySigning:
    return access.get_visible(session, AgencySigning, signing_id, principal)


# --- tier and revenue split ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SplitLine:
    creator: Creator
    contract: AgencySigning | None
    share_fen: int  # the agency's share of this creator's earnings so far, from the ledger


@dataclass(frozen=True)
class TierView:
    mcn: Mcn
    grant: TierGrant
    history: list[McnTierChange]  # newest first
    split: list[SplitLine]
    share_total_fen: int  # the agency's share account, all creators
    card: grades.GradeCard  # 星火计划: the latest graded month, its indicators and explanation, appeals


def tier_view(session: Session, principal: Principal, mcn_id: int | None = None) -> TierView:
    mcn = agency_of(session, principal, mcn_id)
    history = list(
        session.scalars(
            select(McnTierChange)
            .where(McnTierChange.mcn_id == mcn.id)
            .order_by(McnTierChange.effective_at.desc(), McnTierChange.id.desc())
            .limit(LISTED)
        )
    )
    return TierView(
        mcn,
        TIER_GRANTS[mcn.tier],
        history,
        revenue_split(session, mcn.id),
        share_total(session, mcn.id),
        grades.card(session, mcn),
    )


def appeal_grade(session: Session, principal: Principal, grade_id: int, reason: str, requested: str) -> object:
    """The agency appeals a month's grade from its tier card (growth decides who may and keeps it once)."""
    agency_of(session, principal)
    wanted = McnTier(requested) if requested else None
    return grades.file_appeal(session, principal, grade_id, reason, wanted)


def share_total(session: Session, mcn_id: int) -> int:
    return ledger.balance(session, AccountRef(OwnerKind.MCN, mcn_id, Purpose.SHARE))


def revenue_split(session: Session, mcn_id: int) -> list[SplitLine]:
    """Each creator on the roster with the share of its contract in force and what that share has earned."""
    creators = list(
        session.scalars(
            select(Creator).where(Creator.mcn_id == mcn_id).order_by(Creator.followers.desc(), Creator.id).limit(LISTED)
        )
    )
    contracts = contracts_in_force(session, mcn_id)
    # The share account's postings name their collaboration; the collaboration names the creator.
    by_collaboration: dict[int, int] = defaultdict(int)
    for line in ledger.statement(session, OwnerKind.MCN, mcn_id, limit=1_000_000):
        if line.purpose is Purpose.SHARE and line.collaboration_id is not None:
            by_collaboration[line.collaboration_id] += line.amount_fen
    owners = dict(
        session.execute(
            select(Collaboration.id, Collaboration.creator_id).where(Collaboration.id.in_(list(by_collaboration)))
        ).all()
    )
    per_creator: dict[int, int] = defaultdict(int)
    for collaboration_id, amount in by_collaboration.items():
        per_creator[owners.get(collaboration_id, 0)] += amount
    return [SplitLine(c, contracts.get(c.id), per_creator.get(c.id, 0)) for c in creators]


# --- the creator's side ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CreatorView:
    creator: Creator
    agency: str | None  # the agency the creator is signed with now
    contract: AgencySigning | None
    lines: list[SigningLine]  # requests addressed to the creator, pending first


def creator_view(session: Session, principal: Principal) -> CreatorView:
    if principal.role is not Role.CREATOR or principal.creator_id is None:
        raise Forbidden(f"answering signing requests is for creator; you are signed in as {principal.role.value}")
    creator = access.get_visible(session, Creator, principal.creator_id, principal)
    agency = session.scalar(select(Mcn.name).where(Mcn.id == creator.mcn_id)) if creator.mcn_id else None
    contract = contracts_in_force(session, creator.mcn_id).get(creator.id) if creator.mcn_id else None
    return CreatorView(creator, agency, contract, signing_lines(session, principal))
