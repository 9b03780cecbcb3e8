"""人群洞察's use cases: a brand's crowd packs, what it may learn of them, lookalike expansion and targeting.

* A pack is a definition, saved per brand; its members are recomputed from the platform's rows when needed.
* Its size leaves only as a differentially private count (OpenDP's discrete Laplace through the audience
  engine). The ε of every release is charged to the brand's budget for the Beijing-time month *before* noise is
  drawn, with one conditional UPDATE (`spent + cost <= limit`): two releases at once cannot overspend, the loser
  gets a 409, and a refused release draws no noise at all.
* An export is HMAC-hashed ids of members whose quasi-identifier class (gender, age band, city tier, generalised
  as far as needed) holds at least k = 50 of them; with fewer than k left it is refused.
* Lookalike (优选扩量) scores every non-member from behaviour with the audience engine's PU ensemble, trained on
  80% of the pack; the held-out 20% measure the expansion curve.
* Targeting ranks creators by the pack's TGI among their recorded audience.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from itertools import product
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from wanghong.accounts.principal import Principal, require_role
from wanghong.audience import engine
from wanghong.audience.engine.segments import AGE_BANDS, CITY_TIERS, GENDERS
from wanghong.audience.models import CrowdPack, PrivacyBudget, PrivacyRelease, ReleaseKind
from wanghong.audience.population import QUASI_IDENTIFIERS, Population, load_population
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
from wanghong.kit.errors import Conflict, InvalidInput
from wanghong.kit.paging import Page, paginate

# ε a brand may spend per Beijing-time month. Wanted as a setting (WANGHONG_AUDIENCE_MONTHLY_EPSILON).
MONTHLY_EPSILON = 5.0
_MICRO = 1_000_000
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


# ---- packs ----------------------------------------------------------------------------------------------------


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


# ---- the privacy budget ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Budget:
    month: str
    limit: float
    spent: float

    @property
    def remaining(self) -> float:
        return max(0.0, self.limit - self.spent)


def budget(session: Session, brand_id: int, at: datetime | None = None) -> Budget:
    month = engine.budget_month(at or utcnow())
    # Columns, not the ORM row: the identity map could hand back a row read before this transaction's UPDATE.
    row = session.execute(
        select(PrivacyBudget.limit_micro, PrivacyBudget.spent_micro).where(
            PrivacyBudget.brand_id == brand_id, PrivacyBudget.month == month
        )
    ).first()
    if row is None:
        return Budget(month, MONTHLY_EPSILON, 0.0)
    return Budget(month, row[0] / _MICRO, row[1] / _MICRO)


def charge(session: Session, brand_id: int, epsilon: float, at: datetime | None = None) -> Budget:
    """Spend `epsilon` of the brand's budget for the month of `at`, or refuse (409) if it would pass the limit.

    The row is created once (INSERT … ON CONFLICT DO NOTHING: two first releases of a month both find it), then
    raised by a conditional UPDATE; on PostgreSQL the second of two concurrent UPDATEs waits for the first's row
    lock and re-checks the condition against the committed sum, on SQLite writers are serialised outright.
    """
    if not epsilon > 0:
        raise InvalidInput(f"ε 必须为正 / ε must be positive, got {epsilon}")
    month = engine.budget_month(at or utcnow())
    cost = round(epsilon * _MICRO)
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    session.execute(
        dialect.insert(PrivacyBudget)
        .values(brand_id=brand_id, month=month, limit_micro=round(MONTHLY_EPSILON * _MICRO), spent_micro=0)
        .on_conflict_do_nothing(index_elements=["brand_id", "month"])
    )
    raised = session.execute(
        update(PrivacyBudget)
        .where(
            PrivacyBudget.brand_id == brand_id,
            PrivacyBudget.month == month,
            PrivacyBudget.spent_micro + cost <= PrivacyBudget.limit_micro,
        )
        .values(spent_micro=PrivacyBudget.spent_micro + cost)
        .execution_options(synchronize_session=False)
    )
    left = budget(session, brand_id, at)
    if raised.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(
            f"本月隐私预算不足：剩余 ε={left.remaining:g}，本次需要 {epsilon:g} / the privacy budget of {month} has "
            f"ε={left.remaining:g} left of {left.limit:g}; this release needs {epsilon:g}"
        )
    return left


def _release(
    session: Session,
    principal: Principal,
    brand_id: int,
    pack: CrowdPack | None,
    kind: ReleaseKind,
    epsilon: float,
    released: dict[str, Any],
    accuracy: float,
    at: datetime,
) -> PrivacyRelease:
    row = PrivacyRelease(
        brand_id=brand_id,
        pack_id=pack.id if pack else None,
        kind=kind,
        epsilon=epsilon,
        month=engine.budget_month(at),
        released=released,
        accuracy=accuracy,
        released_by=principal.user_id,
        released_at=at,
    )
    session.add(row)
    session.flush()
    audit.record(session, principal, f"audience_release.{kind.value}", row, {"epsilon": epsilon, **released})
    return row


@dataclass(frozen=True)
class SizeRelease:
    release: PrivacyRelease
    size: int
    budget: Budget


def release_size(
    session: Session, principal: Principal, pack_id: int, epsilon: float, now: datetime | None = None
) -> SizeRelease:
    """The pack's size as the brand may see it: charged first, then noised."""
    pack = get_pack(session, principal, pack_id)
    require_role(principal, Role.BRAND_MANAGER, action="releasing a pack's size")
    now = now or utcnow()
    left = charge(session, pack.brand_id, epsilon, now)
    count = int(members(load_population(session), definition_of(pack), now).sum())
    noised = engine.noisy_counts([count], epsilon)
    accuracy = noised.accuracy()
    row = _release(
        session,
        principal,
        pack.brand_id,
        pack,
        ReleaseKind.PACK_SIZE,
        epsilon,
        {"size": noised.values[0]},
        accuracy,
        now,
    )
    return SizeRelease(row, noised.values[0], left)


