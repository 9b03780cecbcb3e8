"""普惠流量分发 online: the fair allocator serving the platform's creators.

One ``TrafficService`` per worker process owns the ``FairAllocator`` s (one per slate size K, all
sharing one exposure window) and joins the engine with the rest of the platform:

* **Creator index.** The engine works on dense ids ``0..n-1``; the service maps ``creators.id`` to
  the dense id = rank of the id in the sorted ``creators`` table, with the follower tier of each
  creator (``creators.follower_tier``) for the per-tier exposure floors. A request naming a creator
  the index does not know makes the service re-read the table; new creators are taken in and the
  window carried over, and ids that are still unknown are refused naming them (422). Every
  ``index_check_s`` the service also compares (count, max id) with the table to notice deletions.
* **Exposure window.** In process (``NumpyExposureState``) by default; in Redis
  (``RedisExposureState``) when ``Settings.traffic_state == "redis"``, so all workers share one
  window and one measured Gini. The Redis keys carry a fingerprint of the index, so workers only
  share a window when they agree on the dense ids; the first worker to move to a new index copies the
  window across (guarded by SET NX so it is copied once).
* **Operator settings.** Target Gini and per-tier minimum shares live in ``traffic_settings`` (one
  row) so every worker applies the same knobs; each worker re-reads them every ``settings_ttl_s``.
  Changes are admin-only and audited.
* **Tier boosts.** 星火计划's 专属流量包 (``growth.grades.exposure_boosts``): each signed creator's boost from its
  agency's tier, re-read with the settings and honoured by the allocator inside its Gini target.
* **Gini time series.** Every ``snapshot_every`` allocations (and on demand) a worker writes the
  measured exposure Gini to ``traffic_gini_snapshots`` for the operations dashboard.
"""

from __future__ import annotations

import hashlib
import math
import os
import socket
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wanghong.accounts.models import User
from wanghong.accounts.principal import Principal, require_role
from wanghong.commerce.models import Creator
from wanghong.config import Settings
from wanghong.domain import FollowerTier
from wanghong.governance import standing
from wanghong.growth import grades
from wanghong.kit.audit import record
from wanghong.kit.errors import InvalidInput
from wanghong.kit.runtime import Warm
from wanghong.traffic.engine import (
    ExposureState,
    FairAllocator,
    NumpyExposureState,
    Request,
    TierSharesTooLarge,
    TrafficInputError,
    check_tier_share_total,
)
from wanghong.traffic.engine.evaluation import DEFAULT_TARGET_GINI
from wanghong.traffic.engine.gini import gini_of_sorted_nonzero
from wanghong.traffic.engine.types import IntArray
from wanghong.traffic.models import TrafficGiniSnapshot, TrafficSettings

# Engine tier number = position in the domain's ascending tier order (nano = 0 … top = 4).
TIER_ORDER: tuple[FollowerTier, ...] = tuple(FollowerTier)
TIER_INDEX: dict[FollowerTier, int] = {tier: i for i, tier in enumerate(TIER_ORDER)}
STATE_BACKENDS = ("memory", "redis")
REDIS_PREFIX = "wanghong:traffic"
# Exposure older than this many requests counts half: about a day's traffic of a mid-sized feed.
DEFAULT_HALF_LIFE_REQUESTS = 100_000.0
MAX_SLATE_SIZE = 100
MAX_CANDIDATES = 10_000
DEFAULT_SNAPSHOT_EVERY = 1_000
# A superseded Redis window is kept this long so workers still on the old index keep working.
_OLD_WINDOW_TTL_S = 24 * 3600


class UnknownCreators(InvalidInput):
    """Candidates name creators that are not in the ``creators`` table."""


@dataclass(frozen=True)
class FeedSettings:
    """What the operators chose: the Gini ceiling and minimum exposure share per follower tier."""

    target_gini: float
    min_tier_share: dict[FollowerTier, float]
    # No defaults: the API serves this record as it is, and both fields are always in its answer (null if unset).
    updated_at: datetime | None
    updated_by: str | None

    @classmethod
    def initial(cls) -> FeedSettings:
        """What applies before an operator has saved any settings."""
        return cls(DEFAULT_TARGET_GINI, {}, None, None)


@dataclass(frozen=True)
class Candidate:
    item_id: int | str
    creator_id: int
    score: float


