"""达人触达 / a pack's reach over creators, in a form that can leave the platform as differentially private counts.

Targeting tells a brand, for each creator, how many members of its pack are in the creator's audience. One person
can watch hundreds of creators, so an unbounded count vector would need noise of that many people's weight. Each
viewer therefore counts toward at most `per_viewer` creators: the ones they acted on most, ties ranked by a fixed
hash of (viewer id, creator id) so that no creator is favoured by its id. The choice depends on that viewer's own
behaviour and ids only (never on positions, which shift when someone joins), so adding or removing one person moves
the whole vector by at most `per_viewer` (its L1 sensitivity), and `noisy_counts(..., contributions=per_viewer)`
releases it at exactly ε.

The creators' audience sizes under the same bound (`audience`) do not depend on any brand's pack: they are the
platform's description of its creators, like their follower counts, and are shown as they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]


class NoisyCountsLike(Protocol):
    def accuracy(self, alpha: float = 0.05) -> float: ...


# Five creators per viewer keeps the noise of a reach release at 5/ε per creator; most viewers act on fewer.
PER_VIEWER = 5


@dataclass(frozen=True, eq=False)
class BoundedReach:
    """The (viewer, creator) pairs kept under the per-viewer bound; positions, not database ids."""

    viewer: IntArray
    creator: IntArray
    n_creators: int
    per_viewer: int

    @property
    def audience(self) -> IntArray:
        """Viewers counted toward each creator."""
        return np.bincount(self.creator, minlength=self.n_creators).astype(np.int64)

    def members(self, chosen: npt.NDArray[np.bool_]) -> IntArray:
        """How many of the chosen viewers count toward each creator (exact: noise it before it leaves)."""
        kept = chosen[self.viewer]
        return np.bincount(self.creator[kept], minlength=self.n_creators).astype(np.int64)


def bounded_reach(
    event_viewer: npt.NDArray[np.integer],
    event_creator: npt.NDArray[np.integer],
    n_creators: int,
    per_viewer: int = PER_VIEWER,
    viewer_ids: npt.NDArray[np.integer] | None = None,
    creator_ids: npt.NDArray[np.integer] | None = None,
) -> BoundedReach:
    """Each viewer's `per_viewer` most-acted-on creators, from one row per event (positions). `viewer_ids` and
    `creator_ids` map positions to the stable ids ties are broken by (positions themselves when not given)."""
    if per_viewer < 1:
        raise ValueError(f"per_viewer must be at least 1, got {per_viewer}")
    if n_creators < 1 or not event_viewer.size:
        empty = np.zeros(0, dtype=np.int64)
        return BoundedReach(empty, empty, max(n_creators, 0), per_viewer)
    key = event_viewer.astype(np.int64) * n_creators + event_creator.astype(np.int64)
    pairs, events = np.unique(key, return_counts=True)
    viewer, creator = pairs // n_creators, pairs % n_creators
    # Most events first, then a hash of the ids: ties are the rule for light viewers, and breaking them by position
    # would hand every low-id creator the audience of everyone who watched it once. (Overflow only wraps the hash.)
    stable_viewer = viewer if viewer_ids is None else np.asarray(viewer_ids, dtype=np.int64)[viewer]
    stable_creator = creator if creator_ids is None else np.asarray(creator_ids, dtype=np.int64)[creator]
    with np.errstate(over="ignore"):
        tie = (stable_viewer * np.int64(0x9E3779B1) + stable_creator * np.int64(0x85EBCA77)) & np.int64(0x7FFFFFFF)
    if viewer.size and int(viewer[-1]) < 1 << 24:
        # One int64 key (viewer | fewest-events-first complement, capped at 255 | tie) sorts several times faster
        # than a three-key lexsort; creators with 255 events or more are then ranked among themselves by the tie.
        fewer = np.int64(255) - np.minimum(events, 255).astype(np.int64)
        order = np.argsort((viewer << np.int64(39)) | (fewer << np.int64(31)) | tie)
    else:
        order = np.lexsort((tie, -events, viewer))
    viewer, creator = viewer[order], creator[order]
    rank = np.arange(viewer.size) - np.searchsorted(viewer, viewer, side="left")
    keep = rank < per_viewer
    return BoundedReach(viewer[keep], creator[keep], n_creators, per_viewer)


# A pack's TGI moves a creator's ranking score by at most this factor either way: audience fit refines a match, it
# does not replace it (a TGI of 400 on a creator scored near zero should not top the list).
WEIGHT_BOUNDS = (0.5, 2.0)


@dataclass(frozen=True, eq=False)
class ReachIndex:
    """TGI per creator from a released (noised) reach: post-processing only, so it costs no further ε."""

    share: npt.NDArray[np.float64]  # reached / audience, clipped to [0, 1]
    tgi: npt.NDArray[np.float64]  # 100 × share / the pack's share of all viewers
    # The same with the reached count lowered by its noise's 95% accuracy: what ranks. A creator nobody in the pack
    # watches gets a positive count from noise alone about half the time; by its point TGI it could top the list.
    tgi_low: npt.NDArray[np.float64]
    reliable: npt.NDArray[np.bool_]


def reach_index(
    reached: npt.NDArray[np.integer],
    audience: npt.NDArray[np.integer],
    pack_size: int,
    n_viewers: int,
    noise: float,
    min_sample: int,
    threshold: float | None = None,
) -> ReachIndex:
    """`reached` and `pack_size` as released (noised), `audience` and `n_viewers` as the platform counts them. A
    creator's TGI is reliable when its audience holds `min_sample` viewers and its reached count stands above
    `threshold` (by default `noise`, the release's 95% accuracy): below that the count could be noise alone. With
    hundreds of creators in one release, some that nobody in the pack watches pass a 95% bar by noise alone, so the
    platform passes the accuracy at 5% over all of them at once (`reach_threshold`)."""
    audience = np.asarray(audience, dtype=np.float64)
    hits = np.minimum(np.maximum(np.asarray(reached, dtype=np.float64), 0.0), audience)
    share = np.divide(hits, audience, out=np.zeros_like(audience), where=audience > 0)
    base = max(pack_size, 1) / max(n_viewers, 1)
    low = np.minimum(np.maximum(np.asarray(reached, dtype=np.float64) - noise, 0.0), audience)
    low_share = np.divide(low, audience, out=np.zeros_like(audience), where=audience > 0)
    bar = noise if threshold is None else threshold
    reliable = (audience >= min_sample) & (np.asarray(reached) > bar)
    return ReachIndex(share=share, tgi=100.0 * share / base, tgi_low=100.0 * low_share / base, reliable=reliable)


def target_weight(tgi: npt.NDArray[np.floating], reliable: npt.NDArray[np.bool_]) -> npt.NDArray[np.float64]:
    """The factor each candidate's ranking score is multiplied by: its TGI over the larger of 100 and the median TGI
    of all the candidates (0 for one the release kept no count for), within `WEIGHT_BOUNDS`; 1 where unreliable.

    Not simply over 100: creators matched to a product mostly over-index on that category's buyers, so against the
    platform alone every one would get the top weight and the pack would reorder nothing. Not over the median alone
    either: among candidates that barely reach the pack, a creator under-indexing on it (TGI < 100) is no target."""
    tgi = np.asarray(tgi, dtype=np.float64)
    reliable = np.asarray(reliable, dtype=bool)
    if not tgi.size:
        return np.ones(0)
    reference = max(100.0, float(np.median(tgi)))
    low, high = WEIGHT_BOUNDS
    return np.where(reliable, np.clip(tgi / reference, low, high), 1.0)


def reach_threshold(noised: NoisyCountsLike, creators: int) -> float:
    """The count a creator's noised reach must pass to be told apart from zero with 95% confidence over all
    `creators` of the release together (Bonferroni: each at 5% / creators)."""
    return noised.accuracy(0.05 / max(creators, 1))
