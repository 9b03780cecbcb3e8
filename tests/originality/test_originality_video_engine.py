"""Behaviour of the video near-duplicate engine on deterministic synthetic clips."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from wanghong.originality.engine.video import (
    DuplicateVideoIdError,
    EmptyVideoError,
    FingerprintFormatError,
    HammingIndex,
    VideoDecodeError,
    VideoFingerprint,
    VideoIndex,
    brute_force_search,
    fingerprint_video,
    hash_frame,
    synthetic,
)
from wanghong.originality.engine.video.evaluation import evaluate
from wanghong.originality.engine.video.fingerprint import _trim_borders as trim_borders
from wanghong.originality.engine.video.fingerprint import hash_frame_regions
from wanghong.originality.engine.video.index import FRAME_RADIUS


def _distance(a: np.ndarray, b: np.ndarray) -> int:
    """Hamming distance between two packed hashes."""
    return int(np.unpackbits(np.bitwise_xor(a, b).astype(np.uint8)).sum())


@pytest.fixture(scope="module")
def original() -> bytes:
    return synthetic.make_clip(synthetic.ClipSpec(seed=7, seconds=6.0))


@pytest.fixture(scope="module")
def other() -> bytes:
    return synthetic.make_clip(synthetic.ClipSpec(seed=8, seconds=6.0))


def test_thresholds_per_variant_on_generated_set() -> None:
    scores = {s.variant: s for s in evaluate(originals=3, distractors=2, negatives=2, seconds=6.0, seed=1)}
    for variant in ("reencode", "resize", "crop", "mirror", "logo"):
        assert scores[variant].recall >= 0.9, scores[variant]
    for variant in ("colour", "clip", "embedded"):
        assert scores[variant].recall >= 0.6, scores[variant]
    assert scores["overall"].precision >= 0.99, scores["overall"]
    assert scores["negative"].false_positives == 0


def test_clip_inside_longer_video_is_found_with_its_offset(original: bytes, other: bytes) -> None:
    index = VideoIndex()
    index.add("source", fingerprint_video(original))
    index.add("unrelated", fingerprint_video(other))
    frames, fps = synthetic.decode(original)
    cut = synthetic.encode(synthetic.extract(frames, fps, start_s=2.0, seconds=3.0), fps, 200_000)
    matches = index.query(fingerprint_video(cut))
    assert [m.video_id for m in matches] == ["source"]
    assert matches[0].kind == "clip"
    assert abs(matches[0].offset_s - 2.0) <= 0.5
    # The other direction: the indexed video is the short clip, the query is the long host.
    short_index = VideoIndex()
    short_index.add("cut", fingerprint_video(cut))
    host = synthetic.embed_clip(other, cut, at_s=1.5)
    found = short_index.query(fingerprint_video(host))
    assert [m.video_id for m in found] == ["cut"]
    assert found[0].kind == "clip"
    assert abs(found[0].offset_s + 1.5) <= 0.5


def test_mirrored_reupload_is_reported_as_mirrored(original: bytes) -> None:
    index = VideoIndex()
    index.add("source", fingerprint_video(original))
    flipped = synthetic.make_variant(original, "mirror", np.random.default_rng(0))
    (match,) = index.query(fingerprint_video(flipped))
    assert match.mirrored and match.kind == "whole"
    (plain,) = index.query(fingerprint_video(original))
    assert not plain.mirrored and plain.score == 1.0


def test_fingerprint_round_trips_through_bytes_and_hex(original: bytes, tmp_path: Path) -> None:
    path = tmp_path / "clip.mp4"
    path.write_bytes(original)
    fp = fingerprint_video(path)
    assert fp == fingerprint_video(original)
    assert 5.5 <= fp.duration_s <= 6.5 and len(fp) == 12
    assert VideoFingerprint.from_bytes(fp.to_bytes()) == fp
    assert VideoFingerprint.from_hex(fp.to_hex()).digest() == fp.digest()
    with pytest.raises(FingerprintFormatError, match="length"):
        VideoFingerprint.from_bytes(fp.to_bytes()[:-1])
    with pytest.raises(FingerprintFormatError, match="magic"):
        VideoFingerprint.from_bytes(b"XXXX" + fp.to_bytes()[4:])


@pytest.mark.parametrize(
    ("content", "error", "fragment"),
    [
        (b"", EmptyVideoError, "zero-length"),
        (bytes(np.random.default_rng(3).integers(0, 256, 4096, dtype=np.uint8)), VideoDecodeError, "decode"),
        (None, VideoDecodeError, "decode"),  # truncated real file, filled in below
    ],
)
def test_bad_files_raise_clear_errors_and_leave_index_intact(
    original: bytes, tmp_path: Path, content: bytes | None, error: type[ValueError], fragment: str
) -> None:
    path = tmp_path / "upload.mp4"
    path.write_bytes(original[: len(original) // 2] if content is None else content)
    index = VideoIndex()
    index.add("source", fingerprint_video(original))
    before = (index.frame_count, index.video_ids)
    with pytest.raises(error, match=fragment) as caught:
        index.add("bad", fingerprint_video(path))
    assert isinstance(caught.value, ValueError) and str(path) in str(caught.value)
    assert (index.frame_count, index.video_ids) == before
    with pytest.raises(DuplicateVideoIdError):
        index.add("source", fingerprint_video(original))
    assert (index.frame_count, index.video_ids) == before


def test_index_save_load_keeps_answers(original: bytes, other: bytes, tmp_path: Path) -> None:
    index = VideoIndex()
    index.add("a", fingerprint_video(original))
    index.add("b", fingerprint_video(other))
    index.save(tmp_path / "idx.npz")
    loaded = VideoIndex.load(tmp_path / "idx.npz")
    query = fingerprint_video(synthetic.make_variant(other, "crop", np.random.default_rng(1)))
    assert loaded.query(query) == index.query(query)
    assert loaded.query(query)[0].video_id == "b"
    (tmp_path / "junk.npz").write_bytes(b"not an index")
    with pytest.raises(ValueError, match=r"junk\.npz"):
        VideoIndex.load(tmp_path / "junk.npz")


@pytest.mark.parametrize(("code_bytes", "radius"), [(8, 12), (32, 64)])
def test_hamming_index_finds_exactly_what_brute_force_finds(code_bytes: int, radius: int) -> None:
    rng = np.random.default_rng(code_bytes)
    codes = rng.integers(0, 256, (30_000, code_bytes), dtype=np.uint8)
    queries = codes[rng.choice(len(codes), 50, replace=False)].copy()
    bits = np.unpackbits(queries, axis=1)
    flips = rng.integers(0, radius + 1, len(bits))
    flips[0] = radius  # the boundary itself: faiss keeps distances strictly below its own radius argument
    for row, flip in zip(bits, flips, strict=True):
        row[rng.choice(bits.shape[1], int(flip), replace=False)] ^= 1
    queries = np.packbits(bits, axis=1)
    index = HammingIndex(code_bytes)
    assert index.add(codes[:29_000]).tolist() == list(range(29_000))
    assert index.add(codes[29_000:])[0] == 29_000  # appended without rebuilding
    assert np.array_equal(index.codes, codes)
    expected = brute_force_search(codes, queries, radius)
    got = index.search(queries, radius)
    assert sorted(zip(got.query.tolist(), got.ids.tolist(), got.distance.tolist(), strict=True)) == sorted(
        zip(expected.query.tolist(), expected.ids.tolist(), expected.distance.tolist(), strict=True)
    )
    assert int(expected.distance.max()) == radius  # the boundary is exercised
    assert len(expected.query) >= 50


def test_bars_are_trimmed_even_with_a_logo_stamped_across_one() -> None:
    frame = synthetic.generate_frames(synthetic.ClipSpec(seed=3, seconds=0.1, width=240, height=320))[0]
    barred = np.zeros((320, 320, 3), dtype=np.uint8)
    barred[:, 40:280] = frame  # pillarbox, as a 3:4 clip shown 1:1
    plain, _, _ = hash_frame(frame)
    logo_on_bar = synthetic.overlay_logo(barred[None], np.random.default_rng(2), area_fraction=0.04)[0]
    assert logo_on_bar[:, :40].any() or logo_on_bar[:, 280:].any()  # the logo lies across a bar
    for variant in (barred, logo_on_bar):
        code, _, _ = hash_frame(variant)
        assert _distance(code, plain) <= 8
    # A dark edge of the picture itself, on one side only, is not a bar: nothing is cut.
    shadow = frame.copy()
    shadow[:200, :30] = 0
    assert trim_borders(shadow).shape == shadow.shape
    assert trim_borders(barred).shape == frame.shape


def test_version_1_fingerprints_and_indexes_still_load(original: bytes, other: bytes, tmp_path: Path) -> None:
    fp = fingerprint_video(original)
    old = fp.whole_frames_only()
    assert old == fingerprint_video(original, halves=False)
    data = old.to_bytes()
    assert data[4] == 1 and len(data) < len(fp.to_bytes())  # written as version 1, as before
    read = VideoFingerprint.from_bytes(data)
    assert read.half_hashes is None and not read.half_usable.any() and read == old
    with pytest.raises(FingerprintFormatError, match="unsupported version 9"):
        VideoFingerprint.from_bytes(data[:4] + bytes([9]) + data[5:])
    # An index saved before the halves (format 1, whole-frame table only) answers as it did.
    index = VideoIndex()
    index.add("a", old)
    index.add("b", fingerprint_video(other, halves=False))
    index.save(tmp_path / "new.npz")
    with np.load(tmp_path / "new.npz") as saved:
        arrays = {k: saved[k] for k in saved.files if not k.startswith("half_")}
    arrays["format"] = np.array(1)
    np.savez_compressed(tmp_path / "old.npz", **arrays)
    loaded = VideoIndex.load(tmp_path / "old.npz")
    query = fingerprint_video(synthetic.make_variant(original, "crop", np.random.default_rng(1)))
    assert loaded.query(query) == index.query(query)
    assert loaded.query(query)[0].video_id == "a"
    arrays["format"] = np.array(7)
    np.savez_compressed(tmp_path / "future.npz", **arrays)
    with pytest.raises(ValueError, match="unsupported index format 7"):
        VideoIndex.load(tmp_path / "future.npz")


def test_half_hashes_survive_a_corner_logo_that_moves_the_whole_frame_out_of_reach() -> None:
    frame = synthetic.generate_frames(synthetic.ClipSpec(seed=5, seconds=0.1, width=320, height=240))[0]
    (whole, _, _), left, right = hash_frame_regions(frame)
    # A 16 % logo (this seed puts it in a left corner) lies wholly in the left half.
    stamped = synthetic.overlay_logo(frame[None], np.random.default_rng(0), area_fraction=0.16)[0]
    assert np.array_equal(stamped[:, 160:], frame[:, 160:])
    (stamped_whole, _, _), _, stamped_right = hash_frame_regions(stamped)
    assert _distance(stamped_whole, whole) > FRAME_RADIUS["phash"]
    assert np.array_equal(stamped_right[0], right[0])
    # The mirror of the left half is the mirrored frame's right half, so a mirrored copy's halves match too.
    _, _, mirrored_right = hash_frame_regions(np.ascontiguousarray(frame[:, ::-1]))
    assert _distance(mirrored_right[0], left[1]) <= 4
