"""Typed shapes of accounts going in and out of the HTTP API."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, StringConstraints

from wanghong.domain import Role
from wanghong.kit.schemas import Input, Output


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int


class TokensRevokedOut(BaseModel):
    revoked: int


class UserIn(Input):
    username: Annotated[str, StringConstraints(pattern=r"^[\w.\-]{3,64}$")]
    password: Annotated[str, StringConstraints(min_length=8, max_length=256)]
    role: Role
    display_name: Annotated[str, StringConstraints(max_length=120)] = ""
    brand_id: int | None = None
    mcn_id: int | None = None
    creator_id: int | None = None


class UserOut(Output):
    id: int
    username: str
    display_name: str
    role: Role
    brand_id: int | None
    mcn_id: int | None
    creator_id: int | None
    is_active: bool
