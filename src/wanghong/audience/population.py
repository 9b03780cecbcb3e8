"""The platform's audience as arrays: every viewer's declared attributes, rule segments and recorded behaviour.

Everything audience insight computes starts here: composition (who watches each creator), crowd packs (which
viewers meet a definition), lookalike (a viewer × item behaviour matrix) and targeting. Rows are read once per
call with plain column selects and turned into numpy arrays indexed by viewer *position* (viewers sorted by id),
so every later step is vectorised and no ORM object per viewer is ever built.

What the platform records about a viewer (`commerce.models`): `Viewer` (gender, age band, city tier, as codes),
`ViewerEvent` (an action on a creator's video or livestream, with its time) and `Order` (a purchase of a product,
whose category is known). A viewer's *interest* is the share of their behaviour per category: an event counts
towards the categories of the creator it was on (split evenly), an order towards its product's category.

Reading everything takes about a second per 20k viewers and 200k events, so a process keeps the last population
warm (`POPULATION` in `kit.runtime`, reached through `current_population(session)`) and reads it again only when
a cheap watermark moves: the highest id and the row count of viewers, events, orders and creators, and the last
change of a creator (its categories shape interest). An insert raises a maximum, a delete lowers a count, and a
row committed late under a lower id (PostgreSQL hands out ids before commit) still raises a count; what the mark
does not see is an edit of a viewer's declared attributes or of a product's category, which the platform does not
make in place.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property
from itertools import chain
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import scipy.sparse as sp
from sqlalchemy import BigInteger, ColumnElement, Engine, case, cast, func, select
from sqlalchemy.orm import Session

from wanghong.audience.engine import (
    RULE_SEGMENTS,
    BoundedReach,
    Composition,
    ViewerProfile,
    assign_rule_segments,
    audience_composition,
    bounded_reach,
    interaction_matrix,
)
from wanghong.audience.engine.segments import AGE_BANDS, CATEGORIES, CITY_TIERS, GENDERS
from wanghong.commerce.models import Creator, Order, Product, Viewer, ViewerEvent
from wanghong.config import Settings
from wanghong.domain import ViewerAction
from wanghong.kit.runtime import Runtime, Warm, bound_to

IntArray = npt.NDArray[np.int64]
Mask = npt.NDArray[np.bool_]
NONE = -1  # an unknown attribute code, or an event with no video / livestream

# The declared quasi-identifiers of an export: what an outsider could know of a person and join on.
QUASI_IDENTIFIERS = ("gender", "age_band", "city_tier")


def _codes(values: Sequence[str], vocabulary: Sequence[object]) -> IntArray:
    index = {getattr(member, "value", member): position for position, member in enumerate(vocabulary)}
    return np.fromiter((index.get(value, NONE) for value in values), dtype=np.int64, count=len(values))


def _epoch_sql(dialect: str) -> Callable[[Any], ColumnElement[int]]:
    """Seconds since 1970 of a UTC timestamp column, computed by the database."""
    if dialect == "postgresql":
        return lambda column: cast(func.floor(func.extract("epoch", column)), BigInteger)
    # SQLite keeps UTCDateTime as naive UTC text, which strftime reads as UTC.
    return lambda column: cast(func.strftime("%s", column), BigInteger)


def _integers(rows: Sequence[Sequence[Any]], width: int) -> IntArray:
    if not rows:
        return np.zeros((0, width), dtype=np.int64)
    # Through a flat iterator: numpy asked to convert Row objects directly probes each for array attributes.
    flat = np.fromiter(chain.from_iterable(rows), dtype=np.int64, count=len(rows) * width)
    return flat.reshape(len(rows), width)


@dataclass(frozen=True)
class Population:
    viewer_ids: IntArray  # database ids, ascending: position i is viewer_ids[i]
    external_ids: npt.NDArray[np.object_]
    attributes: pd.DataFrame  # the quasi-identifiers as their codes' values ('' unknown), one row per viewer
    profile: ViewerProfile
    membership: Mask  # (viewers, RULE_SEGMENTS)
    creator_ids: IntArray  # ascending
    creator_categories: Mask  # (creators, CATEGORIES)
    event_viewer: IntArray  # positions
    event_creator: IntArray  # positions into creator_ids
    event_video: IntArray  # database ids or NONE
    event_livestream: IntArray
    event_follow: Mask
    event_at: IntArray  # epoch seconds
    order_viewer: IntArray  # positions (orders with a known viewer only)
    order_product: IntArray  # database ids
    order_category: IntArray  # into CATEGORIES, NONE for a category the platform does not list
    order_at: IntArray

    @property
    def n_viewers(self) -> int:
        return int(self.viewer_ids.shape[0])

    def creator_position(self, creator_id: int) -> int:
        position = int(np.searchsorted(self.creator_ids, creator_id))
        if position >= self.creator_ids.shape[0] or self.creator_ids[position] != creator_id:
            return NONE
        return position

    # ---- behaviours a pack can name -------------------------------------------------------------------------

    def _with(self, viewers: IntArray, condition: Mask) -> Mask:
        members = np.zeros(self.n_viewers, dtype=bool)
        members[viewers[condition]] = True
        return members

    def segment(self, key: str) -> Mask:
        keys = [rule.key for rule in RULE_SEGMENTS]
        return self.membership[:, keys.index(key)].copy()

    def viewed_category(self, category: str, days: int, now: datetime) -> Mask:
        column = CATEGORIES.index(next(c for c in CATEGORIES if c.value == category))
        recent = self.event_at >= int((now - timedelta(days=days)).timestamp())
        on_category = self.creator_categories[self.event_creator, column]
        return self._with(self.event_viewer, recent & on_category)

    def bought_category(self, category: str, days: int, now: datetime) -> Mask:
        column = CATEGORIES.index(next(c for c in CATEGORIES if c.value == category))
        recent = self.order_at >= int((now - timedelta(days=days)).timestamp())
        return self._with(self.order_viewer, recent & (self.order_category == column))

    def followed_creator(self, creator_id: int) -> Mask:
        position = self.creator_position(creator_id)
        return self._with(self.event_viewer, self.event_follow & (self.event_creator == position))

    def watched_livestream(self, livestream_id: int) -> Mask:
        return self._with(self.event_viewer, self.event_livestream == livestream_id)

    @cached_property
    def composition(self) -> Composition:
        """Every creator's audience by rule segment (built once per population, then read by every page)."""
        return audience_composition(self.event_viewer, self.event_creator, self.membership, len(self.creator_ids))

    @cached_property
    def reach(self) -> BoundedReach:
        """Each viewer's most-watched creators under the release bound (built once per population: it sorts every
        event)."""
        return bounded_reach(
            self.event_viewer,
            self.event_creator,
            int(self.creator_ids.shape[0]),
            viewer_ids=self.viewer_ids,
            creator_ids=self.creator_ids,
        )

    # ---- behaviour matrix for lookalike ---------------------------------------------------------------------

    def behaviour_counts(self) -> sp.csr_matrix:
        """Viewer × item counts, items being creators, videos, livestreams and products (each its own column)."""
        viewer_parts = [self.event_viewer]
        item_parts = [self.event_creator]
        offset = int(self.creator_ids.shape[0])
        for column, viewers in (
            (self.event_video, self.event_viewer),
            (self.event_livestream, self.event_viewer),
            (self.order_product, self.order_viewer),
        ):
            known = column != NONE
            codes, uniques = pd.factorize(column[known])
            viewer_parts.append(viewers[known])
            item_parts.append(codes.astype(np.int64) + offset)
            offset += len(uniques)
        viewers = np.concatenate(viewer_parts)
        items = np.concatenate(item_parts)
        return interaction_matrix(viewers, items, None, self.n_viewers, max(offset, 1))


