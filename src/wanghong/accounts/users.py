"""Accounts: creating a user bound to its tenant (a brand, an MCN or a creator for those roles)."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from wanghong.accounts.audit import USER_CREATE, USER_TOKENS_REVOKE
from wanghong.accounts.auth import hash_password, revoke_user_tokens
from wanghong.accounts.models import User
from wanghong.accounts.passwords import check_password
from wanghong.accounts.principal import Principal, require_role
from wanghong.accounts.schemas import UserIn
from wanghong.domain import Role
from wanghong.kit import access
from wanghong.kit.audit import record
from wanghong.kit.db.base import Base
from wanghong.kit.db.session import insert_once
from wanghong.kit.errors import Conflict, InvalidInput

Org = TypeVar("Org", bound=Base)


_TENANT_NOUNS = {Role.BRAND_MANAGER: "brand", Role.MCN_MANAGER: "mcn", Role.CREATOR: "creator"}


def _username_taken(session: Session, username: str) -> bool:
    return session.scalar(select(User.id).where(User.username == username)) is not None


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
    tenant_ids = {Role.BRAND_MANAGER: brand_id, Role.MCN_MANAGER: mcn_id, Role.CREATOR: creator_id}
    missing_tenant = InvalidInput(f"role {role.value} needs an existing {_TENANT_NOUNS.get(role, '')} id")
    if role in tenant_ids and tenant_ids[role] is None:
        raise missing_tenant
    check_password(password, username)
    if _username_taken(session, username):
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
    # The tenant's existence is the foreign key's to check (accounts know no tenant tables): a missing brand, MCN
    # or creator fails the insert, inside a savepoint so that the caller's transaction stays usable.
    if not insert_once(session, user):
        if _username_taken(session, username):  # a concurrent sign-up took the name after our check
            raise Conflict(f"username '{username}' is taken")
        raise missing_tenant
    record(session, actor, USER_CREATE, user, {"username": username, "role": role.value})
    return user


def create_account(session: Session, principal: Principal, data: UserIn) -> User:
    """An account created through the API: only the platform administrator opens accounts."""
    require_role(principal, action="creating accounts")
    return create_user(session, **data.model_dump(), actor=principal)


def revoke_tokens(session: Session, principal: Principal, user_id: int) -> int:
    """Sign an account out everywhere: an administrator for anyone (a leaked token), anyone for itself.

    Another account is looked up through its row scope, so to a non-administrator it answers 404 like any other
    tenant's object, rather than confirming that the id exists.
    """
    user = access.get_visible(session, User, user_id, principal)
    revoked = revoke_user_tokens(session, user_id)
    record(session, principal, USER_TOKENS_REVOKE, user, {"revoked": revoked})
    return revoked
