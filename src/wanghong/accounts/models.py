"""Accounts and their opaque API tokens (only the token's SHA-256 is stored)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

# Imported for the tables its foreign keys point at: without them in the metadata a flush cannot order inserts.
from wanghong.commerce import models as _tenants  # noqa: F401  (brands, mcns, creators)
from wanghong.domain import (
    Role,
)
from wanghong.kit import access
from wanghong.kit.db.base import Base, TimestampMixin, enum_column

if TYPE_CHECKING:
    from wanghong.accounts.principal import Principal


class User(TimestampMixin, Base):
    """An account. Tenancy hangs off the one organisation column that matches the role."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(
            "(role <> 'brand_manager' OR brand_id IS NOT NULL)"
            " AND (role <> 'mcn_manager' OR mcn_id IS NOT NULL)"
            " AND (role <> 'creator' OR creator_id IS NOT NULL)",
            name="tenant_matches_role",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(120), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(enum_column(Role))
    brand_id: Mapped[int | None] = mapped_column(ForeignKey("brands.id", ondelete="CASCADE"))
    mcn_id: Mapped[int | None] = mapped_column(ForeignKey("mcns.id", ondelete="CASCADE"))
    creator_id: Mapped[int | None] = mapped_column(ForeignKey("creators.id", ondelete="CASCADE"))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)


class ApiToken(TimestampMixin, Base):
    """A bearer token; only its SHA-256 is stored, so a database leak does not leak sessions."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime]

    user: Mapped[User] = relationship()


class LoginFailure(Base):
    """One refused sign-in, counted against the account name tried and the client address it came from.

    Kept in the database rather than in process memory so that every worker of `serve --workers N` sees the
    same count; rows older than the throttle window are pruned as new failures arrive.
    """

    __tablename__ = "login_failures"
    __table_args__ = (
        CheckConstraint("scope IN ('account', 'address')", name="scope_value"),
        Index("ix_login_failures_scope_subject_failed_at", "scope", "subject", "failed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(16))
    # The username as typed (also for unknown names, so the answer does not reveal which exist) or the address.
    subject: Mapped[str] = mapped_column(String(128))
    failed_at: Mapped[datetime]


# Row scopes: an account reads only itself and its own tokens; administrators manage the rest.
_SCOPES: dict[type[Base], access.Rule[Principal]] = {
    User: lambda p: User.id == p.user_id,
    ApiToken: lambda p: ApiToken.user_id == p.user_id,
    LoginFailure: access.nobody,  # read only by the throttle itself, never through a tenant's query
}
access.register_scopes(_SCOPES)
