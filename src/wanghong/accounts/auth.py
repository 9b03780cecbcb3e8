"""Accounts: argon2 password hashes and opaque bearer tokens stored only as SHA-256 digests."""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from datetime import timedelta
from typing import Any, cast

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import CursorResult, delete, select
from sqlalchemy.orm import Session

from wanghong.accounts.models import ApiToken, User
from wanghong.accounts.passwords import MIN_PASSWORD_LENGTH
from wanghong.accounts.principal import Principal
from wanghong.kit.cache import data_versions
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
    return _principal_of_digest(session, _digest(token))[0]


def _principal_of_digest(session: Session, digest: str) -> tuple[Principal, float]:
    """The principal behind a token digest and how many seconds the token has left."""
    row = session.execute(
        _PRINCIPAL_OF_TOKEN.where(ApiToken.token_hash == digest, User.is_active.is_(True))
    ).one_or_none()
    now = utcnow()
    if row is None or row.expires_at <= now:
        raise Unauthorized("the token is unknown or expired; log in again at /api/v1/auth/token")
    principal = Principal(row.id, row.username, row.role, row.brand_id, row.mcn_id, row.creator_id)
    return principal, (row.expires_at - now).total_seconds()


# What a cached principal depends on: its token row and its account row. Their tables' counters (kit.cache) move
# when a transaction that wrote them commits, in every worker's view at once.
_SIGN_IN_TABLES = (ApiToken.__tablename__, User.__tablename__)
_MAX_CACHED_TOKENS = 10_000


class PrincipalCache:
    """Principals of the tokens this process has looked up, each kept while the token and account tables keep
    the counters they had when it was read (and the token has not expired).

    Revoking a token or deactivating an account writes one of those tables, so the very next request of any
    worker reads a new counter and looks the token up again: no window in which a revoked token still works. A
    sign-in writes a token too and so makes every worker look its readers up once more, which is rare next to
    the requests each look-up saves."""

    def __init__(self) -> None:
        self._entries: dict[tuple[int, str], tuple[tuple[int | None, ...], float, Principal]] = {}
        self._lock = threading.Lock()

    def principal(self, session: Session, token: str) -> Principal:
        """The principal behind `token` as of `session`'s transaction: from memory when neither table changed,
        else from the database (one indexed query) and remembered."""
        digest = _digest(token)
        versions = data_versions(session)
        if versions is None:  # a database without counters: nothing tells this process of a revocation
            return _principal_of_digest(session, digest)[0]
        stamp = tuple(versions.get(name) for name in _SIGN_IN_TABLES)
        key = (id(session.get_bind().engine), digest)
        entry = self._entries.get(key)
        if entry is not None and entry[0] == stamp and entry[1] > time.monotonic():
            return entry[2]
        # Read after the counters (`data_versions` came first): a revocation that commits in between leaves
        # this entry under the older counters, which the next request no longer matches.
        principal, seconds_left = _principal_of_digest(session, digest)
        with self._lock:
            if len(self._entries) >= _MAX_CACHED_TOKENS:
                self._entries.clear()
            self._entries[key] = (stamp, time.monotonic() + seconds_left, principal)
        return principal


PRINCIPALS = PrincipalCache()


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
