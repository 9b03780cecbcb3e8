"""Accounts: argon2 password hashes and opaque bearer tokens stored only as SHA-256 digests."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any, cast

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import CursorResult, delete, select
from sqlalchemy.orm import Session

from wanghong.accounts.models import ApiToken, User
from wanghong.accounts.passwords import MIN_PASSWORD_LENGTH
from wanghong.accounts.principal import Principal
from wanghong.kit.db.base import utcnow
from wanghong.kit.errors import InvalidInput, Unauthorized

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    """The hash of a new password; the full policy (not the username, not common) is `passwords.check_password`."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"password must have at least {MIN_PASSWORD_LENGTH} characters")
    return _hasher.hash(password)


def authenticate(session: Session, username: str, password: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    # Verify against a dummy hash for unknown users so response time does not reveal which usernames exist.
    stored = user.password_hash if user is not None else _DUMMY_HASH
    try:
        _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        raise Unauthorized("wrong username or password (用户名或密码错误)") from None
    if user is None or not user.is_active:
        raise Unauthorized("wrong username or password (用户名或密码错误)")
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return user


_DUMMY_HASH = _hasher.hash("not-a-real-password")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(session: Session, user: User, ttl: timedelta) -> str:
    # Each sign-in sweeps the account's own expired tokens: bounded work (one account's rows, by its index) that
    # keeps the table from growing with every session ever opened; `users purge-tokens` sweeps everyone.
    session.execute(delete(ApiToken).where(ApiToken.user_id == user.id, ApiToken.expires_at <= utcnow()))
    token = secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, token_hash=_digest(token), expires_at=utcnow() + ttl))
    return token


# Every request asks this once: one indexed query for the token and its account's columns (not a token row, then
# its user by a lazy load).
_PRINCIPAL_OF_TOKEN = select(
    User.id, User.username, User.role, User.brand_id, User.mcn_id, User.creator_id, ApiToken.expires_at
).join(User, User.id == ApiToken.user_id)


def principal_for_token(session: Session, token: str) -> Principal:
    row = session.execute(
        _PRINCIPAL_OF_TOKEN.where(ApiToken.token_hash == _digest(token), User.is_active.is_(True))
    ).one_or_none()
    if row is None or row.expires_at <= utcnow():
        raise Unauthorized("the token is unknown or expired; log in again at /api/v1/auth/token")
    return Principal(row.id, row.username, row.role, row.brand_id, row.mcn_id, row.creator_id)


def revoke_token(session: Session, token: str) -> None:
    session.execute(delete(ApiToken).where(ApiToken.token_hash == _digest(token)))


def revoke_user_tokens(session: Session, user_id: int) -> int:
    """Sign an account out everywhere (every API client and browser); how many tokens were revoked."""
    result = session.execute(delete(ApiToken).where(ApiToken.user_id == user_id))
    return cast("CursorResult[Any]", result).rowcount


def purge_expired_tokens(session: Session) -> int:
    """Delete every expired token (they already authenticate nobody); how many were deleted."""
    result = session.execute(delete(ApiToken).where(ApiToken.expires_at <= utcnow()))
    return cast("CursorResult[Any]", result).rowcount
