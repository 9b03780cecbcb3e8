"""Precision/recall of video copy detection per re-upload variant, on deterministic synthetic clips.

Originals and distractors are indexed; every original is then re-uploaded as each variant of
``synthetic.VARIANTS`` plus ``embedded`` (a 4 s cut of it spliced into an unrelated host video), and
unrelated ``negative`` clips are queried too. A returned match is a true positive when it names the
variant's source, a false positive otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from wanghong.originality.engine.scores import Rates
from wanghong.originality.engine.video import synthetic
from wanghong.originality.engine.video.fingerprint import fingerprint_video
from wanghong.originality.engine.video.index import VideoIndex

EMBEDDED = "embedded"
NEGATIVE = "negative"


@dataclass(frozen=True, slots=True)
class VariantScore(Rates):
    """One re-upload variant's counts over its queries (``overall``: every variant's together)."""

    variant: str
    queries: int


def evaluate(
    originals: int = 4,
    distractors: int = 4,
    negatives: int = 4,
    seconds: float = 8.0,
    seed: int = 0,
    algorithm: str = "phash",
    variants: tuple[str, ...] | None = None,
    on_step: Callable[[str], None] | None = None,
    halves: bool = True,
) -> list[VariantScore]:
    """Build the synthetic set, index it, query every variant; one score per variant plus ``overall``.

    ``halves=False`` indexes and queries whole-frame hashes only (version-1 fingerprints), the baseline.
    """
    names = variants or tuple(synthetic.VARIANTS)
    index = VideoIndex(algorithm)
    step = on_step or (lambda _label: None)
    source_clips: dict[str, bytes] = {}
    for k in range(originals + distractors):
        video_id = f"original-{k}" if k < originals else f"distractor-{k - originals}"
        clip = synthetic.make_clip(synthetic.ClipSpec(seed=seed * 1000 + k, seconds=seconds))
        if k < originals:
            source_clips[video_id] = clip
        index.add(video_id, fingerprint_video(clip, algorithm=algorithm, halves=halves))
        step(f"index {video_id}")
    counts: dict[str, list[int]] = {}

    def record(variant: str, data: bytes, expected: str | None) -> None:
        found = {m.video_id for m in index.query(fingerprint_video(data, algorithm=algorithm, halves=halves))}
        tp = int(expected in found) if expected else 0
        fn = int(expected is not None and expected not in found)
        fp = len(found - {expected})
        row = counts.setdefault(variant, [0, 0, 0, 0])
        row[0] += 1
        row[1] += tp
        row[2] += fp
        row[3] += fn
        step(f"query {variant}")

    rng = np.random.default_rng(seed)
    hosts = [
        synthetic.make_clip(synthetic.ClipSpec(seed=seed * 1000 + 500 + k, seconds=seconds))
        for k in range(max(negatives, 1))
    ]
    for i, (video_id, clip) in enumerate(source_clips.items()):
        for name in names:
            record(name, synthetic.make_variant(clip, name, rng), video_id)
        cut = synthetic.make_variant(clip, "clip", rng)
        record(EMBEDDED, synthetic.embed_clip(hosts[i % len(hosts)], cut, at_s=seconds / 4), video_id)
    for k in range(negatives):
        record(NEGATIVE, hosts[k], None)
    total = np.sum([row for row in counts.values()], axis=0)
    rows = counts | {"overall": [int(x) for x in total]}
    return [VariantScore(tp, fp, fn, variant=name, queries=queries) for name, (queries, tp, fp, fn) in rows.items()]