@dataclass(frozen=True)
class Placement:
    position: int
    item_id: int | str
    creator_id: int
    score: float


@dataclass(frozen=True)
class Allocation:
    slate: list[Placement]
    measured_gini: float
    target_gini: float


@dataclass(frozen=True)
class GiniPoint:
    at: datetime
    measured_gini: float
    target_gini: float
    requests: int
    n_creators: int
    worker: str

    @classmethod
    def of(cls, row: TrafficGiniSnapshot) -> GiniPoint:
        return cls(row.at, row.measured_gini, row.target_gini, row.requests, row.n_creators, row.worker)


@dataclass(frozen=True)
class CreatorIndex:
    """External creator id <-> dense id, with each creator's follower tier number."""

    creator_ids: IntArray  # sorted; the dense id of a creator is its position here
    tiers: IntArray

    @classmethod
    def load(cls, session: Session) -> CreatorIndex:
        rows = session.execute(select(Creator.id, Creator.follower_tier).order_by(Creator.id)).all()
        ids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
        tiers = np.fromiter((TIER_INDEX[FollowerTier(row[1])] for row in rows), dtype=np.int64, count=len(rows))
        return cls(ids, tiers)

    @property
    def size(self) -> int:
        return int(self.creator_ids.shape[0])

    @property
    def fingerprint(self) -> str:
        """Names the dense numbering; workers share a Redis window only under the same one."""
        return hashlib.blake2b(self.creator_ids.tobytes(), digest_size=8).hexdigest()

    @property
    def signature(self) -> tuple[int, int]:
        return self.size, int(self.creator_ids[-1]) if self.size else 0

    def dense(self, external: IntArray) -> tuple[IntArray, list[int]]:
        """Dense ids of ``external`` creator ids, and the sorted ids the index does not know."""
        if self.size == 0:
            return np.zeros_like(external), sorted(set(external.tolist()))
        pos = np.minimum(np.searchsorted(self.creator_ids, external), self.size - 1)
        known = self.creator_ids[pos] == external
        if known.all():
            return pos, []
        return pos, sorted(set(external[~known].tolist()))


def default_worker_name() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}"


def check_settings(target_gini: float, min_tier_share: Mapping[str, float]) -> dict[FollowerTier, float]:
    """Validate operator settings; errors name the field so the form or API caller can fix it."""
    if not isinstance(target_gini, int | float) or not math.isfinite(target_gini) or not 0 <= target_gini <= 1:
        raise InvalidInput(f"target_gini must be a number in [0, 1] (目标基尼系数须在 0–1 之间), got {target_gini!r}")
    shares: dict[FollowerTier, float] = {}
    for key, share in min_tier_share.items():
        try:
            tier = FollowerTier(key)
        except ValueError:
            known = ", ".join(t.value for t in TIER_ORDER)
            raise InvalidInput(f"min_tier_share.{key}: unknown follower tier; use one of {known}") from None
        if not isinstance(share, int | float) or not math.isfinite(share) or not 0 <= share <= 1:
            raise InvalidInput(
                f"min_tier_share.{tier.value} must be a share in [0, 1] (最低曝光占比须在 0–1 之间), got {share!r}"
            )
        if share > 0:
            shares[tier] = float(share)
    try:
        check_tier_share_total(shares.values())
    except TierSharesTooLarge as exc:
        raise InvalidInput(
            f"min_tier_share adds up to {exc.total:.3f}; "
            "the tier shares must total at most 1 (各层级占比合计不能超过 1)"
        ) from None
    return shares


def load_settings(session: Session) -> FeedSettings:
    row = session.get(TrafficSettings, 1)
    if row is None:
        return FeedSettings.initial()
    editor = session.get(User, row.updated_by) if row.updated_by is not None else None
    known = {tier.value for tier in TIER_ORDER}
    shares = {FollowerTier(k): float(v) for k, v in row.min_tier_share.items() if k in known}
    return FeedSettings(row.target_gini, shares, row.updated_at, editor.username if editor else None)


def gini_history(session: Session, principal: Principal, limit: int = 500) -> list[GiniPoint]:
    """The latest ``limit`` Gini snapshots, oldest first."""
    require_role(principal, action="reading the exposure Gini history")
    rows = session.scalars(select(TrafficGiniSnapshot).order_by(TrafficGiniSnapshot.at.desc()).limit(limit)).all()
    return [GiniPoint.of(row) for row in reversed(rows)]


