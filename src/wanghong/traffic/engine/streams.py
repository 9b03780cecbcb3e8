"""Request streams for offline replay: Steam (real scores), KuaiRand-shaped, and simulator-built.

A ``Stream`` is a dense (requests × candidates) replay: candidate item ids, their creators, and the
ranker's scores, plus what the metrics need about creators (provider group, followers, popularity).
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from wanghong.domain import FollowerTier, follower_tier
from wanghong.traffic.engine.types import FloatArray, IntArray, TrafficInputError

STEAM_SCORES = "steam_ranking_scores.npz"
STEAM_GROUPS = "steam_iid2pid.json"
KUAIRAND_VIDEOS = "kuairand_pure_video_features_basic.csv"
# The item -> publisher map FairDiverse used when it produced the Steam scores and its published
# gini@10 of 0.650 (commit 5cb7ec0, blob 38b020c). The later steam_iid2pid.json in the shared data
# folder comes from a re-processing that renumbered items, so it does not line up with the score
# matrix's columns (greedy gini@10 comes out at 0.584 with it).
STEAM_GROUPS_MATCHED = "steam_iid2pid_fairdiverse_5cb7ec0.json"


class StreamDataError(TrafficInputError):
    """A data file for a replay stream is missing or has an unexpected shape."""


@dataclass(frozen=True, slots=True)
class Stream:
    """A replayable request stream.

    ``creator_group`` maps creator -> provider group (None when creators are the fairness unit);
    ``followers`` enables follower-tier metrics; ``popularity`` ranks creators for the head-10% share.
    """

    name: str
    item_ids: IntArray
    creator_ids: IntArray
    scores: FloatArray
    n_creators: int
    popularity: FloatArray
    creator_group: IntArray | None = None
    followers: IntArray | None = None

    @property
    def n_requests(self) -> int:
        return int(self.scores.shape[0])

    def head(self, n_requests: int) -> Stream:
        """The first ``n_requests`` requests (for quick runs and tests)."""
        return Stream(
            self.name,
            self.item_ids[:n_requests],
            self.creator_ids[:n_requests],
            self.scores[:n_requests],
            self.n_creators,
            self.popularity,
            self.creator_group,
            self.followers,
        )


def _require(path: Path) -> Path:
    if not path.is_file():
        raise StreamDataError(f"data file not found: {path} (pass --data-dir pointing at the fairness data)")
    return path


def load_steam_item_groups(path: Path | None = None, n_items: int | None = None) -> IntArray:
    """Item -> provider group array; items missing from the map go to group 0 as in FairDiverse."""
    if path is None:
        text = resources.files("wanghong.traffic.engine").joinpath("data", STEAM_GROUPS_MATCHED).read_text()
    else:
        text = _require(path).read_text()
    mapping = {int(k): int(v) for k, v in json.loads(text).items()}
    size = max(mapping) + 1 if n_items is None else n_items
    groups = np.zeros(size, dtype=np.int64)
    for item, group in mapping.items():
        if item < size:
            groups[item] = group
    return groups


def load_steam_stream(data_dir: Path, groups_path: Path | None = None) -> Stream:
    """The FairDiverse Steam base-MF scores: 1,645 requests × 200 candidates, 43 publishers.

    Candidates keep FairDiverse's row order, duplicates included (its sampler draws negatives with
    replacement and its evaluator ranks the raw 200-long rows). Publishers are the fairness unit, so
    the creator id of an item is its publisher.
    """
    with np.load(_require(data_dir / STEAM_SCORES)) as npz:
        rows, cols, data = npz["row"], npz["col"], npz["data"]
        n_users, n_items = (int(x) for x in npz["shape"])
    counts = np.bincount(rows, minlength=n_users)
    width = int(counts[0])
    if not (counts == width).all() or not (np.diff(rows) >= 0).all():
        raise StreamDataError("expected a COO matrix with the same number of candidates per row, rows in order")
    item_ids = cols.reshape(n_users, width).astype(np.int64)
    scores = data.reshape(n_users, width).astype(np.float64)
    item_group = load_steam_item_groups(groups_path, n_items)
    creator_ids = item_group[item_ids]
    n_groups = int(item_group.max()) + 1
    catalogue_size = np.bincount(item_group, minlength=n_groups).astype(np.float64)
    return Stream("steam", item_ids, creator_ids, scores, n_groups, popularity=catalogue_size)


def load_kuairand_stream(data_dir: Path, n_requests: int = 20_000, n_candidates: int = 200, seed: int = 7) -> Stream:
    """Requests over the real KuaiRand-Pure video -> author table with synthetic engagement.

    Score model (seeded, documented because the interaction logs are not available here):

    * each author a gets a latent appeal ``z_a ~ N(0, 1)``; followers
      ``F_a = round(exp(10.5 + 2.0 z_a))`` (median ~36k, the 100k–1M mid tier is ~25% of authors,
      >1M ~5%), the lognormal shape of creator audiences;
    * a request samples ``n_candidates`` videos with probability proportional to ``F_a ** 0.5``
      (recall favours big accounts without excluding small ones);
    * the predicted engagement of video v by author a for this viewer is
      ``sigmoid(0.8 z_a + 0.3 * n_videos_a ** 0.25 + eps)``, ``eps ~ N(0, 1)`` per viewer and item,
      so popular, prolific authors win on average but any author can top a given feed.
    """
    path = _require(data_dir / KUAIRAND_VIDEOS)
    video_ids: list[int] = []
    author_ext: list[int] = []
    with path.open(newline="") as fh:
        for row in csv.DictReader(fh):
            video_ids.append(int(row["video_id"]))
            author_ext.append(int(row["author_id"]))
    if not video_ids:
        raise StreamDataError(f"{path} has no videos")
    # External author ids -> dense creator ids, the mapping a service keeps at its edge.
    _, author_of_video = np.unique(np.asarray(author_ext), return_inverse=True)
    n_authors = int(author_of_video.max()) + 1
    rng = np.random.default_rng(seed)
    appeal = rng.standard_normal(n_authors)
    followers = np.round(np.exp(10.5 + 2.0 * appeal)).astype(np.int64)
    videos_per_author = np.bincount(author_of_video, minlength=n_authors)
    recall = np.sqrt(followers[author_of_video].astype(np.float64))
    recall /= recall.sum()
    vids = np.asarray(video_ids, dtype=np.int64)
    picks = np.stack([rng.choice(vids.shape[0], n_candidates, replace=False, p=recall) for _ in range(n_requests)])
    authors = author_of_video[picks]
    logit = 0.8 * appeal[authors] + 0.3 * videos_per_author[authors] ** 0.25
    logit += rng.standard_normal(logit.shape)
    scores = 1.0 / (1.0 + np.exp(-logit))
    return Stream(
        "kuairand",
        vids[picks],
        authors.astype(np.int64),
        scores,
        n_authors,
        popularity=followers.astype(np.float64),
        followers=followers,
    )


def stream_from_creators(
    followers: IntArray,
    creator_ids: IntArray,
    *,
    n_requests: int = 10_000,
    n_candidates: int = 200,
    items_per_creator: int = 5,
    seed: int = 11,
    name: str = "simulator",
) -> Stream:
    """Build a replay stream from a creator population (hook for ``wanghong.simulator.engine``).

    ``followers[i]`` belongs to creator ``creator_ids[i]`` (dense ids ``0..n-1`` in any order).
    Each creator gets ``items_per_creator`` items; candidates are drawn in proportion to
    ``sqrt(followers)`` and scored ``sigmoid(0.35 * log1p(followers) - 4 + N(0,1))``: bigger accounts
    engage more on average, with per-viewer noise.
    """
    followers = np.asarray(followers, dtype=np.int64)
    creator_ids = np.asarray(creator_ids, dtype=np.int64)
    if followers.shape != creator_ids.shape or followers.ndim != 1 or followers.size == 0:
        raise StreamDataError("followers and creator_ids must be equal-length, non-empty 1-D arrays")
    if (followers < 0).any():
        raise StreamDataError("follower counts must be non-negative")
    n = followers.shape[0]
    if not np.array_equal(np.sort(creator_ids), np.arange(n)):
        raise StreamDataError("creator_ids must be the dense ids 0..n-1, each once")
    by_creator = np.empty(n, dtype=np.int64)
    by_creator[creator_ids] = followers
    item_creator = np.repeat(np.arange(n), items_per_creator)
    if n_candidates > item_creator.shape[0]:
        raise StreamDataError(f"{n_candidates} candidates requested but only {item_creator.shape[0]} items")
    rng = np.random.default_rng(seed)
    recall = np.sqrt(by_creator[item_creator].astype(np.float64) + 1.0)
    recall /= recall.sum()
    picks = np.stack(
        [rng.choice(item_creator.shape[0], n_candidates, replace=False, p=recall) for _ in range(n_requests)]
    )
    creators = item_creator[picks]
    logit = 0.35 * np.log1p(by_creator[creators]) - 4.0 + rng.standard_normal(picks.shape)
    scores = 1.0 / (1.0 + np.exp(-logit))
    return Stream(
        name,
        picks.astype(np.int64),
        creators,
        scores,
        n,
        popularity=by_creator.astype(np.float64),
        followers=by_creator,
    )


def tier_index(followers: IntArray) -> tuple[IntArray, list[FollowerTier]]:
    """Follower tier of each creator as a small integer, with the tier order used."""
    order = list(FollowerTier)
    position = {tier: i for i, tier in enumerate(order)}
    return np.array([position[follower_tier(int(f))] for f in followers], dtype=np.int64), order
