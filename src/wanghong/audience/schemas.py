"""Request and response shapes of 人群洞察: a crowd pack's definition (a small tree of tags combined by union,
intersection and exclusion), its releases, exports, lookalike expansion and targeted creators."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, model_validator

from wanghong.audience.engine import RULE_SEGMENTS
from wanghong.audience.models import PACK_NAME_LENGTH, ReleaseKind
from wanghong.domain import Category
from wanghong.kit.schemas import Input, Output, RowId

SEGMENT_KEYS = tuple(rule.key for rule in RULE_SEGMENTS)
SegmentKey = Literal[
    "young_mothers",
    "new_farmers",
    "students",
    "small_town_youth",
    "gen_z",
    "gen_z_gamers",
    "urban_white_collar",
    "silver",
    "health_seekers",
]
MAX_PARTS = 20
MAX_DEPTH = 4
MAX_TAGS = 30
# ε of one release: below 0.01 the noise drowns any pack a brand would target; above 1 one release says too much.
MIN_EPSILON, MAX_EPSILON = 0.01, 1.0
Epsilon = Annotated[float, Field(ge=MIN_EPSILON, le=MAX_EPSILON, description="ε this release spends")]
Days = Annotated[int, Field(ge=1, le=365, description="within the last N days (北京时间 now)")]


class SegmentTag(Input):
    kind: Literal["segment"]
    segment: SegmentKey


class ViewedCategory(Input):
    """Viewers with any recorded behaviour on a creator of this category in the last N days."""

    kind: Literal["viewed_category"]
    category: Category
    days: Days = 30


class BoughtCategory(Input):
    kind: Literal["bought_category"]
    category: Category
    days: Days = 30


class FollowedCreator(Input):
    kind: Literal["followed_creator"]
    creator_id: RowId


class WatchedLivestream(Input):
    """Viewers recorded on one of the brand's own livestreams."""

    kind: Literal["watched_livestream"]
    livestream_id: RowId


class Combination(Input):
    kind: Literal["union", "intersection"]
    parts: Annotated[list[Node], Field(min_length=1, max_length=MAX_PARTS)]


class Exclusion(Input):
    """The members of `base` who are not in `without`."""

    kind: Literal["exclusion"]
    base: Node
    without: Node


Node = Annotated[
    SegmentTag | ViewedCategory | BoughtCategory | FollowedCreator | WatchedLivestream | Combination | Exclusion,
    Field(discriminator="kind"),
]
Tag = SegmentTag | ViewedCategory | BoughtCategory | FollowedCreator | WatchedLivestream
Combination.model_rebuild()
Exclusion.model_rebuild()


def tags_of(node: Node) -> list[Tag]:
    if isinstance(node, Combination):
        return [tag for part in node.parts for tag in tags_of(part)]
    if isinstance(node, Exclusion):
        return tags_of(node.base) + tags_of(node.without)
    return [node]


def depth_of(node: Node) -> int:
    if isinstance(node, Combination):
        return 1 + max(depth_of(part) for part in node.parts)
    if isinstance(node, Exclusion):
        return 1 + max(depth_of(node.base), depth_of(node.without))
    return 0


def check_bounds(definition: Node) -> None:
    if depth_of(definition) > MAX_DEPTH:
        raise ValueError(
            f"人群包最多嵌套 {MAX_DEPTH} 层 / a pack nests at most {MAX_DEPTH} levels of union, intersection "
            "and exclusion"
        )
    if len(tags_of(definition)) > MAX_TAGS:
        raise ValueError(f"人群包最多组合 {MAX_TAGS} 个条件 / a pack combines at most {MAX_TAGS} tags")


def _name(name: str) -> str:
    if not name.strip():
        raise ValueError("名称不能为空 / the name must not be blank")
    return name.strip()


class PackIn(Input):
    name: Annotated[str, Field(min_length=1, max_length=PACK_NAME_LENGTH)]
    definition: Node

    @model_validator(mode="after")
    def bounded(self) -> PackIn:
        self.name = _name(self.name)
        check_bounds(self.definition)
        return self


class PackUpdate(Input):
    name: Annotated[str, Field(min_length=1, max_length=PACK_NAME_LENGTH)] | None = None
    definition: Node | None = None

    @model_validator(mode="after")
    def bounded(self) -> PackUpdate:
        if self.name is not None:
            self.name = _name(self.name)
        if self.definition is not None:
            check_bounds(self.definition)
        return self


class ReleaseIn(Input):
    epsilon: Epsilon = 0.1


class PackOut(Output):
    id: int
    brand_id: int
    name: str
    definition: Node
    created_at: datetime
    updated_at: datetime


class BudgetOut(Output):
    month: str = Field(description="the Beijing-time calendar month, YYYY-MM")
    limit: float = Field(description="ε a brand may spend in a month")
    spent: float
    remaining: float


class SizeReleaseOut(Output):
    release_id: int
    pack_id: int
    size: int = Field(description="the pack's size with discrete-Laplace noise (OpenDP), never the exact count")
    accuracy: float = Field(description="the true size lies within ± this with 95% probability")
    epsilon: float
    budget: BudgetOut


class SegmentSizeOut(Output):
    key: str
    name_zh: str
    name_en: str
    size: int


class SegmentReleaseOut(Output):
    release_id: int
    segments: list[SegmentSizeOut]
    accuracy: float
    epsilon: float
    budget: BudgetOut


class ExportOut(Output):
    release_id: int
    hashed_ids: list[str] = Field(description="HMAC-SHA256 of each member's id under `key`")
    key: str = Field(description="the HMAC key of this export (hex): hash your own ids with it to match")
    k: int
    suppressed: int = Field(description="members left out because their quasi-identifier class held fewer than k")
    quasi_identifiers: list[str]


class ExpansionStepOut(Output):
    size: int = Field(description="viewers in the expansion, best-scored first")
    precision: float = Field(description="estimated share of them that are like the seeds (5-point steps)")
    recall: float = Field(description="share of held-out seeds the expansion of this size finds (5-point steps)")


class LookalikeOut(Output):
    pack_id: int
    auc: float = Field(description="ROC-AUC of held-out seeds against non-members")
    steps: list[ExpansionStepOut]


class TargetCreatorOut(Output):
    creator_id: int
    display_name: str
    handle: str
    followers: int
    sample_size: int = Field(
        description="viewers recorded on the creator, each counted toward at most five creators (their most watched)"
    )
    reached: int = Field(description="pack members among them, with discrete-Laplace noise (the size release's)")
    share: float = Field(description="reached / sample_size, at most 1")
    tgi: float = Field(description="100 × share / (the pack's noised size / all viewers)")
    reliable: bool = Field(description="sample of at least 30 viewers and a reached count above its noise")


class ReleaseOut(Output):
    id: int
    pack_id: int | None
    kind: ReleaseKind
    epsilon: float
    month: str
    accuracy: float
    released_at: datetime
