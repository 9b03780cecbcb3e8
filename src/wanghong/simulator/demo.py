"""Demo accounts: one per role, bound to the busiest rows of a simulated ecosystem (`wanghong users demo`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from wanghong.accounts.models import User
from wanghong.accounts.users import create_user
from wanghong.commerce.models import Brand, Campaign, Creator, FanPersona, Mcn
from wanghong.domain import Role
from wanghong.kit.db.base import Base
from wanghong.kit.errors import InvalidInput

Org = TypeVar("Org", bound=Base)

DEMO_PASSWORD = "wanghong-demo"


@dataclass(frozen=True)
class DemoAccount:
    role: Role
    username: str
    password: str
    scope: str


def _busiest(session: Session, organisation: type[Org], member: InstrumentedAttribute[Any]) -> Org | None:
    """The organisation most rows point at through `member` (its foreign key), the lowest id on a tie."""
    key = organisation.__mapper__.primary_key[0]
    return session.scalar(
        select(organisation)
        .join(member.class_, member == key)
        .group_by(key)
        .order_by(func.count(member).desc(), key)
        .limit(1)
    )


def ensure_demo_accounts(session: Session) -> list[DemoAccount]:
    """Create the demo accounts that do not exist yet; safe to run again."""
    # The busiest brand and MCN, so each demo account opens onto a populated workspace.
    brand = _busiest(session, Brand, Campaign.brand_id)
    mcn = _busiest(session, Mcn, Creator.mcn_id)
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
