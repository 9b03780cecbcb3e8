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
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
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
from wanghong.audience.population import QUASI_IDENTIFIERS, Population, current_population, runtime_of
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

_MICRO = 1_000_000
K = engine.K_DEFAULT
LISTED = 200
# The held-out share of a pack's members that measures the lookalike curve.
HOLD_OUT = 0.2
# Expansion sizes as shares of all viewers: what a brand picks on the slider.
EXPANSION_SHARES = (0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5)
# A size release spends this share of its ε on the size and the rest on the reach over creators.
SIZE_SHARE = 0.5
# The creators a reach release keeps: those reaching the most members (the others are too few to target).
REACH_KEPT = 500

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


def monthly_epsilon(session: Session) -> float:
    """The ε a brand may spend per Beijing-time month, from the settings of the process the session works in."""
    return runtime_of(session).settings.audience_monthly_epsilon


def budget(session: Session, brand_id: int, at: datetime | None = None) -> Budget:
    month = engine.budget_month(at or utcnow())
    # Column, not the ORM row: the identity map could hand back a row read before this transaction's UPDATE.
    spent = session.scalar(
        select(PrivacyBudget.spent_micro).where(PrivacyBudget.brand_id == brand_id, PrivacyBudget.month == month)
    )
    return Budget(month, monthly_epsilon(session), (spent or 0) / _MICRO)


def charge(session: Session, brand_id: int, epsilon: float, at: datetime | None = None) -> Budget:
    """Spend `epsilon` of the brand's budget for the month of `at`, or refuse (409) if it would pass the limit.

    The row is created once (INSERT … ON CONFLICT DO NOTHING: two first releases of a month both find it), then
    raised by a conditional UPDATE; on PostgreSQL the second of two concurrent UPDATEs waits for the first's row
    lock and re-checks the condition against the committed sum, on SQLite writers are serialised outright. The
    limit is the setting's at this release (the UPDATE writes it to the row too, whose CHECK keeps spent ≤ limit):
    a raised limit holds at once, a lowered one refuses what would pass it.
    """
    if not epsilon > 0:
        raise InvalidInput(f"ε 必须为正 / ε must be positive, got {epsilon}")
    month = engine.budget_month(at or utcnow())
    cost = round(epsilon * _MICRO)
    limit = round(monthly_epsilon(session) * _MICRO)
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    session.execute(
        dialect.insert(PrivacyBudget)
        .values(brand_id=brand_id, month=month, limit_micro=limit, spent_micro=0)
        .on_conflict_do_nothing(index_elements=["brand_id", "month"])
    )
    raised = session.execute(
        update(PrivacyBudget)
        .where(
            PrivacyBudget.brand_id == brand_id,
            PrivacyBudget.month == month,
            PrivacyBudget.spent_micro + cost <= limit,
        )
        .values(spent_micro=PrivacyBudget.spent_micro + cost, limit_micro=limit)
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
    # The reach vector stays in the release row; the audit entry names how many creators it held.
    summary = {key: len(value) if isinstance(value, dict) else value for key, value in released.items()}
    audit.record(session, principal, f"audience_release.{kind.value}", row, {"epsilon": epsilon, **summary})
    return row


@dataclass(frozen=True)
class SizeRelease:
    release: PrivacyRelease
    size: int
    budget: Budget


def release_size(
    session: Session, principal: Principal, pack_id: int, epsilon: float, now: datetime | None = None
) -> SizeRelease:
    """The pack's size and its reach over creators as the brand may see them: charged first, then noised.

    Two measurements under sequential composition: the size (one count, sensitivity 1) with `SIZE_SHARE` of ε,
    the reach (a count per creator, sensitivity `engine.PER_VIEWER`) with the rest. Every creator's count is
    noised, whether or not it reaches anyone; keeping only the `REACH_KEPT` largest afterwards is post-processing.
    """
    pack = get_pack(session, principal, pack_id)
    require_role(principal, Role.BRAND_MANAGER, action="releasing a pack's size")
    now = now or utcnow()
    left = charge(session, pack.brand_id, epsilon, now)
    population = current_population(session)
    chosen = members(population, definition_of(pack), now)
    size_epsilon = epsilon * SIZE_SHARE
    noised = engine.noisy_counts([int(chosen.sum())], size_epsilon)
    reach = population.reach
    reached = engine.noisy_counts(
        reach.members(chosen).tolist(), epsilon - size_epsilon, contributions=reach.per_viewer
    )
    audience = reach.audience
    values = np.asarray(reached.values, dtype=np.int64)
    kept = [p for p in np.argsort(-values, kind="stable")[:REACH_KEPT].tolist() if values[p] > 0 and audience[p] > 0]
    released = {
        "size": noised.values[0],
        "viewers": population.n_viewers,
        "per_viewer": reach.per_viewer,
        "reach_accuracy": reached.accuracy(),
        "reach_threshold": engine.reach_threshold(reached, len(values)),
        "creators": {str(int(population.creator_ids[p])): [int(values[p]), int(audience[p])] for p in kept},
    }
    row = _release(
        session, principal, pack.brand_id, pack, ReleaseKind.PACK_SIZE, epsilon, released, noised.accuracy(), now
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
    population = current_population(session)
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
