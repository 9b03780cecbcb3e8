"""Video fingerprints on real footage: ThreatExchange's TMK+PDQF sample videos (BSD), TMK's results beside ours.

Run: .venv/bin/python bench/originality_video_real.py [--videos DIR-or-mirror] [--seconds S]

``--videos`` is a directory of the sample ``.mp4`` files or a ThreatExchange git directory (bare
mirror or checkout), default ``$WANGHONG_TMK_SAMPLES`` or the mirror at DEFAULT_SAMPLES; from a git
directory the clips are extracted to a temporary directory, never into this repository.

1. Cost: seconds to fingerprint the clips, as a ratio to FFmpeg decoding them alone (the baseline, same run).
2. Published families: every ordered pair of sample clips, our verdict and score beside TMK's
   level-1/level-2 scores where tmk/README.md prints them and its 0.7/0.7 clustering; pairwise P/R.
3. Generated re-uploads of every real clip (re-encode at ¼ bitrate, half size, crop 5 % and 10 %,
   mirror, small and large logo), the other real clips indexed as distractors: per-variant P/R and
   the issue's goal line.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import av
import numpy as np

from wanghong.originality.engine.video import VideoFingerprint, real_clips
from wanghong.originality.engine.video.index import FRAME_RADIUS

DEFAULT_SAMPLES = Path("/work/.mirror/facebook+ThreatExchange/repo")


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} CPUs"


def families(fingerprints: dict[str, VideoFingerprint], seconds: float | None) -> None:
    print("\n== 2. published sample families (ordered pairs; query → indexed) ==")
    if seconds is not None:
        print(f"  (our side sees the first {seconds:g} s only; TMK's published figures are for the whole clips)")
    outcomes = real_clips.evaluate_families(fingerprints)
    whole = real_clips.evaluate_families({name: fp.whole_frames_only() for name, fp in fingerprints.items()})
    algorithm = next(iter(fingerprints.values())).algorithm
    print(f"{'query':32s} {'indexed':32s} {'same':4s} {'ours':>6s} {'TMK l1/l2':>15s} {'TMK@0.7':>7s}")
    for o in outcomes:
        if not o.same_family and o.score is None:
            continue  # a correctly rejected cross-family pair; counted below
        ours = "-" if o.score is None else f"{o.score:.3f}"
        tmk = "" if o.tmk_scores is None else f"{o.tmk_scores[0]:.3f}/{o.tmk_scores[1]:.3f}"
        tmk_says = {None: "n/a", True: "match", False: "miss"}[o.tmk_match]
        same = "yes" if o.same_family else "NO"
        print(f"{o.query:32s} {o.reference:32s} {same:4s} {ours:>6s} {tmk:>15s} {tmk_says:>7s}")
    for label, rates in (
        (f"ours ({algorithm}, temporal vote)", real_clips.family_rates(outcomes)),
        ("ours, whole frames only (baseline)", real_clips.family_rates(whole)),
        ("TMK+PDQF at 0.7/0.7 (published)", real_clips.family_rates(outcomes, tmk=True)),
    ):
        print(
            f"{label:34s} TP={rates.true_positives:3d} FP={rates.false_positives:3d} FN={rates.false_negatives:3d}"
            f"  P={rates.precision:.3f} R={rates.recall:.3f}"
        )
    print(f"  ({sum(not o.same_family for o in outcomes)} cross-family ordered pairs are negatives)")


def _codes(fp: VideoFingerprint, halves: bool, mirrored: bool) -> np.ndarray:
    """Unpacked bits of the usable whole-frame hashes, or of the usable halves (pooled, as the index holds them)."""
    if not halves:
        codes = (fp.mirror_hashes if mirrored else fp.hashes)[fp.usable]
    else:
        assert fp.half_hashes is not None and fp.half_mirror_hashes is not None
        frames, sides = np.nonzero(fp.half_usable)
        codes = (fp.half_mirror_hashes if mirrored else fp.half_hashes)[frames, sides]
    return np.unpackbits(codes, axis=1).astype(np.int8)


def margins(fingerprints: dict[str, VideoFingerprint]) -> None:
    """Hamming distances between frames of clips of different scenes (mirror images included): the margin."""
    radius = FRAME_RADIUS[next(iter(fingerprints.values())).algorithm]
    print(f"\n== 2b. unrelated real frames: distances between clips of different scenes (radius {radius}) ==")
    for label, halves in (("whole frames (baseline)", False), ("halves, pooled", True)):
        parts = []
        for query, a in fingerprints.items():
            for reference, b in fingerprints.items():
                if real_clips.family(query) == real_clips.family(reference):
                    continue
                left = _codes(a, halves, False)
                for mirrored in (False, True):
                    right = _codes(b, halves, mirrored)
                    parts.append((left[:, None, :] != right[None, :, :]).sum(axis=2).ravel())
        d = np.concatenate(parts)
        print(
            f"{label:24s} pairs={d.size:7d} min={d.min():2d} p0.1={np.percentile(d, 0.1):4.1f}"
            f" p1={np.percentile(d, 1):4.1f} median={np.median(d):4.1f} within radius={int((d <= radius).sum())}"
        )


def variants(clips: dict[str, Path], fingerprints: dict[str, VideoFingerprint], seconds: float | None) -> None:
    print(f"\n== 3. generated re-uploads of {len(clips)} real clips, all {len(fingerprints)} indexed ==")
    started = time.perf_counter()
    scores = real_clips.evaluate_variants(
        clips,
        fingerprints,
        max_seconds=seconds,
        on_step=lambda label: print(f"  {time.perf_counter() - started:6.0f}s {label}", file=sys.stderr),
    )
    for s in scores:
        print(
            f"{s.variant:11s} n={s.queries:3d} TP={s.true_positives:3d} FP={s.false_positives:2d}"
            f" FN={s.false_negatives:2d} family={s.family_hits:3d}  P={s.precision:.3f} R={s.recall:.3f}"
            f"  | whole frames only: TP={s.whole_true_positives:3d} FP={s.whole_false_positives:2d}"
            f" R={s.whole_true_positives / s.queries:.3f} ({s.true_positives / max(1, s.whole_true_positives):.2f}x)"
            + (f"  missed: {', '.join(s.missed)}" if s.missed and s.variant != "overall" else "")
        )
    mark = "[met]" if real_clips.goal_met(scores) else "[MISSED]"
    print(
        f"goal: recall ≥ {real_clips.GOAL_RECALL} at precision ≥ {real_clips.GOAL_PRECISION} for re-encode, resize,"
        f" crop ≤ 10%, mirror and logo variants {mark}"
    )


def decode_only(path: Path, seconds: float | None) -> None:
    """The baseline: FFmpeg decoding every frame, with no colour conversion or hashing."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"  # as fingerprint_video decodes
        for frame in container.decode(stream):
            if seconds is not None and frame.time is not None and frame.time > seconds:
                break


