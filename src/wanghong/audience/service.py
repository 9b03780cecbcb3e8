"""人群洞察's use cases: a brand's crowd packs, what it may learn of them, lookalike expansion and targeting.

* A pack is a definition, saved per brand; its members are recomputed from the platform's rows when needed.
* Its size leaves only as a differentially private count (OpenDP's discrete Laplace through the audience
  engine), together with its reach over creators: how many members count toward each creator's audience, each
  member toward at most `engine.PER_VIEWER` creators, noised with the other half of the release's ε. The ε of
  every release is charged to the brand's budget for the Beijing-time month *before* noise is
  drawn, with one conditional UPDATE (`spent + cost <= limit`): two releases at once cannot overspend, the loser
  gets a 409, and a refused release draws no noise at all.
* An export is HMAC-hashed ids of members whose quasi-identifier class (gender, age band, city tier, generalised
  as far as needed) holds at least k = 50 of them; with fewer than k left it is refused.
* Lookalike (优选扩量) scores every non-member from behaviour with the audience engine's PU ensemble, trained on
  80% of the pack; the held-out 20% measure the expansion curve. Its sizes are fixed shares of the platform's
  viewers in round numbers, never counts of the pack, and its rates come in 5-point steps.
* Targeting ranks creators by the pack's TGI from the latest size release's noised reach: looking at it again
  spends nothing and learns nothing new.
* The monthly ε limit is `Settings.audience_monthly_epsilon` (WANGHONG_AUDIENCE_MONTHLY_EPSILON), read at every
  release, so a changed setting holds from the next release on.

Packs live in `packs`, the budget and the releases in `releases`; this module has export, lookalike and
targeting, and is the one callers import.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

import numpy as np
import numpy.typing as npt
from sqlalchemy import select
from sqlalchemy.orm import Session

from wanghong.accounts.principal import Principal, require_role
from wanghong.audience import engine
from wanghong.audience.models import PrivacyRelease, ReleaseKind
from wanghong.audience.packs import (
    brand_of,
    create_pack,
    definition_of,
    delete_pack,
    get_pack,
    list_packs,
    members,
    update_pack,
)
from wanghong.audience.population import QUASI_IDENTIFIERS, Population, current_population
from wanghong.audience.releases import (
    Budget,
    SegmentRelease,
    SizeRelease,
    budget,
    charge,
    latest_segment_release,
    latest_sizes,
    monthly_epsilon,
    record_release,
    release_segments,
    release_size,
    releases,
    segment_sensitivity,
)
from wanghong.commerce.models import Creator, LivestreamSession
from wanghong.domain import Role
from wanghong.kit import access
from wanghong.kit.db.base import utcnow
from wanghong.kit.errors import InvalidInput

K = engine.K_DEFAULT
LISTED = 200
# The held-out share of a pack's members that measures the lookalike curve.
HOLD_OUT = 0.2
# Expansion sizes as shares of all viewers: what a brand picks on the slider.
EXPANSION_SHARES = (0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5)

_YOUNG = {"lt18": "<25", "18-24": "<25", "25-30": "25-40", "31-40": "25-40", "41-50": "41+", "gt50": "41+"}
_TIERS = {"t1": "top", "nt1": "top", "t2": "middle", "t3": "middle", "t4plus": "lower"}
HIERARCHIES = (
    engine.Hierarchy("gender", (engine.exact,)),
    engine.Hierarchy("age_band", (engine.exact, engine.grouped(_YOUNG))),
    engine.Hierarchy("city_tier", (engine.exact, engine.grouped(_TIERS))),
)


# Callers reach packs and releases through this module, as before they had modules of their own.
__all__ = [
    "EXPANSION_SHARES",
    "HIERARCHIES",
    "HOLD_OUT",
    "LISTED",
    "QUASI_IDENTIFIERS",
    "Budget",
    "Expansion",
    "ExpansionStep",
    "Export",
    "K",
    "PrivacyRelease",
    "Reach",
    "SegmentRelease",
    "SizeRelease",
    "TargetCreator",
    "Targeting",
    "brand_of",
    "budget",
    "charge",
    "create_pack",
    "creators_with_audience",
    "definition_of",
    "delete_pack",
    "engine",
    "export",
    "get_pack",
    "latest_segment_release",
    "latest_sizes",
    "list_packs",
    "lookalike",
    "members",
    "monthly_epsilon",
    "referenceable_livestreams",
    "release_segments",
    "release_size",
    "releases",
    "segment_sensitivity",
    "target_creators",
    "targeting",
    "update_pack",
    "utcnow",
]


# ---- export ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Export:
    release: PrivacyRelease
    hashed_ids: list[str]
    key: bytes
    suppressed: int


def export(session: Session, principal: Principal, pack_id: int, now: datetime | None = None) -> Export:
    """Hashed ids of the pack's k-anonymous members under a fresh key, or a 422 when fewer than k would leave."""
    pack = get_pack(session, principal, pack_id)
    require_role(principal, Role.BRAND_MANAGER, action="exporting a pack")
    now = now or utcnow()
    population = current_population(session)
    chosen = members(population, definition_of(pack), now)
    frame = population.attributes.loc[chosen, list(QUASI_IDENTIFIERS)].copy()
    frame = frame.replace("", "unknown")
    frame["external_id"] = population.external_ids[chosen]
    # A key per export: the brand hashes its own customers with it to match; two exports cannot be joined.
    key = secrets.token_bytes(32)
    try:
        result = engine.export_pack(frame, "external_id", HIERARCHIES, key, k=K)
    except engine.KAnonymityViolation:
        raise InvalidInput(
            f"人群包可导出成员不足 {K} 人（k 匿名），不能导出 / fewer than {K} members would leave k-anonymous over "
            f"{', '.join(QUASI_IDENTIFIERS)}: no export"
        ) from None
    released = {"exported": len(result.hashed_ids), "suppressed": result.suppressed, "k": K}
    row = record_release(session, principal, pack.brand_id, pack, ReleaseKind.EXPORT, 0.0, released, 0.0, now)
    return Export(row, result.hashed_ids, key, result.suppressed)


