"""人群洞察's crowd packs: a brand's saved definitions, and their members recomputed from the platform's rows."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import numpy.typing as npt
from sqlalchemy.orm import Session

from wanghong.accounts.principal import Principal, require_role
from wanghong.audience import engine
from wanghong.audience.models import CrowdPack
from wanghong.audience.population import Population
from wanghong.audience.schemas import (
    BoughtCategory,
    Combination,
    Exclusion,
    FollowedCreator,
    Node,
    PackIn,
    PackUpdate,
    SegmentTag,
    ViewedCategory,
    WatchedLivestream,
    tags_of,
)
from wanghong.commerce.models import Creator, LivestreamSession
from wanghong.domain import Role
from wanghong.kit import access, audit
from wanghong.kit.db.base import utcnow
from wanghong.kit.errors import InvalidInput
from wanghong.kit.paging import Page, paginate


def brand_of(principal: Principal, action: str) -> int:
    require_role(principal, Role.BRAND_MANAGER, action=action)
    if principal.brand_id is None:
        raise InvalidInput(
            f"人群洞察由品牌账号操作，管理员只读 / {action} is done by a brand's account; administrators read "
            "packs only"
        )
    return principal.brand_id


def _check_references(session: Session, principal: Principal, definition: Node) -> None:
    """A pack may follow any creator a brand can look up, and only the brand's own livestreams."""
    for tag in tags_of(definition):
        if isinstance(tag, FollowedCreator):
            access.get_referenceable(session, Creator, tag.creator_id, principal)
        elif isinstance(tag, WatchedLivestream):
            access.get_visible(session, LivestreamSession, tag.livestream_id, principal)


def create_pack(session: Session, principal: Principal, data: PackIn) -> CrowdPack:
    brand_id = brand_of(principal, "building crowd packs")
    _check_references(session, principal, data.definition)
    pack = CrowdPack(
        brand_id=brand_id,
        name=data.name,
        definition=data.definition.model_dump(mode="json"),
        created_by=principal.user_id,
    )
    session.add(pack)
    session.flush()
    audit.record(session, principal, "audience_pack.create", pack, {"name": pack.name})
    return pack


def list_packs(session: Session, principal: Principal, limit: int = 50, cursor: str | None = None) -> Page[CrowdPack]:
    return paginate(session, access.visible_rows(CrowdPack, principal), limit, cursor, newest_first=True)


def get_pack(session: Session, principal: Principal, pack_id: int) -> CrowdPack:
    return access.get_visible(session, CrowdPack, pack_id, principal)


def update_pack(session: Session, principal: Principal, pack_id: int, data: PackUpdate) -> CrowdPack:
    pack = get_pack(session, principal, pack_id)
    brand_of(principal, "changing crowd packs")
    if data.definition is not None:
        _check_references(session, principal, data.definition)
        pack.definition = data.definition.model_dump(mode="json")
    if data.name is not None:
        pack.name = data.name
    pack.updated_at = utcnow()
    session.flush()
    audit.record(session, principal, "audience_pack.update", pack, data.model_dump(mode="json", exclude_none=True))
    return pack


def delete_pack(session: Session, principal: Principal, pack_id: int) -> None:
    pack = get_pack(session, principal, pack_id)
    brand_of(principal, "deleting crowd packs")
    audit.record(session, principal, "audience_pack.delete", pack, {"name": pack.name})
    session.delete(pack)
    session.flush()


def definition_of(pack: CrowdPack) -> Node:
    return PackIn.model_validate({"name": pack.name, "definition": pack.definition}).definition


def members(population: Population, definition: Node, now: datetime) -> npt.NDArray[np.bool_]:
    """Who meets the definition today: the engine's set algebra over the tags' member masks."""
    sets: dict[str, npt.NDArray[np.bool_]] = {}

    def compile_node(node: Node) -> engine.Pack:
        if isinstance(node, Combination):
            parts = tuple(compile_node(part) for part in node.parts)
            return engine.Union(parts) if node.kind == "union" else engine.Intersection(parts)
        if isinstance(node, Exclusion):
            return engine.Exclusion(compile_node(node.base), compile_node(node.without))
        key = node.model_dump_json()
        if key not in sets:
            sets[key] = _tag_members(population, node, now)
        return engine.Tag(key)

    return engine.evaluate(compile_node(definition), sets)


def _tag_members(population: Population, tag: Node, now: datetime) -> npt.NDArray[np.bool_]:
    match tag:
        case SegmentTag(segment=segment):
            return population.segment(segment)
        case ViewedCategory(category=category, days=days):
            return population.viewed_category(category.value, days, now)
        case BoughtCategory(category=category, days=days):
            return population.bought_category(category.value, days, now)
        case FollowedCreator(creator_id=creator_id):
            return population.followed_creator(creator_id)
        case WatchedLivestream(livestream_id=livestream_id):
            return population.watched_livestream(livestream_id)
    raise TypeError(f"not a tag: {tag!r}")
