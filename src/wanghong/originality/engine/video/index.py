"""Whole-video and clip matching over an index of frame hashes.

Each query frame (and its mirror image) is looked up by an exact Hamming radius search (``hamming``)
over every indexed frame; each hit votes for (video, orientation, time offset = reference time −
query time). A genuine copy piles its votes on one offset — a diagonal in the (query time, reference
time) match matrix — while chance hits scatter, so the count of distinct query frames on the best
diagonal (at least ``min_frames``), divided by the number of query frames between its first and last
match, is the match score. This is the
temporal-consistency vote of copy-detection systems such as Douze et al., "An evaluation of
near-duplicate video detection with Hough transform voting" (2010).

Each frame is indexed by its whole-frame hash and, in a second table, by the hashes of its left and
right halves, pooled (so that a mirrored query's left half finds the reference's right half). A
query frame hits a reference frame when the whole frames, or any two halves, lie within the radius,
and votes once on its diagonal however many pairs hit. A corner logo or a 10 % crop that moves the
whole-frame hash out of reach often leaves one half's in it (``real_clips`` measures both).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np

from wanghong.originality.engine.video.errors import VideoInputError
from wanghong.originality.engine.video.fingerprint import HASH_BYTES, VideoFingerprint
from wanghong.originality.engine.video.hamming import HammingIndex

#: Per-frame Hamming radius for a candidate frame match, by algorithm (64-bit pHash, 256-bit PDQ);
#: chosen from the distance distributions printed by ``bench/originality_video.py``.
FRAME_RADIUS = {"phash": 12, "pdq": 64}
#: Format 2 adds the half-frame table; format 1 files (whole frames only) still load.
_INDEX_FORMAT = 2
_READABLE_FORMATS = (1, 2)


@dataclass(frozen=True, slots=True)
class VideoMatch:
    """One indexed video that the query copies (or is copied by).

    ``offset_s`` is reference time minus query time: the query's start lies ``offset_s`` seconds into
    the reference (negative: the reference starts ``-offset_s`` seconds into the query).
    ``score`` is the fraction of query frames in the matched run (first to last match) that match on
    that diagonal; ``overlap_s`` is the run's length and ``kind`` is ``whole`` when it covers ≥ 80 %
    of the longer video.
    """

    video_id: str
    score: float
    kind: Literal["whole", "clip"]
    offset_s: float
    matched_frames: int
    overlap_s: float
    mirrored: bool


class DuplicateVideoIdError(VideoInputError):
    """``add`` called twice with the same video id."""


class VideoIndex:
    """In-memory index of video fingerprints; ``save``/``load`` persist it as a pickle-free ``.npz``."""

    def __init__(self, algorithm: str = "phash") -> None:
        if algorithm not in HASH_BYTES:
            raise ValueError(f"algorithm must be one of {tuple(HASH_BYTES)}, got {algorithm!r}")
        self.algorithm = algorithm
        self._hashes = HammingIndex(HASH_BYTES[algorithm])
        self._frame_video = np.empty(0, dtype=np.int32)
        self._frame_time = np.empty(0, dtype=np.float32)
        self._halves = HammingIndex(HASH_BYTES[algorithm])
        self._half_video = np.empty(0, dtype=np.int32)
        self._half_time = np.empty(0, dtype=np.float32)
        self._video_ids: list[str] = []
        self._positions: dict[str, int] = {}
        self._durations: list[float] = []

    def __len__(self) -> int:
        return len(self._video_ids)

    def __contains__(self, video_id: object) -> bool:
        return video_id in self._positions

    @property
    def frame_count(self) -> int:
        return len(self._hashes)

    @property
    def video_ids(self) -> list[str]:
        return list(self._video_ids)

    def add(self, video_id: str, fingerprint: VideoFingerprint) -> None:
        """Index the usable frames of ``fingerprint`` under ``video_id``; validates before changing anything."""
        if not isinstance(video_id, str) or not video_id:
            raise VideoInputError(repr(video_id), "视频 ID 必须是非空字符串 video_id must be a non-empty string")
        if video_id in self._positions:
            raise DuplicateVideoIdError(video_id, "该视频 ID 已在索引中 already indexed; use a new id")
        if fingerprint.algorithm != self.algorithm:
            raise VideoInputError(
                video_id,
                f"指纹算法 {fingerprint.algorithm} 与索引 {self.algorithm} 不一致 fingerprint algorithm mismatch",
            )
        usable = fingerprint.usable
        if not usable.any():
            raise VideoInputError(video_id, "没有可用画面 (全是黑屏/纯色) no informative frame to index")
        position = len(self._video_ids)
        self._hashes.add(fingerprint.hashes[usable])
        self._frame_video = np.concatenate([self._frame_video, np.full(int(usable.sum()), position, np.int32)])
        self._frame_time = np.concatenate([self._frame_time, fingerprint.timestamps[usable].astype(np.float32)])
        frames, halves, _ = _half_codes(fingerprint)
        if frames.size:
            self._halves.add(halves)
            self._half_video = np.concatenate([self._half_video, np.full(frames.size, position, np.int32)])
            self._half_time = np.concatenate([self._half_time, fingerprint.timestamps[frames].astype(np.float32)])
        self._video_ids.append(video_id)
        self._positions[video_id] = position
        self._durations.append(fingerprint.duration_s)

    def query(
        self,
        fingerprint: VideoFingerprint,
        min_score: float = 0.35,
        min_frames: int = 4,
        radius: int | None = None,
        limit: int = 10,
    ) -> list[VideoMatch]:
        """Indexed videos sharing a time-aligned run of near-identical frames with ``fingerprint``, best first."""
        if fingerprint.algorithm != self.algorithm:
            raise VideoInputError("query", f"指纹算法 {fingerprint.algorithm} 与索引 {self.algorithm} 不一致")
        if self.frame_count == 0:
            return []
        radius = FRAME_RADIUS[self.algorithm] if radius is None else radius
        times = fingerprint.timestamps.astype(np.float64)
        whole = np.flatnonzero(fingerprint.usable)
        tables = [
            (
                self._hashes,
                self._frame_video,
                self._frame_time,
                whole,
                fingerprint.hashes[whole],
                fingerprint.mirror_hashes[whole],
            ),
            (self._halves, self._half_video, self._half_time, *_half_codes(fingerprint)),
        ]
        found_q, found_video, found_time, found_mirror = [], [], [], []
        for table, frame_video, frame_time, frames, codes, mirror_codes in tables:
            if frames.size == 0 or len(table) == 0:
                continue
            table_hits = table.search(np.concatenate([codes, mirror_codes]), radius)
            found_q.append(frames[table_hits.query % frames.size])
            found_mirror.append(table_hits.query >= frames.size)
            found_video.append(frame_video[table_hits.ids].astype(np.int64))
            found_time.append(frame_time[table_hits.ids].astype(np.float64))
        if not found_q or sum(q.size for q in found_q) == 0:
            return []
        # Frame numbers of the query (not of its usable subset), which the two tables' hits share.
        qframe = np.concatenate(found_q)
        mirrored = np.concatenate(found_mirror)
        video = np.concatenate(found_video)
        offset = np.concatenate(found_time) - times[qframe]
        step = 1.0 / fingerprint.sample_fps
        # Sample grids of two uploads are misaligned by up to one step, so a true diagonal spreads
        # over two adjacent offset bins: vote into both bin b and bin b-1 and take the best label.
        base_bin = np.floor(offset / step).astype(np.int64)
        labels = np.concatenate([base_bin, base_bin - 1])
        hit_index = np.concatenate([np.arange(qframe.size)] * 2)
        groups = np.stack([video[hit_index], mirrored[hit_index].astype(np.int64), labels, qframe[hit_index]], axis=1)
        # One vote per query frame per diagonal, however many reference frames it hit there.
        groups, first = np.unique(groups, axis=0, return_index=True)
        diagonals, inverse, votes = np.unique(groups[:, :3], axis=0, return_inverse=True, return_counts=True)
        inverse = inverse.ravel()
        matches: dict[int, VideoMatch] = {}
        for d in np.argsort(-votes, kind="stable"):
            if votes[d] < min_frames:
                break
            vid, is_mirror, _ = diagonals[d]
            if vid in matches:
                continue
            members = hit_index[first[inverse == d]]
            off = float(np.median(offset[members]))
            # Density of the matched run: matched frames over all query frames between the first and
            # last match. A clip spliced into an unrelated host scores high on its own run, while
            # chance hits spread thinly over a long span.
            first_q, last_q = int(qframe[members].min()), int(qframe[members].max())
            score = min(1.0, votes[d] / (last_q - first_q + 1))
            if score < min_score:
                continue
            overlap_s = float(times[last_q] - times[first_q]) + step
            whole = overlap_s >= 0.8 * max(self._durations[vid], fingerprint.duration_s)
            matches[int(vid)] = VideoMatch(
                video_id=self._video_ids[vid],
                score=round(float(score), 4),
                kind="whole" if whole else "clip",
                offset_s=round(off, 3),
                matched_frames=int(votes[d]),
                overlap_s=round(overlap_s, 3),
                mirrored=bool(is_mirror),
            )
        return sorted(matches.values(), key=lambda m: (-m.score, -m.matched_frames))[:limit]

    def save(self, path: str | Path) -> None:
        np.savez_compressed(
            Path(path),
            format=np.array(_INDEX_FORMAT),
            algorithm=np.array(self.algorithm),
            # The search is exact now; builds before it read this key and probed one bit per chunk.
            probe_bits=np.array(1),
            codes=self._hashes.codes,
            frame_video=self._frame_video,
            frame_time=self._frame_time,
            half_codes=self._halves.codes,
            half_video=self._half_video,
            half_time=self._half_time,
            video_ids=np.array(self._video_ids, dtype=str),
            durations=np.array(self._durations, dtype=np.float64),
        )

    @classmethod
    def load(cls, path: str | Path) -> VideoIndex:
        name = str(path)
        try:
            with np.load(Path(path), allow_pickle=False) as data:
                version = int(data["format"])
                if version not in _READABLE_FORMATS:
                    raise VideoInputError(
                        name,
                        f"不支持的索引版本 unsupported index format {version} (this build reads {_READABLE_FORMATS})",
                    )
                index = cls(str(data["algorithm"]))
                codes, frame_video = data["codes"], data["frame_video"].astype(np.int32)
                half_codes = np.empty((0, HASH_BYTES[index.algorithm]), dtype=np.uint8)
                if version >= 2:
                    half_codes = data["half_codes"]
                    index._half_video = data["half_video"].astype(np.int32)
                    index._half_time = data["half_time"].astype(np.float32)
                frame_time, video_ids = data["frame_time"].astype(np.float32), [str(v) for v in data["video_ids"]]
                durations = [float(d) for d in data["durations"]]
        except (OSError, KeyError, ValueError) as exc:
            if isinstance(exc, VideoInputError):
                raise
            raise VideoInputError(name, f"不是有效的视频索引文件 not a video index file: {exc}") from exc
        if len(codes):
            index._hashes.add(codes)
        if len(half_codes):
            index._halves.add(half_codes)
        index._frame_video, index._frame_time = frame_video, frame_time
        index._video_ids, index._durations = video_ids, durations
        index._positions = {v: i for i, v in enumerate(video_ids)}
        return index


def _half_codes(fingerprint: VideoFingerprint) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(frame number, half hash, its mirror) of every usable half; empty for a version-1 fingerprint."""
    if fingerprint.half_hashes is None or fingerprint.half_mirror_hashes is None:
        empty = np.empty((0, fingerprint.hash_bytes), dtype=np.uint8)
        return np.empty(0, dtype=np.int64), empty, empty
    frames, sides = np.nonzero(fingerprint.half_usable)
    return frames, fingerprint.half_hashes[frames, sides], fingerprint.half_mirror_hashes[frames, sides]
