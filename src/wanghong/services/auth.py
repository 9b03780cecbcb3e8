"""Accounts: argon2 password hashes and opaque bearer tokens stored only as SHA-256 digests."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from wanghong.db.base import utcnow
from wanghong.db.models import ApiToken, Brand, Creator, Mcn, User
from wanghong.domain import Role
from wanghong.services.audit import record
from wanghong.services.errors import Conflict, InvalidInput, Unauthorized

_hasher = PasswordHasher()
MIN_PASSWORD_LENGTH = 8


@dataclass(frozen=True)
class Principal:
    """Who is asking: the one input every authorization decision needs."""

    user_id: int
    username: str
    role: Role
    brand_id: int | None = None
    mcn_id: int | None = None
    creator_id: int | None = None

    @classmethod
    def of(cls, user: User) -> Principal:
        return cls(user.id, user.username, user.role, user.brand_id, user.mcn_id, user.creator_id)


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"password must have at least {MIN_PASSWORD_LENGTH} characters")
    return _hasher.hash(password)


def create_user(
    session: Session,
    *,
    username: str,
    password: str,
    role: Role,
    display_name: str = "",
    brand_id: int | None = None,
    mcn_id: int | None = None,
    creator_id: int | None = None,
    actor: Principal | None = None,
) -> User:
    tenant = {
        Role.BRAND_MANAGER: (Brand, brand_id),
        Role.MCN_MANAGER: (Mcn, mcn_id),
        Role.CREATOR: (Creator, creator_id),
    }
    if role in tenant:
        model, tenant_id = tenant[role]
        if tenant_id is None or session.get(model, tenant_id) is None:
            raise InvalidInput(f"role {role.value} needs an existing {model.__tablename__[:-1]} id")
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise Conflict(f"username '{username}' is taken")
    user = User(
        username=username,
        display_name=display_name or username,
        password_hash=hash_password(password),
        role=role,
        brand_id=brand_id if role is Role.BRAND_MANAGER else None,
        mcn_id=mcn_id if role is Role.MCN_MANAGER else None,
        creator_id=creator_id if role is Role.CREATOR else None,
    )
    session.add(user)
    session.flush()
    record(session, actor, "create", user, {"username": username, "role": role.value})
    return user


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
    token = secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, token_hash=_digest(token), expires_at=utcnow() + ttl))
    return token


def principal_for_token(session: Session, token: str) -> Principal:
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(token)))
    if row is None or row.expires_at <= utcnow() or not row.user.is_active:
        raise Unauthorized("the token is unknown or expired; log in again at /api/v1/auth/token")
    return Principal.of(row.user)


def revoke_token(session: Session, token: str) -> None:
    session.execute(delete(ApiToken).where(ApiToken.token_hash == _digest(token)))