def governance_multipliers(session: Session, creator_ids: Sequence[int]) -> dict[int, float]:
    """How much of its predicted engagement each creator keeps after governance (``governance.standing``): 0 while
    suspended, less under a traffic limit or for confirmed copies; creators at 1.0 are left out."""
    return standing.exposure_multipliers(session, creator_ids)


class TrafficService:
    """Fair feed allocation for one worker process; thread-safe (one lock around the allocator)."""

    def __init__(
        self,
        settings: Settings,
        *,
        redis_prefix: str = REDIS_PREFIX,
        half_life_requests: float | None = DEFAULT_HALF_LIFE_REQUESTS,
        snapshot_every: int = DEFAULT_SNAPSHOT_EVERY,
        settings_ttl_s: float = 5.0,
        index_check_s: float = 60.0,
        worker: str | None = None,
    ) -> None:
        if settings.traffic_state not in STATE_BACKENDS:
            raise ValueError(
                f"WANGHONG_TRAFFIC_STATE must be one of {', '.join(STATE_BACKENDS)}, got {settings.traffic_state!r}"
            )
        if snapshot_every <= 0:
            raise ValueError(f"snapshot_every must be a positive number of allocations, got {snapshot_every!r}")
        self.backend = settings.traffic_state
        self._redis_url = settings.redis_url
        self._redis_prefix = redis_prefix
        self._redis: Any = None
        self.half_life_requests = half_life_requests
        self.snapshot_every = int(snapshot_every)
        self.settings_ttl_s = float(settings_ttl_s)
        self.index_check_s = float(index_check_s)
        self.worker = (worker or default_worker_name())[:64]

        self._lock = threading.RLock()
        self._index = CreatorIndex(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
        self._state: ExposureState | None = None
        self._allocators: dict[int, FairAllocator] = {}
        self._settings = FeedSettings.initial()
        self._settings_read_at = -math.inf
        self._boosts: dict[int, float] = {}
        self._index_checked_at = -math.inf
        self._since_snapshot = 0

    # ---- index and state ----------------------------------------------------------------------
    @property
    def n_creators(self) -> int:
        return self._index.size

    @property
    def state(self) -> ExposureState | None:
        return self._state

    def _make_state(self, index: CreatorIndex) -> tuple[ExposureState, bool]:
        """A window for ``index`` and whether it is fresh (nobody has written to it yet)."""
        if self.backend == "memory":
            return NumpyExposureState(index.size, self.half_life_requests), True
        from wanghong.traffic.redis_state import RedisExposureState

        if self._redis is None:
            import redis

            self._redis = redis.Redis.from_url(self._redis_url)
        prefix = f"{self._redis_prefix}:{index.fingerprint}"
        state = RedisExposureState(self._redis, prefix, index.size, self.half_life_requests)
        # Exactly one worker copies the old window into a new one; the others find it taken.
        fresh = bool(self._redis.set(f"{prefix}:carried", self.worker, nx=True))
        return state, fresh

    def _rebuild(self, index: CreatorIndex) -> None:
        """Move to a new creator index, carrying the exposure window over by external creator id."""
        old_index, old_state = self._index, self._state
        if index.size == 0:
            self._index, self._state, self._allocators = index, None, {}
            return
        if old_state is not None and index.fingerprint == old_index.fingerprint:
            state, fresh = old_state, False  # same numbering, only the tiers moved
        else:
            state, fresh = self._make_state(index)
        if fresh and old_state is not None and old_state is not state:
            ids, values = old_state.nonzero()
            dense, unknown = index.dense(old_index.creator_ids[ids])
            if unknown:  # deleted creators leave the window with their exposure
                keep = np.isin(old_index.creator_ids[ids], unknown, invert=True)
                dense, values = dense[keep], values[keep]
            if dense.size:
                state.record(dense, values, n_requests=0)
            if self.backend == "redis" and self._redis is not None:
                old_prefix = f"{self._redis_prefix}:{old_index.fingerprint}"
                for suffix in ("exposure", "meta", "carried"):
                    self._redis.expire(f"{old_prefix}:{suffix}", _OLD_WINDOW_TTL_S)
        self._index, self._state, self._allocators = index, state, {}

    def refresh_index(self, session: Session) -> None:
        """Re-read the creators table now (new creators, deletions, tier changes)."""
        with self._lock:
            index = CreatorIndex.load(session)
            if (
                self._state is None
                or index.fingerprint != self._index.fingerprint
                or not np.array_equal(index.tiers, self._index.tiers)
            ):
                self._rebuild(index)
            self._index_checked_at = time.monotonic()

    def _check_index(self, session: Session) -> None:
        if time.monotonic() - self._index_checked_at < self.index_check_s and self._state is not None:
            return
        count, max_id = session.execute(select(func.count(Creator.id), func.max(Creator.id))).one()
        if (int(count), int(max_id or 0)) != self._index.signature or self._state is None:
            self.refresh_index(session)
        self._index_checked_at = time.monotonic()

    def _allocator(self, k: int) -> FairAllocator:
        allocator = self._allocators.get(k)
        if allocator is None:
            assert self._state is not None
            allocator = FairAllocator(
                self._index.size,
                k,
                self._settings.target_gini,
                exposure_model="position",
                half_life_requests=self.half_life_requests,
                state=self._state,
                creator_tiers=self._index.tiers,
            )
            self._apply_shares(allocator)
            allocator.set_creator_boost(self._boost_vector())
            self._allocators[k] = allocator
        return allocator

    def _boost_vector(self) -> np.ndarray | None:
        """The tier boosts by dense id (creators the index does not know yet get theirs after its next re-read)."""
        if not self._boosts or self._index.size == 0:
            return None
        external = np.fromiter(self._boosts, dtype=np.int64, count=len(self._boosts))
        dense, unknown = self._index.dense(external)
        known = ~np.isin(external, unknown) if unknown else np.ones(external.shape[0], dtype=bool)
        vector = np.zeros(self._index.size)
        vector[dense[known]] = np.fromiter(self._boosts.values(), dtype=np.float64, count=len(self._boosts))[known]
        return vector

    def exposure_boosts(self) -> dict[int, float]:
        """The tier boosts this worker applies now, by creator id."""
        with self._lock:
            return dict(self._boosts)

    def _apply_shares(self, allocator: FairAllocator) -> None:
        n_tiers = allocator.tier_shares.shape[0]
        # A tier above the largest one any creator is in has nobody to lift; its floor is moot.
        shares = {TIER_INDEX[t]: s for t, s in self._settings.min_tier_share.items() if TIER_INDEX[t] < n_tiers}
        allocator.set_min_tier_share(shares)

    # ---- settings -----------------------------------------------------------------------------
    def _sync_settings(self, session: Session, force: bool = False) -> None:
        if not force and time.monotonic() - self._settings_read_at < self.settings_ttl_s:
            return
        current = load_settings(session)
        boosts = grades.exposure_boosts(session)
        self._settings_read_at = time.monotonic()
        if current != self._settings:
            self._use_settings(current)
        if boosts != self._boosts:
            self._boosts = boosts
            vector = self._boost_vector()
            for allocator in self._allocators.values():
                allocator.set_creator_boost(vector)

    def _use_settings(self, current: FeedSettings) -> None:
        self._settings = current
        for allocator in self._allocators.values():
            allocator.set_target_gini(current.target_gini)
            self._apply_shares(allocator)

    def get_settings(self, session: Session, principal: Principal) -> FeedSettings:
        require_role(principal, action="reading the fair-traffic settings")
        return load_settings(session)

    def update_settings(
        self, session: Session, principal: Principal, target_gini: float, min_tier_share: Mapping[str, float]
    ) -> FeedSettings:
        """Persist new knobs (admin only, audited); this worker applies them at once, others within the TTL."""
        require_role(principal, action="changing the fair-traffic settings")
        shares = check_settings(target_gini, min_tier_share)
        row = session.get(TrafficSettings, 1)
        before = None if row is None else {"target_gini": row.target_gini, "min_tier_share": dict(row.min_tier_share)}
        if row is None:
            row = TrafficSettings(id=1, target_gini=float(target_gini), min_tier_share={})
            session.add(row)
        row.target_gini = float(target_gini)
        row.min_tier_share = {tier.value: share for tier, share in shares.items()}
        row.updated_by = principal.user_id
        session.flush()
        after = {"target_gini": row.target_gini, "min_tier_share": dict(row.min_tier_share)}
        record(session, principal, "traffic_settings.update", row, {"before": before, "after": after})
        current = load_settings(session)
        with self._lock:
            self._use_settings(current)
            self._settings_read_at = time.monotonic()
        return current

    # ---- allocation ----------------------------------------------------------------------------
    def allocate(self, session: Session, principal: Principal, candidates: Sequence[Candidate], k: int) -> Allocation:
        """Pick the fair top-``k`` of ``candidates`` (admin and platform-internal callers only)."""
        require_role(principal, action="feed allocation (a platform-internal call)")
        if not candidates:
            raise InvalidInput("candidates: a feed request needs at least one candidate item")
        if len(candidates) > MAX_CANDIDATES:
            raise InvalidInput(f"candidates: at most {MAX_CANDIDATES} per request, got {len(candidates)}")
        if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= MAX_SLATE_SIZE:
            raise InvalidInput(f"k: the slate size must be an integer in 1..{MAX_SLATE_SIZE}, got {k!r}")
        scores = np.fromiter((c.score for c in candidates), dtype=np.float64, count=len(candidates))
        if not np.isfinite(scores).all():
            bad = int(np.flatnonzero(~np.isfinite(scores))[0])
            raise InvalidInput(f"candidates.{bad}.score must be a finite number, got {candidates[bad].score!r}")
        external = np.fromiter((c.creator_id for c in candidates), dtype=np.int64, count=len(candidates))
        with self._lock:
            self._check_index(session)
            dense, unknown = self._index.dense(external)
            if unknown:
                self.refresh_index(session)  # created since the index was read?
                dense, unknown = self._index.dense(external)
            if unknown:
                shown = ", ".join(str(c) for c in unknown[:20]) + (" …" if len(unknown) > 20 else "")
                raise UnknownCreators(
                    f"candidates name creators that do not exist (未知达人): {shown}; "
                    "register them under /api/v1/creators first",
                    unknown_creator_ids=unknown,
                )
            governed = governance_multipliers(session, external.tolist())
            if governed:
                factors = np.array([governed.get(int(cid), 1.0) for cid in external])
                # Suspended creators' items leave the request; limited and copying creators compete at a discount.
                keep = np.flatnonzero(factors > 0)
                if keep.size == 0:
                    return Allocation([], self._allocator(k).measured_gini, self._settings.target_gini)
                candidates = [candidates[int(i)] for i in keep]
                scores, dense = scores[keep] * factors[keep], dense[keep]
            self._sync_settings(session)
            allocator = self._allocator(k)
            try:
                slate = allocator.allocate(Request.of(np.arange(len(candidates)), dense, scores))
            except TrafficInputError as exc:
                raise InvalidInput(str(exc)) from exc
            measured = allocator.measured_gini
            self._since_snapshot += 1
            if self._since_snapshot >= self.snapshot_every:
                self._snapshot(session)
        placements = [
            Placement(rank + 1, candidates[int(i)].item_id, candidates[int(i)].creator_id, candidates[int(i)].score)
            for rank, i in enumerate(slate.item_ids.tolist())
        ]
        return Allocation(placements, measured, self._settings.target_gini)

    # ---- measurement -----------------------------------------------------------------------------
    def measured_gini(self) -> float:
        """Exact Gini of the current windowed exposure over all indexed creators (0 before any traffic)."""
        with self._lock:
            if self._state is None:
                return 0.0
            _, values = self._state.nonzero()
            return gini_of_sorted_nonzero(np.sort(values), self._index.size) if values.size else 0.0

    def _snapshot(self, session: Session) -> TrafficGiniSnapshot:
        self._since_snapshot = 0
        requests = self._state.requests_recorded() if self._state is not None else 0
        row = TrafficGiniSnapshot(
            measured_gini=self.measured_gini(),
            target_gini=self._settings.target_gini,
            requests=requests,
            n_creators=self._index.size,
            worker=self.worker,
        )
        session.add(row)
        session.flush()
        return row

    def snapshot(self, session: Session, principal: Principal) -> GiniPoint:
        """Record the measured Gini now (admin only), e.g. before and after a settings change."""
        require_role(principal, action="recording an exposure Gini snapshot")
        with self._lock:
            self._check_index(session)
            self._sync_settings(session, force=True)
            row = self._snapshot(session)
        return GiniPoint.of(row)


# One allocator set per process: its exposure window is the memory of every slate this worker has served.
TRAFFIC = Warm("traffic.service", build=TrafficService)