def load_population(session: Session) -> Population:
    """Every viewer the platform recorded, with their events and attributed orders."""
    viewers = session.execute(
        select(Viewer.id, Viewer.external_id, Viewer.gender, Viewer.age_band, Viewer.city_tier).order_by(Viewer.id)
    ).all()
    viewer_ids = np.asarray([row[0] for row in viewers], dtype=np.int64)
    genders = [row[2] or "" for row in viewers]
    ages = [row[3] or "" for row in viewers]
    tiers = [row[4] or "" for row in viewers]
    attributes = pd.DataFrame({"gender": genders, "age_band": ages, "city_tier": tiers})

    creators = session.execute(select(Creator.id, Creator.categories).order_by(Creator.id)).all()
    creator_ids = np.asarray([row[0] for row in creators], dtype=np.int64)
    category_index = {category.value: position for position, category in enumerate(CATEGORIES)}
    creator_categories = np.zeros((len(creators), len(CATEGORIES)), dtype=bool)
    for position, (_, categories) in enumerate(creators):
        for category in categories or []:
            if category in category_index:
                creator_categories[position, category_index[category]] = True

    # Integer columns only, through Core: at millions of events the ORM's per-value processing (aware datetimes,
    # enums) is what the time would go to; the epoch and the follow flag are computed by the database instead.
    connection = session.connection()
    epoch = _epoch_sql(connection.dialect.name)
    events = _integers(
        connection.execute(
            select(
                ViewerEvent.viewer_id,
                ViewerEvent.creator_id,
                func.coalesce(ViewerEvent.video_id, NONE),
                func.coalesce(ViewerEvent.livestream_id, NONE),
                case((ViewerEvent.action == ViewerAction.FOLLOW.value, 1), else_=0),
                epoch(ViewerEvent.occurred_at),
            )
        ).all(),
        6,
    )
    event_viewer = np.searchsorted(viewer_ids, events[:, 0])
    event_creator = np.searchsorted(creator_ids, events[:, 1])

    order_rows = connection.execute(
        select(Order.viewer_id, Order.product_id, Product.category, epoch(Order.ordered_at))
        .join(Product, Product.id == Order.product_id)
        .where(Order.viewer_id.is_not(None))
    ).all()
    orders = _integers([(row[0], row[1], row[3]) for row in order_rows], 3)

    # Interest: each event split over its creator's categories, each order on its product's category.
    per_creator = creator_categories.astype(np.float32)
    sums = per_creator.sum(axis=1, keepdims=True)
    np.divide(per_creator, sums, out=per_creator, where=sums > 0)
    interest = np.zeros((len(viewers), len(CATEGORIES)), dtype=np.float32)
    if len(events):
        np.add.at(interest, event_viewer, per_creator[event_creator])
    order_viewer = np.searchsorted(viewer_ids, orders[:, 0])
    order_category = _codes([row[2] for row in order_rows], CATEGORIES)
    known = order_category != NONE
    np.add.at(interest, (order_viewer[known], order_category[known]), 1.0)
    totals = interest.sum(axis=1, keepdims=True)
    np.divide(interest, totals, out=interest, where=totals > 0)

    profile = ViewerProfile(
        gender=_codes(genders, GENDERS),
        age_band=_codes(ages, AGE_BANDS),
        city_tier=_codes(tiers, CITY_TIERS),
        interest=interest,
    )
    return Population(
        viewer_ids=viewer_ids,
        external_ids=np.asarray([row[1] for row in viewers], dtype=object),
        attributes=attributes,
        profile=profile,
        membership=assign_rule_segments(profile),
        creator_ids=creator_ids,
        creator_categories=creator_categories,
        event_viewer=event_viewer.astype(np.int64),
        event_creator=event_creator.astype(np.int64),
        event_video=events[:, 2].copy(),
        event_livestream=events[:, 3].copy(),
        event_follow=events[:, 4] == 1,
        event_at=events[:, 5].copy(),
        order_viewer=order_viewer.astype(np.int64),
        order_product=orders[:, 1].copy(),
        order_category=order_category,
        order_at=orders[:, 2].copy(),
    )


