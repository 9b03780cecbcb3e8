"""原创保护 tables: originality claims between two videos and their decisions.

Enumerations are stored as strings with CHECK constraints rather than native enum types, so that the same
Alembic migrations run on SQLite and PostgreSQL and adding a value never needs an ALTER TYPE.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Float,
    ForeignKey,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from wanghong.domain import (
    ClaimStatus,
)
from wanghong.kit.db.base import Base, enum_column, utcnow


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
