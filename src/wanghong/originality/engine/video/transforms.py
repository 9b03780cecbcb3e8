"""Re-upload transforms and the encode/decode around them, shared by the synthetic and the real-clip evaluations.

Frame arrays in, frame arrays out: ``(n, height, width, 3)`` uint8 RGB. Every transform is per frame
once its random parameters are drawn, so a long real video can be pushed through in chunks with a
generator re-seeded per chunk (``real_clips`` does) and give the same output as one call on the whole.
Encoding and decoding go through PyAV (FFmpeg inside its wheel), in memory.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import av
import numpy as np

Frames = np.ndarray  # (n, height, width, 3) uint8 RGB


class Encoder:
    """An MP4 being written in memory: ``write`` frame batches, then ``finish`` for the file's bytes.

    The size is fixed by the first batch; yuv420p needs even dimensions, so an odd last line/column is
    dropped rather than padded with foreign content.
    """

    def __init__(self, fps: int, bit_rate: int = 400_000, codec: str = "libx264") -> None:
        self._buffer = io.BytesIO()
        self._container = av.open(self._buffer, mode="w", format="mp4")
        self._fps, self._bit_rate, self._codec = fps, bit_rate, codec
        self._stream: av.VideoStream | None = None
        self._size = (0, 0)

    def _open_stream(self, height: int, width: int) -> av.VideoStream:
        stream = self._container.add_stream(self._codec, rate=self._fps)
        assert isinstance(stream, av.VideoStream)  # narrows the union add_stream is typed with
        self._size = (height - height % 2, width - width % 2)
        stream.height, stream.width = self._size
        stream.pix_fmt = "yuv420p"
        stream.bit_rate = self._bit_rate
        if self._codec == "libx264":
            stream.options = {"preset": "ultrafast"}
        return stream

    def write(self, frames: Frames) -> None:
        if len(frames) == 0:
            return
        if self._stream is None:
            self._stream = self._open_stream(frames.shape[1], frames.shape[2])
        h, w = self._size
        for frame in frames:
            video_frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(frame[:h, :w]), format="rgb24")
            for packet in self._stream.encode(video_frame):
                self._container.mux(packet)

    def finish(self) -> bytes:
        if self._stream is not None:
            for packet in self._stream.encode():
                self._container.mux(packet)
        self._container.close()
        return self._buffer.getvalue()


def encode(frames: Frames, fps: int, bit_rate: int = 400_000, codec: str = "libx264") -> bytes:
    """Encode RGB frames to an MP4 in memory."""
    encoder = Encoder(fps, bit_rate, codec)
    encoder.write(frames)
    return encoder.finish()


def iter_decode(
    source: bytes | str | Path, chunk: int = 64, max_seconds: float | None = None
) -> Iterator[tuple[Frames, int]]:
    """Decode a video (bytes or a path) in batches of ``chunk`` frames, each with the stream's frame rate."""
    handle = io.BytesIO(source) if isinstance(source, bytes) else str(source)
    with av.open(handle, mode="r") as container:
        stream = container.streams.video[0]
        fps = round(float(stream.average_rate or 25))
        limit = None if max_seconds is None else round(max_seconds * fps)
        batch: list[np.ndarray] = []
        for count, frame in enumerate(container.decode(stream)):
            if limit is not None and count >= limit:
                break
            batch.append(frame.to_ndarray(format="rgb24"))
            if len(batch) == chunk:
                yield np.stack(batch), fps
                batch = []
        if batch:
            yield np.stack(batch), fps


def decode(data: bytes) -> tuple[Frames, int]:
    """Decode every frame of an in-memory video; returns frames and the stream's frame rate."""
    chunks = list(iter_decode(data))
    return np.concatenate([c for c, _ in chunks]), chunks[0][1]


def resize(frames: Frames, width: int, height: int) -> Frames:
    """Rescale with FFmpeg's area filter, as an uploader's editor would."""
    out = []
    for frame in frames:
        vf = av.VideoFrame.from_ndarray(np.ascontiguousarray(frame), format="rgb24")
        out.append(vf.to_ndarray(width=width, height=height, format="rgb24", interpolation="AREA"))
    return np.stack(out)


def crop(frames: Frames, fraction: float, rng: np.random.Generator) -> Frames:
    """Cut ``fraction`` of the width and of the height, split unevenly between the two sides."""
    _, h, w, _ = frames.shape
    cut_h, cut_w = round(h * fraction), round(w * fraction)
    top = int(rng.integers(0, cut_h + 1))
    left = int(rng.integers(0, cut_w + 1))
    return frames[:, top : h - (cut_h - top), left : w - (cut_w - left)]


def mirror(frames: Frames) -> Frames:
    return frames[:, :, ::-1]


def overlay_logo(frames: Frames, rng: np.random.Generator, area_fraction: float = 0.04) -> Frames:
    """Stamp a semi-opaque watermark in a corner, as re-uploaders do with their account name."""
    _, h, w, _ = frames.shape
    lh = max(4, round(h * np.sqrt(area_fraction)))
    lw = max(4, round(w * np.sqrt(area_fraction)))
    logo = np.zeros((lh, lw, 3))
    logo[:] = rng.uniform(0, 255, size=3)
    logo[lh // 4 : 3 * lh // 4, lw // 8 : 7 * lw // 8] = 255
    top = int(rng.choice([4, h - lh - 4]))
    left = int(rng.choice([4, w - lw - 4]))
    out = frames.copy()
    # Blend in floating point only where the logo lies: a whole real video in float64 is gigabytes.
    region = out[:, top : top + lh, left : left + lw].astype(np.float64)
    out[:, top : top + lh, left : left + lw] = (0.25 * region + 0.75 * logo).astype(np.uint8)
    return out


def colour_filter(frames: Frames, hue_shift: float, saturation: float, brightness: float) -> Frames:
    """Hue rotation (radians, in YIQ), saturation scale and additive brightness: a typical 'filter'."""
    rgb = frames.astype(np.float64)
    to_yiq = np.array([[0.299, 0.587, 0.114], [0.596, -0.274, -0.322], [0.211, -0.523, 0.312]])
    yiq = rgb @ to_yiq.T
    c, s = np.cos(hue_shift), np.sin(hue_shift)
    i, q = yiq[..., 1].copy(), yiq[..., 2].copy()
    yiq[..., 1] = saturation * (c * i - s * q)
    yiq[..., 2] = saturation * (s * i + c * q)
    yiq[..., 0] += brightness
    out = yiq @ np.linalg.inv(to_yiq).T
    return np.clip(out, 0, 255).astype(np.uint8)


def extract(frames: Frames, fps: int, start_s: float, seconds: float) -> Frames:
    first = round(start_s * fps)
    return frames[first : first + round(seconds * fps)]