# ---- the warm population ----------------------------------------------------------------------------------------


def watermark(session: Session) -> tuple[Any, ...]:
    """What changes whenever the rows a population is read from change (see the module's note), in one query."""
    marks: list[Any] = []
    for table in (Viewer, ViewerEvent, Order, Creator):
        marks += [select(func.max(table.id)).scalar_subquery(), select(func.count(table.id)).scalar_subquery()]
    marks.append(select(func.max(Creator.updated_at)).scalar_subquery())
    return tuple(session.execute(select(*marks)).one())


@dataclass(frozen=True)
class _Entry:
    mark: tuple[Any, ...]
    population: Population


class PopulationCache:
    """The population of each database this process reads (by engine: a test suite's scratch databases may share a
    URL), kept until its watermark moves. A `Population` is never changed once built, so callers share it."""

    def __init__(self) -> None:
        self._entries: weakref.WeakKeyDictionary[Engine, _Entry] = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()
        self.loads = 0  # how many times the rows were read (what the cache saves)

    def current(self, session: Session) -> Population:
        engine = session.get_bind().engine
        mark = watermark(session)
        entry = self._entries.get(engine)
        if entry is not None and entry.mark == mark:
            return entry.population
        # One reader at a time: concurrent callers after the same change wait for one load instead of each loading.
        with self._lock:
            entry = self._entries.get(engine)
            if entry is not None and entry.mark == mark:
                return entry.population
            population = load_population(session)
            self.loads += 1
            self._entries[engine] = _Entry(mark, population)
            return population


POPULATION: Warm[PopulationCache] = Warm("audience.population", build=lambda _settings: PopulationCache())

_detached: Runtime | None = None
_detached_lock = threading.Lock()


def runtime_of(session: Session) -> Runtime:
    """The runtime the session works under; a session opened outside any (a script, a test) shares one per process."""
    runtime = bound_to(session)
    if runtime is not None:
        return runtime
    global _detached
    with _detached_lock:
        if _detached is None:
            _detached = Runtime(Settings.from_env())
        return _detached


def current_population(session: Session) -> Population:
    """The platform's audience as this session's transaction sees it, read from the rows only when they changed."""
    return runtime_of(session).get(POPULATION).current(session)
