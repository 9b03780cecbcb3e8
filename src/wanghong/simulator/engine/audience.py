"""Viewers with planted segments and the behaviour their segment drives: ground truth for audience insight.

The ecosystem generator draws a viewer's segment from its home creator's persona, but what the viewer then does
depends on the creator only, so behaviour there says nothing about the person. Here it does: each viewer belongs
to one segment (宝妈, 新农人, …, drawn by `SEGMENT_PREVALENCE`), their gender, age band and city tier come from
that segment's profile in `personas`, and each event picks an item either by plain popularity (the share
`background` of events: hits everyone watches) or by the viewer's segment (its interest profile over categories,
plus a niche of items that only that segment favours). So lookalike and segment discovery have a truth to recover,
and `background` sets how hard that is.

Everything is vectorised: loops run over the seven segments, never over viewers or events.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from wanghong.simulator.engine import personas as P
from wanghong.simulator.engine.sampling import categorical_rows
from wanghong.simulator.engine.tables import CATEGORIES, SEGMENTS, CodeArray, FloatArray, IntArray

DAY = 86_400


@dataclass(frozen=True, eq=False)
class PlantedAudience:
    """Viewers (row i is viewer i), items and the events between them; codes index the vocabularies in tables."""

    segment: CodeArray  # (n_viewers,) into SEGMENTS: the planted truth
    gender: CodeArray  # into GENDERS
    age_band: CodeArray  # into AGE_BANDS
    city_tier: CodeArray  # into CITY_TIERS
    item_category: CodeArray  # (n_items,) into CATEGORIES
    item_niche: CodeArray  # (n_items,) the segment whose niche the item is in
    event_viewer: IntArray  # (n_events,)
    event_item: IntArray
    event_weight: npt.NDArray[np.float32]  # watch count of the event (1 for most)
    event_at: IntArray  # seconds since the period start

    @property
    def n_viewers(self) -> int:
        return int(self.segment.shape[0])

    @property
    def n_items(self) -> int:
        return int(self.item_category.shape[0])


def _draw_by_segment(rng: np.random.Generator, segment: np.ndarray, profile: FloatArray) -> CodeArray:
    """One draw per viewer from its segment's row of `profile`, without a (viewers × categories) array."""
    codes = np.empty(segment.shape[0], dtype=np.int8)
    for code in range(profile.shape[0]):
        members = np.flatnonzero(segment == code)
        codes[members] = rng.choice(profile.shape[1], size=members.size, p=profile[code])
    return codes


def _item_weights(popularity: FloatArray, category: np.ndarray, niche: np.ndarray, niche_boost: float) -> FloatArray:
    """(segments, items) choice probabilities: popularity × interest in the item's category × niche boost."""
    affinity = P.INTEREST_PROFILE[:, category] + 0.01  # every segment watches a little of everything
    boost = np.where(niche[None, :] == np.arange(len(SEGMENTS))[:, None], niche_boost, 1.0)
    weights = popularity[None, :] * affinity * boost
    return np.asarray(weights / weights.sum(axis=1, keepdims=True), dtype=np.float64)


def planted_audience(
    n_viewers: int,
    n_items: int = 2_000,
    events_per_viewer: float = 20.0,
    background: float = 0.5,
    niche_boost: float = 4.0,
    days: int = 30,
    seed: int = 0,
) -> PlantedAudience:
    """Draw viewers, items and events; the same arguments always give the same audience."""
    if n_viewers < 1 or n_items < len(SEGMENTS):
        raise ValueError(f"need at least one viewer and {len(SEGMENTS)} items, got {n_viewers} and {n_items}")
    if not 0.0 <= background <= 1.0:
        raise ValueError(f"background must be a share in [0, 1], got {background}")
    rng = np.random.default_rng(seed)
    prevalence = P.SEGMENT_PREVALENCE / P.SEGMENT_PREVALENCE.sum()
    segment = rng.choice(len(SEGMENTS), size=n_viewers, p=prevalence).astype(np.int8)
    gender = _draw_by_segment(rng, segment, P.GENDER_PROFILE)
    age_band = _draw_by_segment(rng, segment, P.AGE_PROFILE)
    city_tier = _draw_by_segment(rng, segment, P.CITY_PROFILE)

    item_category = rng.choice(len(CATEGORIES), size=n_items, p=np.full(len(CATEGORIES), 1 / len(CATEGORIES)))
    # An item's niche is drawn from the segments that care for its category, so a games item is a niche of the
    # gamers or the students, not of the silver-haired.
    niche_odds = P.INTEREST_PROFILE[:, item_category].T + 1e-3
    item_niche = categorical_rows(rng, niche_odds / niche_odds.sum(axis=1, keepdims=True))
    popularity = rng.pareto(1.2, size=n_items) + 1.0  # a long tail: a few hits, many rarely watched items

    counts = rng.poisson(events_per_viewer, size=n_viewers)
    event_viewer = np.repeat(np.arange(n_viewers, dtype=np.int32), counts)
    n_events = event_viewer.shape[0]
    event_item = np.empty(n_events, dtype=np.int32)
    from_background = rng.random(n_events) < background
    global_cdf = np.cumsum(popularity / popularity.sum())
    chosen = np.flatnonzero(from_background)
    event_item[chosen] = np.searchsorted(global_cdf, rng.random(chosen.size) * global_cdf[-1], side="right")
    segment_cdf = np.cumsum(_item_weights(popularity, item_category, item_niche, niche_boost), axis=1)
    event_segment = segment[event_viewer]
    for code in range(len(SEGMENTS)):
        chosen = np.flatnonzero(~from_background & (event_segment == code))
        draws = rng.random(chosen.size) * segment_cdf[code, -1]
        event_item[chosen] = np.searchsorted(segment_cdf[code], draws, side="right")
    np.minimum(event_item, n_items - 1, out=event_item)  # guards the float edge of the last cumulative bin

    return PlantedAudience(
        segment=segment,
        gender=gender,
        age_band=age_band,
        city_tier=city_tier,
        item_category=item_category.astype(np.int8),
        item_niche=item_niche,
        event_viewer=event_viewer,
        event_item=event_item,
        event_weight=rng.geometric(0.7, size=n_events).astype(np.float32),
        event_at=rng.integers(0, days * DAY, size=n_events, dtype=np.int32),
    )


__all__ = ["PlantedAudience", "planted_audience"]
