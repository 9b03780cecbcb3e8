"""Errors of the video fingerprinting engine: every one is a ValueError naming the input and the fault."""

from __future__ import annotations

from wanghong.originality.engine.errors import OriginalityInputError


class VideoInputError(OriginalityInputError):
    """A video (or fingerprint) the engine refuses; ``source`` names it and ``reason`` says what is wrong."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class EmptyVideoError(VideoInputError):
    """Zero-length file or buffer."""


class VideoDecodeError(VideoInputError):
    """Not a video FFmpeg can read: random bytes, a truncated upload, no video stream, no decodable frame."""


class FingerprintFormatError(VideoInputError):
    """Serialised fingerprint bytes/hex that do not parse (wrong magic, version, or length)."""
