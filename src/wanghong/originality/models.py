"""原创保护 tables: originality claims between two videos and their decisions."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Float,
    ForeignKey,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

# Imported for the tables its foreign keys point at: without them in the metadata a flush cannot order inserts.
from wanghong.accounts import models as _accounts  # noqa: F401  (users)
from wanghong.commerce.models import creator_owned
from wanghong.compliance import models as _compliance  # noqa: F401  (violations)
from wanghong.domain import (
    ClaimStatus,
)
from wanghong.kit import access
from wanghong.kit.access import by_role, everyone
from wanghong.kit.db.base import Base, enum_column, utcnow

if TYPE_CHECKING:
    from wanghong.accounts.principal import Principal


class OriginalityClaim(Base):
    """A creator's claim (原创申诉) that another creator's video copies one of theirs.

    ``evidence`` holds what the originality engine found when the claim was filed (text similarity of
    titles and scripts, both publish times, the evidence-log entries that fix the fingerprints); a
    reviewer's decision confirms or rejects it, and a confirmed claim records a ``copied_content``
    violation against the accused creator.
    """

    __tablename__ = "originality_claims"

    id: Mapped[int] = mapped_column(primary_key=True)
    claimant_creator_id: Mapped[int] = mapped_column(ForeignKey("creators.id", ondelete="CASCADE"), index=True)
    accused_creator_id: Mapped[int] = mapped_column(ForeignKey("creators.id", ondelete="CASCADE"), index=True)
    original_video_id: Mapped[int] = mapped_column(ForeignKey("videos.id", ondelete="CASCADE"))
    copy_video_id: Mapped[int] = mapped_column(ForeignKey("videos.id", ondelete="CASCADE"), index=True)
    filed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(Text, default="")
    similarity: Mapped[float] = mapped_column(Float, default=0.0)
    evidence: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[ClaimStatus] = mapped_column(enum_column(ClaimStatus), default=ClaimStatus.PENDING)
    violation_id: Mapped[int | None] = mapped_column(ForeignKey("violations.id", ondelete="SET NULL"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]
    decision_note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


# Row scopes (原创申诉): the claimant's side and the accused side each see the claims that concern them (a creator
# its own, an MCN its roster's); reviewers judge them all.
_claimant = creator_owned(OriginalityClaim.claimant_creator_id)
_accused = creator_owned(OriginalityClaim.accused_creator_id)
_SCOPES: dict[type[Base], access.Rule[Principal]] = {
    OriginalityClaim: by_role(reviewer=everyone, otherwise=lambda p: _claimant(p) | _accused(p)),
}
access.register_scopes(_SCOPES)
