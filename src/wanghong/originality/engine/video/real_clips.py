"""Evaluation of the video fingerprints on real camera footage: Meta ThreatExchange's TMK+PDQF sample videos.

Provenance: ``tmk/sample-videos/`` of https://github.com/facebook/ThreatExchange (BSD licence,
``tmk/LICENSE.txt``; phone videos the TMK author took himself, "no data-privacy issues"), read at
commit ``TMK_COMMIT``. Nothing is copied into this repository: the clips are read from a directory
or extracted from a bare git mirror of ThreatExchange at run time (``extract_samples``). The two
full-HD/HD chair originals are stored there as LFS-sized blobs that the mirror lacks; the other 14
clips are present.

Two evaluations, both reporting precision and recall:

1. **Published families** (``evaluate_families``): every clip is indexed and queried against the
   rest. The chair-* clips are one scene (re-encodes, grey and sepia filters, small and large logo,
   and 19 s / 20 s cuts of the 22 s take), the pattern-* clips another (HD, a longer take, grey,
   logos); doorknob and ``test-padded-dimensions`` are unrelated to both. An ordered pair (query,
   indexed) within a family should match, any pair across families should not. TMK+PDQF's
   published behaviour on the same files is the anchor (``TMK_PAIR_SCORES``, ``TMK_CLUSTERS``:
   ``tmk/README.md``'s ``tmk-two-level-score`` and ``tmk-clusterize`` output at its suggested
   0.7/0.7 thresholds).
2. **Generated re-uploads** (``evaluate_variants``): each real clip is decoded once and re-encoded
   at a quarter of its bitrate as each of ``REAL_VARIANTS`` (the transforms of ``transforms``, the
   synthetic evaluation's too). A query is a true positive when its source clip is returned; a
   returned clip of another family is a false positive; a returned clip of the source's own family
   (the sepia copy when the source is the grey one) is a genuine copy and is counted apart
   (``family_hits``), neither right nor wrong for this variant.

Figures (``bench/originality_video_real.py``, all 14 clips at full length, pHash, 2 fps, whole-frame
and half-frame hashes; load 6–8 on 2 shared cores):

- Families: 62 of 62 same-scene ordered pairs found, 0 of 120 cross-scene pairs (P = R = 1.000),
  with or without the half-frame hashes. TMK+PDQF at its 0.7/0.7 thresholds finds 42 of those 62
  (R = 0.677, P = 1.000): it leaves both large-logo clips alone, which we match at scores 0.71–0.92.
- Re-uploads (14 per variant, 14 real clips indexed): re-encode, half size, crop 5 %, mirror and
  large logo 14/14 each; crop 10 % 13/14, small logo 13/14; not one false positive (overall
  P = 1.000, R = 0.980). The goal (R ≥ 0.9 per variant at P ≥ 0.99) is **met**. The same queries
  on whole-frame hashes only (version-1 fingerprints, same run): crop 10 % 11/14, small logo 12/14,
  large logo 10/14 (R = 0.908), also without a false positive; the half-frame hashes
  (``fingerprint``) made the difference — a corner logo leaves one half as it was. The two
  misses left: the flat doorknob clip under crop 10 % (a grey wall, whose few strong DCT terms any
  crop reorders, halves included) and the 1080×1080 test card under the small logo.
- Unrelated real frames (clips of different scenes, mirror images included) lie ≥ 14 of 64 bits
  apart, p1 22, none within the 12-bit frame radius — and so do their halves (460 k pairs).
- Cost: fingerprinting four clips (SD, two HD, the 1080×1080 card) with the halves takes 1.14× the
  time without them (medians of 4 alternating runs, load 4.2): the three hashes share one colour
  conversion. The index holds three codes per frame instead of one.
- The evaluation found one engine fault, fixed in ``fingerprint._trim_borders``: a logo stamped
  across a black bar stopped the bar trim at the logo, so the bar stayed in the frame and the hash
  moved by 14–36 bits. Before the fix: small logo 6/14, large logo 1/14, crop 10 % 10/14 (overall
  R = 0.745); the synthetic evaluation is unchanged by it (48/48, no false positive, both ways).
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

from wanghong.originality.engine.scores import Rates
from wanghong.originality.engine.video.evaluation import VariantScore
from wanghong.originality.engine.video.fingerprint import VideoFingerprint, fingerprint_video
from wanghong.originality.engine.video.index import VideoIndex
from wanghong.originality.engine.video.transforms import (
    Encoder,
    Frames,
    crop,
    iter_decode,
    mirror,
    overlay_logo,
    resize,
)

#: The ThreatExchange commit whose sample videos and README figures this evaluation was measured on.
TMK_COMMIT = "baefb4ed67b6cdc1d4c82dbaef858d50866ac424"
SAMPLE_DIR = "tmk/sample-videos"

#: ``tmk-two-level-score`` (level-1, level-2) for the pairs of present clips that ``tmk/README.md`` prints;
#: its listing elides the middle of the sorted output, so pairs with the large-logo clips are not given.
TMK_PAIR_SCORES: dict[frozenset[str], tuple[float, float]] = {
    frozenset(pair): scores
    for pair, scores in (
        (("chair-20-sd-bar", "chair-22-with-small-logo-bar"), (0.919339, 0.921573)),
        (("chair-22-with-small-logo-bar", "chair-orig-22-sd-bar"), (0.926403, 0.953071)),
        (("chair-22-sd-grey-bar", "chair-22-with-small-logo-bar"), (0.926929, 0.953268)),
        (("chair-22-sd-sepia-bar", "chair-22-with-small-logo-bar"), (0.927289, 0.953265)),
        (("chair-19-sd-bar", "chair-orig-22-sd-bar"), (0.952329, 0.961902)),
        (("chair-19-sd-bar", "chair-22-sd-sepia-bar"), (0.952936, 0.962041)),
        (("chair-19-sd-bar", "chair-22-sd-grey-bar"), (0.953346, 0.962158)),
        (("pattern-hd-no-bar", "pattern-longer-no-bar"), (0.981078, 0.954990)),
        (("chair-20-sd-bar", "chair-orig-22-sd-bar"), (0.985408, 0.988313)),
        (("chair-20-sd-bar", "chair-22-sd-sepia-bar"), (0.985554, 0.988220)),
        (("chair-20-sd-bar", "chair-22-sd-grey-bar"), (0.985930, 0.988437)),
        (("chair-19-sd-bar", "chair-20-sd-bar"), (0.989083, 0.991138)),
        (("chair-22-sd-sepia-bar", "chair-orig-22-sd-bar"), (0.999750, 0.999720)),
        (("chair-22-sd-grey-bar", "chair-22-sd-sepia-bar"), (0.999779, 0.999763)),
        (("chair-22-sd-grey-bar", "chair-orig-22-sd-bar"), (0.999963, 0.999964)),
    )
}
#: ``tmk-clusterize --c1 0.7 --c2 0.7`` in ``tmk/README.md``: TMK's verdict at its suggested thresholds.
#: Both logo-large clips stay alone; ``test-padded-dimensions`` was added to the repository later.
TMK_CLUSTERS: tuple[frozenset[str], ...] = (
    frozenset(
        {
            "chair-19-sd-bar",
            "chair-20-sd-bar",
            "chair-22-sd-grey-bar",
            "chair-22-sd-sepia-bar",
            "chair-22-with-small-logo-bar",
            "chair-orig-22-fhd-no-bar",
            "chair-orig-22-hd-no-bar",
            "chair-orig-22-sd-bar",
        }
    ),
    frozenset({"chair-22-with-large-logo-bar"}),
    frozenset({"doorknob-hd-no-bar"}),
    frozenset({"pattern-hd-no-bar", "pattern-longer-no-bar", "pattern-sd-grey-bar", "pattern-sd-with-small-logo-bar"}),
    frozenset({"pattern-sd-with-large-logo-bar"}),
)


def family(clip: str) -> str:
    """The published scene a sample clip shows: ``chair``, ``pattern``, ``doorknob``, else the clip itself."""
    head = clip.split("-", 1)[0]
    return head if head in ("chair", "pattern", "doorknob") else clip


def tmk_matches(a: str, b: str) -> bool | None:
    """Whether TMK+PDQF put ``a`` and ``b`` in one cluster at 0.7/0.7; ``None`` when it never saw one of them."""
    seen = [c for c in TMK_CLUSTERS if a in c or b in c]
    if not any(a in c for c in seen) or not any(b in c for c in seen):
        return None
    return any(a in c and b in c for c in seen)


def extract_samples(repo: Path, dest: Path, names: Iterable[str] | None = None) -> dict[str, Path]:
    """Write the sample videos of a ThreatExchange git directory (bare mirror or checkout) to ``dest``.

    Blobs the mirror does not hold (the LFS-sized HD originals) are skipped. Returns clip name → path.
    """
    wanted = None if names is None else set(names)
    listing = subprocess.run(
        ["git", "-C", str(repo), "ls-tree", "-l", "HEAD", f"{SAMPLE_DIR}/"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    dest.mkdir(parents=True, exist_ok=True)
    out: dict[str, Path] = {}
    for line in listing.splitlines():
        meta, path = line.split("\t", 1)
        _, kind, obj, size = meta.split()
        name = Path(path).name
        if kind != "blob" or not name.endswith(".mp4") or (wanted is not None and name[:-4] not in wanted):
            continue
        if not size.isdigit():  # the mirror has the tree entry but not the blob
            continue
        blob = subprocess.run(["git", "-C", str(repo), "cat-file", "blob", obj], capture_output=True, check=False)
        if blob.returncode != 0 or not blob.stdout:
            continue
        target = dest / name
        target.write_bytes(blob.stdout)
        out[name[:-4]] = target
    return out


def sample_clips(source: Path, scratch: Path, names: Iterable[str] | None = None) -> dict[str, Path]:
    """Clip name → path, from a directory of ``.mp4`` files or a ThreatExchange git directory (extracted)."""
    mp4s = sorted(source.glob("*.mp4")) if source.is_dir() else []
    if mp4s:
        wanted = None if names is None else set(names)
        return {p.stem: p for p in mp4s if p.stat().st_size and (wanted is None or p.stem in wanted)}
    return extract_samples(source, scratch, names)


# ---- 1. published families -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PairOutcome:
    """One ordered (query, indexed) pair of sample clips: our verdict and score, TMK's where published."""

    query: str
    reference: str
    same_family: bool
    score: float | None  # our match score, None when the query did not return the reference
    tmk_scores: tuple[float, float] | None
    tmk_match: bool | None