# ---- lookalike ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExpansionStep:
    size: int
    precision: float
    recall: float


@dataclass(frozen=True)
class Expansion:
    pack_id: int
    auc: float  # rounded like the curve
    steps: list[ExpansionStep]
    scores: npt.NDArray[np.float32]  # every viewer's score (members included), by population position


def _auc(positive: npt.NDArray[np.float32], negative: npt.NDArray[np.float32]) -> float:
    """Mann–Whitney: the chance a held-out seed outscores a non-member (ties count half)."""
    if not positive.size or not negative.size:
        return 0.5
    ordered = np.sort(negative)
    below = np.searchsorted(ordered, positive, side="left")
    equal = np.searchsorted(ordered, positive, side="right") - below
    return float((below + 0.5 * equal).sum() / (positive.size * negative.size))


def _coarse(share: float) -> float:
    """A share in 5-point steps: exact ratios of held-out seeds (1/16, 2/16, …) would spell out the pack's size,
    which leaves the platform only as a noised count."""
    return round(share * 20) / 20


def _round_size(value: float) -> int:
    """Two significant figures: an expansion size is a share of all viewers, said as a person would say it."""
    if value < 1:
        return 1
    digits = max(0, len(str(int(value))) - 2)
    return max(1, round(value / 10**digits) * 10**digits)


def lookalike(
    session: Session,
    principal: Principal,
    pack_id: int,
    now: datetime | None = None,
    population: Population | None = None,
) -> Expansion:
    """Score every viewer against the pack; the curve of sizes with estimated precision comes from held-out seeds.

    Precision follows Elkan & Noto (KDD 2008): the classifier learns P(labelled | x) of training seeds against the
    rest (its balanced bags are corrected back to the true seed prior); c = its mean over held-out seeds is
    P(labelled | like the seeds), so P(like the seeds | x) = P(labelled | x) / c. The expansion of size s is the s
    best-scored non-members; its precision the mean of that probability over them, its recall the share of
    held-out seeds scoring at least as high as the s-th.

    The sizes are `EXPANSION_SHARES` of all viewers in round numbers, whatever the pack holds (a pack so large
    that fewer non-members are left simply expands to all of them): a size capped by the non-members left would
    spell out the pack's exact size, which leaves only as a noised count.
    """
    pack = get_pack(session, principal, pack_id)
    require_role(principal, Role.BRAND_MANAGER, action="expanding a pack")
    now = now or utcnow()
    population = population or current_population(session)
    chosen = members(population, definition_of(pack), now)
    seeds = np.flatnonzero(chosen)
    if seeds.size < K:
        raise InvalidInput(f"优选扩量至少需要 {K} 个种子 / lookalike needs at least {K} seeds in the pack")
    if seeds.size == population.n_viewers:
        raise InvalidInput("人群包已包含所有观众，无人可扩 / the pack holds every viewer: nobody to expand to")
    rng = np.random.default_rng(pack.id)
    held = np.sort(rng.choice(seeds, size=max(1, round(HOLD_OUT * seeds.size)), replace=False))
    train = np.setdiff1d(seeds, held, assume_unique=True)
    weighted = engine.bm25_weight(population.behaviour_counts())
    try:
        model = engine.fit_lookalike(weighted, train)
    except engine.LookalikeError as error:
        raise InvalidInput(str(error)) from None
    scores = model.score(weighted)
    outside = np.flatnonzero(~chosen)
    # Balanced bags put the seeds at even odds; the true odds of being a training seed are |train| / |rest|.
    prior = train.size / (population.n_viewers - train.size)
    odds = scores / np.maximum(1.0 - scores, 1e-6) * prior
    labelled = odds / (1.0 + odds)
    c = float(labelled[held].mean())
    likeness = np.minimum(1.0, labelled / c) if c > 0 else np.zeros_like(labelled)
    ranked = outside[np.argsort(-scores[outside], kind="stable")]
    steps: list[ExpansionStep] = []
    for share in EXPANSION_SHARES:
        size = _round_size(share * population.n_viewers)
        if steps and size == steps[-1].size:
            continue
        chosen_rows = ranked[:size]
        threshold = scores[chosen_rows[-1]]
        steps.append(
            ExpansionStep(
                size=size,
                precision=_coarse(float(likeness[chosen_rows].mean())),
                recall=_coarse(float((scores[held] >= threshold).mean())),
            )
        )
    return Expansion(pack.id, round(_auc(scores[held], scores[outside]), 2), steps, scores)


