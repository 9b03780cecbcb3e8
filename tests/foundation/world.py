"""A small two-tenant world (A and B of every kind) that the platform tests reason about."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal

from fastapi.testclient import TestClient

from wanghong.accounts.users import create_user
from wanghong.commerce.models import (
    Brand,
    Campaign,
    Collaboration,
    Creator,
    FanPersona,
    LivestreamSession,
    Mcn,
    Order,
    Product,
    Video,
    Viewer,
)
from wanghong.compliance.models import ComplianceAppeal, CompliancePenalty, ReviewTask, Violation
from wanghong.domain import CampaignStatus, CollaborationMode, PenaltyKind, Role, Severity, Verdict, follower_tier
from wanghong.kit.audit import AuditEntry
from wanghong.kit.db.session import Database
from wanghong.originality.models import OriginalityClaim

PASSWORD = "correct-horse-42"
T0 = datetime(2026, 11, 1, 12, tzinfo=UTC)


@dataclass
class World:
    tag: str  # suffix of every name in this world, so several worlds share one database
    ids: dict[str, int] = field(default_factory=dict)
    users: dict[str, Role] = field(default_factory=dict)

    def __getitem__(self, key: str) -> int:
        return self.ids[key]


def build_world(db: Database, tag: str) -> World:
    """Create the world with names suffixed by `tag`, so several worlds can share one database."""
    world = World(tag)
    with db.transaction() as s:

        def add(key: str, row: object) -> None:
            s.add(row)
            s.flush()
            world.ids[key] = row.id  # type: ignore[attr-defined]

        for side in "AB":
            add(f"mcn{side}", Mcn(name=f"MCN {side} {tag}"))
            add(f"brand{side}", Brand(name=f"Brand {side} {tag}", industry="beauty"))
        for key, side, followers in (
            ("creatorA1", "A", 250_000),
            ("creatorA2", "A", 8_000),
            ("creatorB1", "B", 2_500_000),
        ):
            add(
                key,
                Creator(
                    handle=f"{key}_{tag}",
                    display_name=key,
                    followers=followers,
                    follower_tier=follower_tier(followers),
                    mcn_id=world[f"mcn{side}"],
                    categories=["beauty"],
                ),
            )
            s.add(FanPersona(creator_id=world[key], segments={"young_mothers": 0.6, "students": 0.4}))
        for side in "AB":
            creator = world[f"creator{side}1"]
            add(
                f"product{side}",
                Product(brand_id=world[f"brand{side}"], name=f"面霜 {side}", category="beauty", price=Decimal("99.00")),
            )
            add(
                f"campaign{side}",
                Campaign(
                    brand_id=world[f"brand{side}"],
                    name=f"双十一 {side}",
                    status=CampaignStatus.ACTIVE,
                    budget=Decimal("50000"),
                ),
            )
            add(
                f"collab{side}",
                Collaboration(
                    campaign_id=world[f"campaign{side}"],
                    creator_id=creator,
                    product_id=world[f"product{side}"],
                    mode=CollaborationMode.CREATOR_DISTRIBUTION,
                    commission_rate=0.2,
                ),
            )
            add(f"video{side}", Video(creator_id=creator, title=f"开箱 {side}", published_at=T0))
            add(
                f"live{side}",
                LivestreamSession(
                    creator_id=creator,
                    collaboration_id=world[f"collab{side}"],
                    started_at=T0,
                    gmv=Decimal("1000.00"),
                    orders=10,
                ),
            )
            add(
                f"order{side}",
                Order(
                    product_id=world[f"product{side}"],
                    creator_id=creator,
                    livestream_id=world[f"live{side}"],
                    amount=Decimal("99.00"),
                    ordered_at=T0,
                ),
            )
            add(
                f"violation{side}",
                Violation(
                    creator_id=creator,
                    subject_type="video",
                    subject_id=world[f"video{side}"],
                    category="absolute_claim",
                    severity=Severity.MEDIUM,
                ),
            )
            add(
                f"penalty{side}",
                CompliancePenalty(
                    creator_id=creator, violation_id=world[f"violation{side}"], kind=PenaltyKind.WARNING, reason="x"
                ),
            )
            add(f"appeal{side}", ComplianceAppeal(creator_id=creator, penalty_id=world[f"penalty{side}"], reason="x"))
            add(
                f"claim{side}",
                OriginalityClaim(
                    claimant_creator_id=creator,
                    accused_creator_id=creator,
                    original_video_id=world[f"video{side}"],
                    copy_video_id=world[f"video{side}"],
                ),
            )
            add(
                f"review{side}",
                ReviewTask(
                    subject_type="video",
                    subject_id=world[f"video{side}"],
                    creator_id=creator,
                    text="全网最低价",
                    ai_verdict=Verdict.REVIEW,
                    ai_score=0.7,
                ),
            )
        add("viewer", Viewer(external_id=f"viewer-{tag}"))
        add("audit", AuditEntry(action="probe", entity="world", entity_id=tag))
        tenants = {
            "admin": (Role.ADMIN, {}),
            "reviewer": (Role.REVIEWER, {}),
            "brandA": (Role.BRAND_MANAGER, {"brand_id": world["brandA"]}),
            "brandB": (Role.BRAND_MANAGER, {"brand_id": world["brandB"]}),
            "mcnA": (Role.MCN_MANAGER, {"mcn_id": world["mcnA"]}),
            "mcnB": (Role.MCN_MANAGER, {"mcn_id": world["mcnB"]}),
            "creatorA1": (Role.CREATOR, {"creator_id": world["creatorA1"]}),
            "creatorB1": (Role.CREATOR, {"creator_id": world["creatorB1"]}),
        }
        for name, (role, tenant) in tenants.items():
            create_user(s, username=f"{name}_{tag}", password=PASSWORD, role=role, **tenant)
            world.users[name] = role
    return world


def login(client: TestClient, world: World, user: str) -> dict[str, str]:
    response = client.post(
        "/api/v1/auth/token",
        data={"username": f"{user}_{world.tag}", "password": PASSWORD},
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}
