"""The video fingerprints on real footage: a few of ThreatExchange's TMK+PDQF sample videos (BSD), first seconds only.

The clips are read from ``$WANGHONG_TMK_SAMPLES`` (a directory of the ``.mp4`` files, or a
ThreatExchange git directory, bare mirror or checkout, from which they are extracted into a
temporary directory); the test skips, saying so, when neither is there.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from wanghong.originality.engine.video import VideoFingerprint, real_clips

SAMPLES = Path(os.environ.get("WANGHONG_TMK_SAMPLES", "/work/.mirror/facebook+ThreatExchange/repo"))
CLIPS = (
    "chair-orig-22-sd-bar",
    "chair-22-with-small-logo-bar",
    "chair-22-sd-sepia-bar",
    "pattern-sd-grey-bar",
    "pattern-hd-no-bar",
    "doorknob-hd-no-bar",
)
SOURCES = ("chair-orig-22-sd-bar", "pattern-sd-grey-bar", "doorknob-hd-no-bar")
SECONDS = 5.0


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    if not SAMPLES.exists():
        pytest.skip(f"no TMK sample videos at {SAMPLES}: set WANGHONG_TMK_SAMPLES to the clips or a ThreatExchange git")
    if not any(SAMPLES.glob("*.mp4")) and shutil.which("git") is None:
        pytest.skip(f"{SAMPLES} is a git directory and git is not installed to extract the clips from it")
    found = real_clips.sample_clips(SAMPLES, tmp_path_factory.mktemp("tmk-samples"), CLIPS)
    missing = set(CLIPS) - set(found)
    if missing:
        pytest.skip(f"{SAMPLES} lacks sample clips {sorted(missing)}")
    return found


@pytest.fixture(scope="module")
def fingerprints(clips: dict[str, Path]) -> dict[str, VideoFingerprint]:
    return real_clips.fingerprint_clips(clips, max_seconds=SECONDS)


def test_published_families_match_within_and_never_across(fingerprints: dict[str, VideoFingerprint]) -> None:
    outcomes = real_clips.evaluate_families(fingerprints)
    wrong = [o for o in outcomes if o.same_family != (o.score is not None)]
    assert not wrong, wrong
    rates = real_clips.family_rates(outcomes)
    # chair: 3 clips, pattern: 2 → 3·2 + 2·1 ordered pairs to find, the rest (22) to reject
    assert (rates.true_positives, rates.false_positives, rates.false_negatives) == (8, 0, 0)
    # TMK's published clustering of the same files agrees on these pairs
    assert real_clips.family_rates(outcomes, tmk=True).recall == 1.0


#: The issue's goal holds on these; crop 10 % misses it on the flat doorknob clip, whose few strong DCT
#: terms any crop reorders (bench/originality_video_real.py prints the whole table and names the misses).
GOAL_VARIANTS = ("reencode", "resize", "crop5", "mirror", "logo_small", "logo_large")


def test_generated_reuploads_with_real_distractors(
    clips: dict[str, Path], fingerprints: dict[str, VideoFingerprint]
) -> None:
    scores = {s.variant: s for s in real_clips.evaluate_variants(clips, fingerprints, SOURCES, max_seconds=SECONDS)}
    assert set(scores) == {*real_clips.REAL_VARIANTS, "overall"}
    assert all(scores[v].queries == len(SOURCES) for v in real_clips.REAL_VARIANTS)
    for variant in GOAL_VARIANTS:
        assert scores[variant].recall >= real_clips.GOAL_RECALL, scores[variant]
    # Not one re-upload names a clip of another scene, and each found its own family's copies too.
    assert scores["overall"].precision >= real_clips.GOAL_PRECISION, scores["overall"]
    assert scores["overall"].false_positives == 0
    assert scores["reencode"].family_hits == 3  # chair: its sepia and small-logo copies; pattern: the HD take
    # The barred chair clip survives every edit, a logo stamped across its black bar included: before
    # the bar trim looked past the logo, both logo variants lost it (and 8 of 14 clips at full length).
    assert all("chair-orig-22-sd-bar" not in scores[v].missed for v in real_clips.REAL_VARIANTS)
    assert scores["crop10"].recall >= 2 / 3
    # The half-frame hashes are what finds the logo variants: on whole frames only (the same queries,
    # version-1 fingerprints) the large logo loses two of three (logo_small one), and neither way
    # names another scene.
    assert scores["logo_large"].whole_true_positives < scores["logo_large"].true_positives
    assert scores["logo_small"].whole_true_positives < scores["logo_small"].true_positives
    assert scores["overall"].whole_false_positives == 0


def test_tmk_reference_tables_name_real_sample_clips(clips: dict[str, Path]) -> None:
    named = set().union(*real_clips.TMK_PAIR_SCORES, *real_clips.TMK_CLUSTERS)
    assert set(CLIPS) <= named
    assert real_clips.tmk_matches("chair-orig-22-sd-bar", "chair-22-sd-sepia-bar") is True
    assert real_clips.tmk_matches("pattern-sd-grey-bar", "pattern-sd-with-large-logo-bar") is False
    assert real_clips.tmk_matches("test-padded-dimensions", "doorknob-hd-no-bar") is None
    assert {real_clips.family(c) for c in clips} == {"chair", "pattern", "doorknob"}