def fingerprint_clips(
    clips: dict[str, Path], algorithm: str = "phash", max_seconds: float | None = None, halves: bool = True
) -> dict[str, VideoFingerprint]:
    return {
        name: fingerprint_video(path, algorithm=algorithm, max_seconds=max_seconds, halves=halves)
        for name, path in clips.items()
    }


def evaluate_families(fingerprints: dict[str, VideoFingerprint]) -> list[PairOutcome]:
    """Index every clip, query every clip; one outcome per ordered pair of distinct clips."""
    index = _index(fingerprints)
    outcomes = []
    for query, fp in fingerprints.items():
        found = {m.video_id: m.score for m in index.query(fp, limit=len(fingerprints))}
        for reference in fingerprints:
            if reference == query:
                continue
            outcomes.append(
                PairOutcome(
                    query=query,
                    reference=reference,
                    same_family=family(query) == family(reference),
                    score=found.get(reference),
                    tmk_scores=TMK_PAIR_SCORES.get(frozenset((query, reference))),
                    tmk_match=tmk_matches(query, reference),
                )
            )
    return outcomes


def family_rates(outcomes: list[PairOutcome], tmk: bool = False) -> Rates:
    """Pairwise precision/recall of our verdicts (or TMK's at 0.7/0.7, over the pairs it saw)."""
    tp = fp = fn = 0
    for o in outcomes:
        if tmk and o.tmk_match is None:
            continue
        said = bool(o.tmk_match) if tmk else o.score is not None
        tp += said and o.same_family
        fp += said and not o.same_family
        fn += (not said) and o.same_family
    return Rates(tp, fp, fn)


