"""A recorded audience on top of a test world: viewers with attributes, creators of distinct categories, and the
behaviour (views, follows, a livestream, orders) audience insight learns from.

Three groups, each leaning on its own creator: 宝妈 (women of 25–40 watching the mother-and-baby creator, 60% of
them following it, many buying baby products), Z世代玩家 (young men on the games creator) and 新农人 (older viewers
in lower-tier cities on the agriculture creator). Everyone also strays onto the other creators now and then, so
the lookalike has to learn from behaviour, not from a single column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

import numpy as np
from sqlalchemy import insert

from tests.fixtures.world import World
from wanghong.commerce.models import Creator, Order, Product, Video, Viewer, ViewerEvent
from wanghong.domain import ViewerAction, follower_tier
from wanghong.kit.db.base import utcnow
from wanghong.kit.db.session import Database

GROUPS = {
    # name: (count, gender, age bands, city tiers, creator key)
    "moms": (150, "female", ("25-30", "31-40"), ("t2", "t3"), "momCreator"),
    "gamers": (150, "male", ("18-24",), ("t3", "t4plus"), "gameCreator"),
    "farmers": (100, "male", ("41-50", "gt50"), ("t4plus",), "farmCreator"),
}
CREATORS = {"momCreator": "mother_baby", "gameCreator": "games", "farmCreator": "agriculture"}


@dataclass
class Crowd:
    world: World
    ids: dict[str, int] = field(default_factory=dict)
    groups: dict[str, list[int]] = field(default_factory=dict)  # viewer ids per group
    followers: list[int] = field(default_factory=list)  # viewers following the mom creator

    def __getitem__(self, key: str) -> int:
        return self.ids[key]


def build_crowd(db: Database, world: World, seed: int = 7) -> Crowd:
    rng = np.random.default_rng(seed)
    crowd = Crowd(world)
    now = utcnow()
    with db.transaction() as s:
        for key, category in CREATORS.items():
            creator = Creator(
                handle=f"{key}_{world.tag}",
                display_name=f"{key} {world.tag}",
                followers=50_000,
                follower_tier=follower_tier(50_000),
                mcn_id=world["mcnA"],
                categories=[category],
            )
            s.add(creator)
            s.flush()
            crowd.ids[key] = creator.id
        crowd.ids["creatorA1"] = world["creatorA1"]
        videos: dict[str, list[int]] = {}
        for key in (*CREATORS, "creatorA1"):
            rows = [Video(creator_id=crowd[key], title=f"{key} {n}", published_at=now) for n in range(4)]
            s.add_all(rows)
            s.flush()
            videos[key] = [row.id for row in rows]
        baby = Product(brand_id=world["brandA"], name=f"奶粉 {world.tag}", category="mother_baby", price=Decimal(199))
        s.add(baby)
        s.flush()
        crowd.ids["babyProduct"] = baby.id

        events: list[dict[str, object]] = []
        orders: list[dict[str, object]] = []
        creators = [*CREATORS, "creatorA1"]
        for group, (count, gender, ages, tiers, home) in GROUPS.items():
            viewers = [
                Viewer(
                    external_id=f"{group}-{n}-{world.tag}",
                    gender=gender,
                    age_band=str(rng.choice(ages)),
                    city_tier=str(rng.choice(tiers)),
                )
                for n in range(count)
            ]
            s.add_all(viewers)
            s.flush()
            crowd.groups[group] = [v.id for v in viewers]
            for viewer in viewers:
                visits = [home] * int(rng.integers(6, 10)) + list(rng.choice(creators, size=int(rng.integers(1, 3))))
                for key in visits:
                    events.append(
                        {
                            "viewer_id": viewer.id,
                            "creator_id": crowd[key],
                            "video_id": int(rng.choice(videos[key])),
                            "livestream_id": None,
                            "action": ViewerAction.VIEW,
                            "value": 1.0,
                            "occurred_at": now - timedelta(days=int(rng.integers(0, 20))),
                        }
                    )
                if group == "moms" and rng.random() < 0.6:
                    crowd.followers.append(viewer.id)
                    events.append(
                        {
                            "viewer_id": viewer.id,
                            "creator_id": crowd["momCreator"],
                            "video_id": None,
                            "livestream_id": None,
                            "action": ViewerAction.FOLLOW,
                            "value": 0.0,
                            "occurred_at": now - timedelta(days=1),
                        }
                    )
                if group == "moms" and rng.random() < 0.5:
                    orders.append(
                        {
                            "product_id": baby.id,
                            "creator_id": crowd["momCreator"],
                            "viewer_id": viewer.id,
                            "amount": Decimal(199),
                            "ordered_at": now - timedelta(days=int(rng.integers(0, 10))),
                        }
                    )
                if group == "moms" and rng.random() < 0.3:
                    events.append(
                        {
                            "viewer_id": viewer.id,
                            "creator_id": world["creatorA1"],
                            "video_id": None,
                            "livestream_id": world["liveA"],
                            "action": ViewerAction.VIEW,
                            "value": 1.0,
                            "occurred_at": now - timedelta(days=2),
                        }
                    )
        s.execute(insert(ViewerEvent), events)
        s.execute(insert(Order), orders)
    return crowd