# ---- targeting ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reach:
    """One creator in a pack's latest size release: its audience and the members reaching it (noised)."""

    creator_id: int
    audience: int  # viewers counted toward the creator (at most `per_viewer` creators each), exact
    reached: int  # pack members among them, with discrete-Laplace noise
    share: float  # reached / audience, at most 1
    tgi: float  # 100 × share / (the pack's noised size / all viewers)
    tgi_low: float  # the same from the reached count less its noise's 95% accuracy: what ranks and weighs
    reliable: bool  # audience ≥ MIN_RELIABLE_SAMPLE and the reached count above its noise over the whole release


@dataclass(frozen=True)
class Targeting:
    pack_id: int
    release: PrivacyRelease
    creators: tuple[Reach, ...]  # reliable first, then highest TGI lower bound

    @cached_property
    def _by_creator(self) -> dict[int, Reach]:
        return {line.creator_id: line for line in self.creators}

    def of(self, creator_id: int) -> Reach | None:
        """The creator's line, or None for a creator the release kept no count for (it reaches too few)."""
        return self._by_creator.get(creator_id)


def targeting(session: Session, principal: Principal, pack_id: int) -> Targeting:
    """The pack's TGI per creator, read from its newest size release (post-processing: nothing is spent, nothing
    exact is looked at); a pack never released, or released before reach was, is a 422 that says what to do."""
    pack = get_pack(session, principal, pack_id)
    require_role(principal, Role.BRAND_MANAGER, action="targeting creators")
    release = latest_sizes(session, [pack.id]).get(pack.id)
    if release is None or "creators" not in release.released:
        raise InvalidInput(
            "先发布一次人群包规模（含达人触达），再按人群定向 / release the pack's size once (it carries the reach "
            "over creators) before targeting with it"
        )
    body = release.released
    ids = [int(key) for key in body["creators"]]
    reached = np.asarray([pair[0] for pair in body["creators"].values()], dtype=np.int64)
    audience = np.asarray([pair[1] for pair in body["creators"].values()], dtype=np.int64)
    threshold = float(body.get("reach_threshold", body["reach_accuracy"]))
    index = engine.reach_index(
        reached,
        audience,
        int(body["size"]),
        int(body["viewers"]),
        float(body["reach_accuracy"]),
        engine.MIN_RELIABLE_SAMPLE,
        threshold,
    )
    lines = [
        Reach(
            creator_id=creator_id,
            audience=int(audience[p]),
            reached=int(reached[p]),
            share=float(index.share[p]),
            tgi=float(index.tgi[p]),
            tgi_low=float(index.tgi_low[p]),
            reliable=bool(index.reliable[p]),
        )
        for p, creator_id in enumerate(ids)
    ]
    lines.sort(key=lambda line: (not line.reliable, -line.tgi_low, line.creator_id))
    return Targeting(pack.id, release, tuple(lines))


@dataclass(frozen=True)
class TargetCreator:
    creator: Creator
    reach: Reach


def target_creators(session: Session, principal: Principal, pack_id: int, limit: int = 50) -> list[TargetCreator]:
    """Creators whose audience over-indexes on the pack, those resting on a reliable count first, highest TGI
    first."""
    lines = targeting(session, principal, pack_id).creators[:limit]
    ids = [line.creator_id for line in lines]
    creators = {c.id: c for c in session.scalars(select(Creator).where(Creator.id.in_(ids)))}
    return [TargetCreator(creators[line.creator_id], line) for line in lines if line.creator_id in creators]


def referenceable_livestreams(session: Session, principal: Principal) -> list[LivestreamSession]:
    """The brand's own livestreams, newest first, that a pack may name."""
    return list(
        session.scalars(
            access.visible_rows(LivestreamSession, principal).order_by(LivestreamSession.id.desc()).limit(LISTED)
        )
    )


def creators_with_audience(session: Session, limit: int = LISTED) -> list[Creator]:
    """Creators a pack may name as followed: the most followed first."""
    return list(session.scalars(select(Creator).order_by(Creator.followers.desc(), Creator.id).limit(limit)))
