"""Accounts: creating a user bound to its tenant, and one demo account per role over a simulated ecosystem."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wanghong.accounts.auth import hash_password
from wanghong.accounts.models import User
from wanghong.accounts.principal import Principal
from wanghong.commerce.models import Brand, Campaign, Creator, FanPersona, Mcn
from wanghong.domain import Role
from wanghong.kit.audit import record
from wanghong.kit.errors import Conflict, InvalidInput


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


DEMO_PASSWORD = "wanghong-demo"


@dataclass(frozen=True)
class DemoAccount:
    role: Role
    username: str
    password: str
    scope: str


def ensure_demo_accounts(session: Session) -> list[DemoAccount]:
    """Create the demo accounts that do not exist yet; safe to run again."""
    brand = session.scalar(
        select(Brand)
        .join(Campaign, Campaign.brand_id == Brand.id)
        .group_by(Brand.id)
        .order_by(func.count(Campaign.id).desc(), Brand.id)
        .limit(1)
    )
    mcn = session.scalar(
        select(Mcn)
        .join(Creator, Creator.mcn_id == Mcn.id)
        .group_by(Mcn.id)
        .order_by(func.count(Creator.id).desc(), Mcn.id)
        .limit(1)
    )
    creator = session.scalar(
        select(Creator)
        .join(FanPersona)
        .where(Creator.mcn_id == (mcn.id if mcn else None))
        .order_by(Creator.followers.desc())
        .limit(1)
    )
    if brand is None or mcn is None or creator is None:
        raise InvalidInput("no simulated ecosystem found; run `wanghong simulate` first")
    wanted: list[tuple[Role, str, dict[str, int], str]] = [
        (Role.ADMIN, "admin", {}, "整个平台 / the whole platform"),
        (Role.REVIEWER, "reviewer", {}, "审核队列 / the review queue"),
        (Role.BRAND_MANAGER, "brand", {"brand_id": brand.id}, f"品牌 / brand {brand.name}"),
        (Role.MCN_MANAGER, "mcn", {"mcn_id": mcn.id}, f"MCN {mcn.name}"),
        (Role.CREATOR, "creator", {"creator_id": creator.id}, f"达人 / creator @{creator.handle}"),
    ]
    accounts = []
    for role, username, tenant, scope in wanted:
        if session.scalar(select(User.id).where(User.username == username)) is None:
            create_user(
                session,
                username=username,
                password=DEMO_PASSWORD,
                role=role,
                brand_id=tenant.get("brand_id"),
                mcn_id=tenant.get("mcn_id"),
                creator_id=tenant.get("creator_id"),
            )
        accounts.append(DemoAccount(role, username, DEMO_PASSWORD, scope))
    return accounts