def segment_sensitivity(rules: tuple[engine.RuleSegment, ...] = engine.RULE_SEGMENTS) -> int:
    """The most rule segments one person can be in at once, from the rules alone (never from the data, which
    would itself leak): over every combination of declared attributes, the rules whose attribute conditions it
    meets, as if every interest condition could hold together."""
    most = 1
    for gender, age, tier in product((*GENDERS, None), (*AGE_BANDS, None), (*CITY_TIERS, None)):
        fits = sum(
            all(
                not allowed or value in allowed
                for allowed, value in ((r.genders, gender), (r.age_bands, age), (r.city_tiers, tier))
            )
            for r in rules
        )
        most = max(most, fits)
    return most


@dataclass(frozen=True)
class SegmentRelease:
    release: PrivacyRelease
    sizes: list[tuple[engine.RuleSegment, int]]
    budget: Budget


def release_segments(
    session: Session, principal: Principal, epsilon: float, now: datetime | None = None
) -> SegmentRelease:
    """Every rule segment's noised size in one release; a person in several segments moves several counts, so the
    noise scale covers the most segments one person can be in."""
    brand_id = brand_of(principal, "releasing segment sizes")
    now = now or utcnow()
    left = charge(session, brand_id, epsilon, now)
    population = load_population(session)
    counts = [int(value) for value in population.membership.sum(axis=0)]
    noised = engine.noisy_counts(counts, epsilon, contributions=segment_sensitivity())
    released = {rule.key: value for rule, value in zip(engine.RULE_SEGMENTS, noised.values, strict=True)}
    row = _release(
        session, principal, brand_id, None, ReleaseKind.SEGMENT_SIZES, epsilon, released, noised.accuracy(), now
    )
    return SegmentRelease(row, list(zip(engine.RULE_SEGMENTS, noised.values, strict=True)), left)


def latest_segment_release(session: Session, principal: Principal) -> PrivacyRelease | None:
    """What the segment explorer shows without spending ε: the brand's newest segment release this month."""
    brand_id = brand_of(principal, "exploring segments")
    return session.scalar(
        select(PrivacyRelease)
        .where(
            PrivacyRelease.brand_id == brand_id,
            PrivacyRelease.kind == ReleaseKind.SEGMENT_SIZES,
            PrivacyRelease.month == engine.budget_month(utcnow()),
        )
        .order_by(PrivacyRelease.id.desc())
        .limit(1)
    )


def latest_sizes(session: Session, pack_ids: list[int]) -> dict[int, PrivacyRelease]:
    """The newest size release of each pack (what a page shows again without spending ε)."""
    found: dict[int, PrivacyRelease] = {}
    rows = session.scalars(
        select(PrivacyRelease)
        .where(PrivacyRelease.pack_id.in_(pack_ids), PrivacyRelease.kind == ReleaseKind.PACK_SIZE)
        .order_by(PrivacyRelease.id)
    )
    for row in rows:
        found[row.pack_id or 0] = row
    return found


def releases(
    session: Session, principal: Principal, limit: int = 50, cursor: str | None = None
) -> Page[PrivacyRelease]:
    return paginate(session, access.visible_rows(PrivacyRelease, principal), limit, cursor, newest_first=True)


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
    population = load_population(session)
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
    row = _release(session, principal, pack.brand_id, pack, ReleaseKind.EXPORT, 0.0, released, 0.0, now)
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
    """
    pack = get_pack(session, principal, pack_id)
    require_role(principal, Role.BRAND_MANAGER, action="expanding a pack")
    now = now or utcnow()
    population = population or load_population(session)
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
        size = min(ranked.size, max(1, round(share * population.n_viewers)))
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
class TargetCreator:
    creator: Creator
    sample_size: int
    share: float
    tgi: float
    reliable: bool


def target_creators(
    session: Session,
    principal: Principal,
    pack_id: int,
    limit: int = 50,
    now: datetime | None = None,
    population: Population | None = None,
) -> list[TargetCreator]:
    """Creators whose recorded audience over-indexes on the pack, highest TGI first, those resting on a reliable
    sample before the rest."""
    pack = get_pack(session, principal, pack_id)
    require_role(principal, Role.BRAND_MANAGER, action="targeting creators")
    population = population or load_population(session)
    chosen = members(population, definition_of(pack), now or utcnow())
    composition = engine.audience_composition(
        population.event_viewer, population.event_creator, chosen[:, None], len(population.creator_ids)
    )
    reached = np.flatnonzero(composition.sample_size > 0)
    order = sorted(
        reached.tolist(), key=lambda p: (not composition.reliable[p], -composition.tgi[p, 0], population.creator_ids[p])
    )[:limit]
    ids = [int(population.creator_ids[p]) for p in order]
    creators = {c.id: c for c in session.scalars(select(Creator).where(Creator.id.in_(ids)))}
    return [
        TargetCreator(
            creators[int(population.creator_ids[p])],
            int(composition.sample_size[p]),
            float(composition.share[p, 0]),
            float(composition.tgi[p, 0]),
            bool(composition.reliable[p]),
        )
        for p in order
        if int(population.creator_ids[p]) in creators
    ]


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