def cost(clips: dict[str, Path], seconds: float | None, algorithm: str) -> dict[str, VideoFingerprint]:
    started = time.perf_counter()
    for path in clips.values():
        decode_only(path, seconds)
    decode_s = time.perf_counter() - started
    started = time.perf_counter()
    real_clips.fingerprint_clips(clips, algorithm, max_seconds=seconds, halves=False)
    whole_s = time.perf_counter() - started
    started = time.perf_counter()
    fingerprints = real_clips.fingerprint_clips(clips, algorithm, max_seconds=seconds)
    fingerprint_s = time.perf_counter() - started
    print(
        f"\n== 1. fingerprinting {len(clips)} clips ({algorithm}): {fingerprint_s:.1f}s ="
        f" {fingerprint_s / decode_s:.2f}x decoding them alone ({decode_s:.1f}s, baseline);"
        f" whole frames only {whole_s:.1f}s = {whole_s / decode_s:.2f}x  [{load()}]"
    )
    return fingerprints


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--videos", type=Path, default=Path(os.environ.get("WANGHONG_TMK_SAMPLES", DEFAULT_SAMPLES)))
    parser.add_argument("--seconds", type=float, default=None, help="use only the first S seconds of every clip")
    parser.add_argument("--algorithm", choices=("phash", "pdq"), default="phash")
    parser.add_argument("--skip-variants", action="store_true")
    args = parser.parse_args()
    if not args.videos.exists():
        sys.exit(f"{args.videos}: no sample videos there (pass --videos or set WANGHONG_TMK_SAMPLES)")
    print(f"ThreatExchange TMK sample videos from {args.videos} (measured at commit {real_clips.TMK_COMMIT})")
    print(load())
    with tempfile.TemporaryDirectory(prefix="tmk-samples-") as scratch:
        clips = real_clips.sample_clips(args.videos, Path(scratch))
        print(f"{len(clips)} clips: {', '.join(sorted(clips))}")
        fingerprints = cost(clips, args.seconds, args.algorithm)
        families(fingerprints, args.seconds)
        margins(fingerprints)
        if not args.skip_variants:
            variants(clips, fingerprints, args.seconds)
    print(load())


if __name__ == "__main__":
    main()