# ---- 2. generated re-uploads -----------------------------------------------------------------------

RealVariantFn = Callable[[Frames, np.random.Generator], Frames]

#: Variant name → transform of a batch of decoded frames; the clip is then re-encoded at a lower bitrate.
REAL_VARIANTS: dict[str, RealVariantFn] = {
    "reencode": lambda f, rng: f,
    "resize": lambda f, rng: _half_size(f),
    "crop5": lambda f, rng: crop(f, 0.05, rng),
    "crop10": lambda f, rng: crop(f, 0.10, rng),
    "mirror": lambda f, rng: mirror(f),
    "logo_small": lambda f, rng: overlay_logo(f, rng, area_fraction=0.04),
    "logo_large": lambda f, rng: overlay_logo(f, rng, area_fraction=0.16),
}
#: The issue's goal: recall ≥ 0.9 on each of these at precision ≥ 0.99 over all queries.
GOAL_RECALL, GOAL_PRECISION = 0.9, 0.99


def _half_size(frames: Frames) -> Frames:
    return resize(frames, frames.shape[2] // 2, frames.shape[1] // 2)


@dataclass(frozen=True, slots=True)
class RealVariantScore(VariantScore):
    """A variant's counts over its queries, plus returned clips of the source's own family (genuine copies).

    ``missed`` names the source clips whose re-upload did not find them; ``whole_true_positives`` and
    ``whole_false_positives`` count the same queries matched on whole-frame hashes only (version-1
    fingerprints, the baseline the half-frame hashes are measured against).
    """

    family_hits: int
    missed: tuple[str, ...] = ()
    whole_true_positives: int = 0
    whole_false_positives: int = 0


def _bit_rate(path: Path) -> int:
    with av.open(str(path)) as container:
        rate = container.bit_rate or container.streams.video[0].bit_rate or 0
    return int(rate)


def make_real_variants(
    path: Path,
    seed: int,
    names: Iterable[str] | None = None,
    bitrate_fraction: float = 0.25,
    max_seconds: float | None = None,
) -> dict[str, bytes]:
    """Decode ``path`` once (in batches) and re-encode it as each named variant at a fraction of its bitrate.

    Each variant draws its random parameters (crop offsets, logo corner and colour) from a generator
    seeded per variant and re-seeded per batch, so every batch of one variant gets the same edit.
    """
    chosen = list(names or REAL_VARIANTS)
    bit_rate = max(100_000, round(_bit_rate(path) * bitrate_fraction))
    encoders: dict[str, Encoder] = {}
    for frames, fps in iter_decode(path, max_seconds=max_seconds):
        for k, name in enumerate(chosen):
            encoder = encoders.setdefault(name, Encoder(fps, bit_rate))
            encoder.write(REAL_VARIANTS[name](frames, np.random.default_rng([seed, k])))
    return {name: encoder.finish() for name, encoder in encoders.items()}


def evaluate_variants(
    clips: dict[str, Path],
    fingerprints: dict[str, VideoFingerprint],
    sources: Iterable[str] | None = None,
    variants: Iterable[str] | None = None,
    seed: int = 0,
    max_seconds: float | None = None,
    on_step: Callable[[str], None] | None = None,
) -> list[RealVariantScore]:
    """Re-upload each source clip as every variant and query an index of all ``fingerprints``.

    ``fingerprints`` (of every clip, sources and distractors) must have been taken with the same
    ``max_seconds``. One score per variant, then ``overall``.
    """
    index = _index(fingerprints)
    whole_index = _index({name: fp.whole_frames_only() for name, fp in fingerprints.items()})
    algorithm = next(iter(fingerprints.values())).algorithm
    names = list(variants or REAL_VARIANTS)
    step = on_step or (lambda _label: None)
    counts: dict[str, list[int]] = {name: [0] * 7 for name in names}
    missed: dict[str, list[str]] = {name: [] for name in names}
    for k, source in enumerate(sources or clips):
        made = make_real_variants(clips[source], seed * 1000 + k, names, max_seconds=max_seconds)
        for name, data in made.items():
            query = fingerprint_video(data, algorithm=algorithm)
            found = {m.video_id for m in index.query(query, limit=len(fingerprints))}
            whole = {m.video_id for m in whole_index.query(query.whole_frames_only(), limit=len(fingerprints))}
            kin = {v for v in found | whole if v != source and family(v) == family(source)}
            row = counts[name]
            row[0] += 1
            row[1] += int(source in found)
            row[2] += len(found - kin - {source})
            row[3] += int(source not in found)
            row[4] += len(kin & found)
            row[5] += int(source in whole)
            row[6] += len(whole - kin - {source})
            if source not in found:
                missed[name].append(source)
            step(f"{source} {name}")
    total = [int(x) for x in np.sum(list(counts.values()), axis=0)]
    missed["overall"] = [f"{source} {name}" for name in names for source in missed[name]]
    return [
        RealVariantScore(
            tp,
            fp,
            fn,
            variant=name,
            queries=queries,
            family_hits=kin,
            missed=tuple(missed[name]),
            whole_true_positives=whole_tp,
            whole_false_positives=whole_fp,
        )
        for name, (queries, tp, fp, fn, kin, whole_tp, whole_fp) in (counts | {"overall": total}).items()
    ]


def goal_met(scores: list[RealVariantScore]) -> bool:
    by_name = {s.variant: s for s in scores}
    recall_ok = all(by_name[v].recall >= GOAL_RECALL for v in REAL_VARIANTS if v in by_name)
    return recall_ok and by_name["overall"].precision >= GOAL_PRECISION


def _index(fingerprints: dict[str, VideoFingerprint]) -> VideoIndex:
    index = VideoIndex(next(iter(fingerprints.values())).algorithm)
    for name, fp in fingerprints.items():
        index.add(name, fp)
    return index
