"""Each creator's audience composition, from the behaviour the platform recorded: the share of its viewers in every
rule segment, the TGI (目标群体指数: 100 = as common as on the whole platform) and the sample size it rests on.

This is the one module other pages (达人详情, 选品中心) call for audiences: `creator_audience` for one creator on a
principal's behalf, `compositions` for many at once inside the platform's own jobs. A composition resting on fewer
than `MIN_RELIABLE_SAMPLE` viewers is returned but marked unreliable, and a page should say so.

For targeting in 选品中心, `brand_packs` lists a brand's crowd packs and `pack_targeting` gives each creator's TGI on
one of them, read from the pack's newest noised release (it spends no ε).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy.orm import Session

from wanghong.accounts.principal import Principal
from wanghong.audience import engine, service
from wanghong.audience.engine import MIN_RELIABLE_SAMPLE, RULE_SEGMENTS
from wanghong.audience.population import Population, current_population
from wanghong.commerce.models import Creator
from wanghong.kit import access


@dataclass(frozen=True)
class SegmentShare:
    key: str
    name_zh: str
    name_en: str
    share: float  # of the creator's recorded audience
    tgi: float
    platform_share: float  # of all viewers: what a TGI of 100 means


@dataclass(frozen=True)
class CreatorAudience:
    creator_id: int
    sample_size: int  # distinct viewers with recorded behaviour on the creator
    reliable: bool  # sample_size >= MIN_RELIABLE_SAMPLE
    segments: tuple[SegmentShare, ...]  # highest TGI first


def compositions(
    session: Session, creator_ids: Sequence[int] | None = None, population: Population | None = None
) -> dict[int, CreatorAudience]:
    """The audience composition of the given creators (every creator with recorded behaviour when None)."""
    population = population or current_population(session)
    composition = population.composition
    wanted = population.creator_ids if creator_ids is None else np.asarray(list(creator_ids), dtype=np.int64)
    found: dict[int, CreatorAudience] = {}
    for creator_id in wanted.tolist():
        position = population.creator_position(creator_id)
        if position < 0:
            found[creator_id] = CreatorAudience(creator_id, 0, False, ())
            continue
        sample = int(composition.sample_size[position])
        if creator_ids is None and sample == 0:
            continue
        shares = [
            SegmentShare(
                rule.key,
                rule.name_zh,
                rule.name_en,
                float(composition.share[position, column]),
                float(composition.tgi[position, column]),
                float(composition.platform_share[column]),
            )
            for column, rule in enumerate(RULE_SEGMENTS)
        ]
        shares.sort(key=lambda s: -s.tgi)
        found[creator_id] = CreatorAudience(creator_id, sample, sample >= MIN_RELIABLE_SAMPLE, tuple(shares))
    return found


def creator_audience(session: Session, principal: Principal, creator_id: int) -> CreatorAudience:
    """One creator's audience composition, for whoever may look the creator up (brands: any creator; an MCN its
    roster; a creator itself); anyone else gets a 404."""
    access.get_referenceable(session, Creator, creator_id, principal)
    return compositions(session, [creator_id])[creator_id]


def brand_packs(session: Session, principal: Principal) -> list[tuple[int, str]]:
    """The principal's brand's crowd packs (id, name), newest first; none for anyone else."""
    if principal.brand_id is None:
        return []
    return [(pack.id, pack.name) for pack in service.list_packs(session, principal, limit=service.LISTED).items]


Targeting = service.Targeting
Reach = service.Reach
# The factor a ranking score is multiplied by for a creator's TGI on the pack (bounded; 1 where unreliable).
target_weight = engine.target_weight


def pack_targeting(session: Session, principal: Principal, pack_id: int) -> service.Targeting:
    """Each creator's TGI on the brand's pack (404 for another brand's pack, 422 before its first size release)."""
    return service.targeting(session, principal, pack_id)
