"""MCN 后台's table: signing requests, which become the agency's contracts with its creators once confirmed.

One row per request. A `sign` request carries the agency's revenue share (分成比例) and term; when the creator
confirms it, it *is* the contract: in force from `starts_at` until `ends_at` (the term's end) or until a confirmed
`release` request ends it early (`released_at`). `Creator.mcn_id` mirrors the contract in force and changes only
in the transaction that confirms a request.

Settlement splits a creator's earnings with the share of the contract in force when the money is earned; the
lookup is registered with settlement here, so settlement needs no door into this capability.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from fractions import Fraction
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Float, ForeignKey, Index, Integer, String, or_, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from wanghong.kit import access
from wanghong.kit.db.base import Base, enum_column, utcnow
from wanghong.settlement.collaborations import share_rates_from

if TYPE_CHECKING:
    from wanghong.accounts.principal import Principal


class SigningKind(StrEnum):
    SIGN = "sign"  # 签约: the agency offers a contract
    RELEASE = "release"  # 解约: the agency asks to end the contract in force


class SigningStatus(StrEnum):
    PENDING = "pending"  # waiting for the creator
    CONFIRMED = "confirmed"
    DECLINED = "declined"  # by the creator
    WITHDRAWN = "withdrawn"  # by the agency, before the creator answered


class AgencySigning(Base):
    __tablename__ = "agency_signings"
    __table_args__ = (
        CheckConstraint("share_rate >= 0 AND share_rate <= 1", name="share_rate_unit"),
        CheckConstraint("term_months >= 1 AND term_months <= 120", name="term_months_range"),
        Index("ix_agency_signings_creator_status", "creator_id", "status"),
        Index("ix_agency_signings_mcn_status", "mcn_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[SigningKind] = mapped_column(enum_column(SigningKind))
    status: Mapped[SigningStatus] = mapped_column(enum_column(SigningStatus), default=SigningStatus.PENDING)
    mcn_id: Mapped[int] = mapped_column(ForeignKey("mcns.id", ondelete="CASCADE"))
    creator_id: Mapped[int] = mapped_column(ForeignKey("creators.id", ondelete="CASCADE"))
    # The agency's share of the creator's earnings after the platform's service fee; the term in months.
    share_rate: Mapped[float] = mapped_column(Float, default=0.0)
    term_months: Mapped[int] = mapped_column(Integer, default=12)
    # A release names the contract it ends.
    contract_id: Mapped[int | None] = mapped_column(ForeignKey("agency_signings.id", ondelete="SET NULL"))
    message: Mapped[str] = mapped_column(String(500), default="")  # the agency's words to the creator
    decision_note: Mapped[str] = mapped_column(String(500), default="")  # the creator's answer
    requested_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    # A confirmed sign request: the contract's term, and when a release ended it.
    starts_at: Mapped[datetime | None]
    ends_at: Mapped[datetime | None]
    released_at: Mapped[datetime | None]


def in_force(at: datetime) -> access.Condition:
    """Confirmed contracts whose term covers `at` and that no release had ended by then."""
    return (
        (AgencySigning.kind == SigningKind.SIGN)
        & (AgencySigning.status == SigningStatus.CONFIRMED)
        & (AgencySigning.starts_at <= at)
        & or_(AgencySigning.ends_at.is_(None), AgencySigning.ends_at > at)
        & or_(AgencySigning.released_at.is_(None), AgencySigning.released_at > at)
    )


def contract_share_rate(session: Session, creator_id: int, mcn_id: int, at: datetime) -> Fraction | None:
    """The share of the contract between the creator and the agency in force at `at`; None when there is none
    (a creator signed before contracts were recorded: settlement then uses the platform's default rate)."""
    rate = session.scalar(
        select(AgencySigning.share_rate)
        .where(AgencySigning.creator_id == creator_id, AgencySigning.mcn_id == mcn_id, in_force(at))
        .order_by(AgencySigning.starts_at.desc())
        .limit(1)
    )
    # Stored as a float of at most four decimals (a percentage with two): read back as that exact fraction.
    return None if rate is None else Fraction(round(rate * 10_000), 10_000)


share_rates_from(contract_share_rate)

# Row scope: the agency reads its own requests and contracts, the creator the ones addressed to it.


def _agency(p: Principal) -> access.Condition:
    return AgencySigning.mcn_id == p.mcn_id


def _creator(p: Principal) -> access.Condition:
    return AgencySigning.creator_id == p.creator_id


_SCOPES: dict[type[Base], access.Rule[Principal]] = {
    AgencySigning: access.by_role(mcn_manager=_agency, creator=_creator)
}
access.register_scopes(_SCOPES)
