"""Creators not yet signed with any agency, each with its own account, for the signing tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from tests.fixtures.world import PASSWORD, World, login
from wanghong.accounts.users import create_user
from wanghong.commerce.models import Creator
from wanghong.domain import Role, follower_tier
from wanghong.kit.db.session import Database


@pytest.fixture
def free_creator(db: Database, world: World) -> Callable[[str, int], int]:
    """`free_creator("solo", 150_000)` adds an unsigned creator and its account `solo_{tag}`; returns its id."""

    def make(name: str, followers: int = 50_000) -> int:
        with db.transaction() as s:
            creator = Creator(
                handle=f"{name}_{world.tag}",
                display_name=f"{name} {world.tag}",
                followers=followers,
                follower_tier=follower_tier(followers),
                categories=["beauty"],
            )
            s.add(creator)
            s.flush()
            create_user(s, username=f"{name}_{world.tag}", password=PASSWORD, role=Role.CREATOR, creator_id=creator.id)
            world.ids[name] = creator.id
            world.users[name] = Role.CREATOR
            return creator.id

    return make


@pytest.fixture
def headers_of(app_client: TestClient, world: World) -> Callable[[str], dict[str, str]]:
    """The Authorization header of any world user, those added by `free_creator` included."""
    cache: dict[str, dict[str, str]] = {}

    def headers(user: str) -> dict[str, str]:
        if user not in cache:
            cache[user] = login(app_client, world, user)
        return cache[user]

    return headers
