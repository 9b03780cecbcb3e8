"""Who is asking: the one input every authorization decision needs, and the role checks made on it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from wanghong.domain import Role
from wanghong.kit.errors import Forbidden


class _Account(Protocol):
    """What a principal is made of: an account row (accounts.models.User, which imports this module)."""

    id: int
    username: str
    role: Role
    brand_id: int | None
    mcn_id: int | None
    creator_id: int | None


@dataclass(frozen=True)
class Principal:
    user_id: int
    username: str
    role: Role
    brand_id: int | None = None
    mcn_id: int | None = None
    creator_id: int | None = None

    @classmethod
    def of(cls, user: _Account) -> Principal:
        return cls(user.id, user.username, user.role, user.brand_id, user.mcn_id, user.creator_id)

    @property
    def sees_everything(self) -> bool:
        """The platform administrator reads every row; every other role through its scope."""
        return self.role is Role.ADMIN


# Whoever runs the CLI already holds the database credentials, so commands act as the platform itself.
CLI_OPERATOR = Principal(user_id=0, username="cli-operator", role=Role.ADMIN)


def require_role(principal: Principal, *roles: Role, action: str) -> None:
    if principal.role is not Role.ADMIN and principal.role not in roles:
        allowed = ", ".join(r.value for r in (Role.ADMIN, *roles))
        raise Forbidden(f"{action} is for {allowed}; you are signed in as {principal.role.value}")
