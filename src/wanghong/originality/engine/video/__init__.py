"""原创保护·视频 video near-duplicate detection: perceptual frame hashes, exact Hamming search (faiss), clip matching.

Public API::

    fp = fingerprint_video("upload.mp4")          # or the file's bytes
    index = VideoIndex(); index.add("v1", fp)
    index.query(fingerprint_video("reupload.mp4"))  # -> [VideoMatch(video_id, score, kind, offset_s, ...)]
    VideoFingerprint.from_hex(fp.to_hex())        # for the evidence log

Evaluations: ``evaluation`` on deterministic synthetic clips (``synthetic``), ``real_clips`` on real
camera footage (Meta ThreatExchange's TMK+PDQF sample videos, BSD, with TMK's published results as
the anchor; its docstring gives provenance and figures). Both draw re-uploads from ``transforms``.
"""

from wanghong.originality.engine.video.errors import (
    EmptyVideoError,
    FingerprintFormatError,
    VideoDecodeError,
    VideoInputError,
)
from wanghong.originality.engine.video.fingerprint import VideoFingerprint, fingerprint_video, hash_frame
from wanghong.originality.engine.video.hamming import HammingIndex, brute_force_search
from wanghong.originality.engine.video.index import DuplicateVideoIdError, VideoIndex, VideoMatch

__all__ = [
    "DuplicateVideoIdError",
    "EmptyVideoError",
    "FingerprintFormatError",
    "HammingIndex",
    "VideoDecodeError",
    "VideoFingerprint",
    "VideoIndex",
    "VideoInputError",
    "VideoMatch",
    "brute_force_search",
    "fingerprint_video",
    "hash_frame",
]
