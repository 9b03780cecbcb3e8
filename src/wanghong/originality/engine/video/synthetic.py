"""Deterministic synthetic clips and re-upload variants for evaluating video near-duplicate detection.

Nothing here is shipped as data: every clip is drawn from a seed with numpy and encoded with PyAV
(FFmpeg inside its wheel), so tests and the benchmark regenerate identical material on any machine.
Each clip has several scenes (smooth colour fields, a moving noise texture, bouncing shapes and a
frame counter drawn with a tiny bitmap font) so that frames differ over time and temporal alignment
is meaningful, and different seeds look unrelated, which is what the negatives need.

The variants imitate what re-uploaders do on short-video platforms: re-encode at a lower bitrate,
rescale, crop the borders, mirror horizontally, stamp a logo/watermark, shift hue/saturation/brightness,
and cut a clip out of a longer video.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

# The transforms live in ``transforms`` (the real-clip evaluation uses them too); they are named here
# as well because callers have long reached them as ``synthetic.decode``, ``synthetic.resize``, ….
from wanghong.originality.engine.video.transforms import (
    Frames,
    colour_filter,
    crop,
    decode,
    encode,
    extract,
    mirror,
    overlay_logo,
    resize,
)

__all__ = [
    "VARIANTS",
    "ClipSpec",
    "Frames",
    "colour_filter",
    "crop",
    "decode",
    "embed_clip",
    "encode",
    "extract",
    "generate_frames",
    "iter_variants",
    "make_clip",
    "make_variant",
    "mirror",
    "overlay_logo",
    "resize",
]

# 3×5 glyphs for the digits 0–9, one row per string; enough to burn a frame counter in like a
# streamer's overlay without depending on a font file.
_DIGIT_GLYPHS = (
    ("111", "101", "101", "101", "111"),
    ("010", "110", "010", "010", "111"),
    ("111", "001", "111", "100", "111"),
    ("111", "001", "111", "001", "111"),
    ("101", "101", "111", "001", "001"),
    ("111", "100", "111", "001", "111"),
    ("111", "100", "111", "101", "111"),
    ("111", "001", "010", "010", "010"),
    ("111", "101", "111", "101", "111"),
    ("111", "101", "111", "001", "111"),
)
_GLYPHS = np.array([[[c == "1" for c in row] for row in glyph] for glyph in _DIGIT_GLYPHS], dtype=bool)


@dataclass(frozen=True, slots=True)
class ClipSpec:
    """What to draw: size, length and how many scenes."""

    seed: int
    seconds: float = 8.0
    width: int = 320
    height: int = 240
    fps: int = 10
    scenes: int = 3


def _smooth_field(rng: np.random.Generator, height: int, width: int, cells: int) -> np.ndarray:
    """A low-frequency colour field: random colours on a coarse grid, bilinearly upsampled."""
    grid = rng.uniform(0, 255, size=(cells + 1, cells + 1, 3))
    ys = np.linspace(0, cells, height)
    xs = np.linspace(0, cells, width)
    y0 = np.minimum(ys.astype(int), cells - 1)
    x0 = np.minimum(xs.astype(int), cells - 1)
    fy = (ys - y0)[:, None, None]
    fx = (xs - x0)[None, :, None]
    top = grid[y0][:, x0] * (1 - fx) + grid[y0][:, x0 + 1] * fx
    bottom = grid[y0 + 1][:, x0] * (1 - fx) + grid[y0 + 1][:, x0 + 1] * fx
    return top * (1 - fy) + bottom * fy


def _draw_number(frame: np.ndarray, value: int, top: int, left: int, scale: int, colour: np.ndarray) -> None:
    for i, digit in enumerate(str(value)):
        glyph = np.kron(_GLYPHS[int(digit)], np.ones((scale, scale), dtype=bool))
        x = left + i * 4 * scale
        region = frame[top : top + glyph.shape[0], x : x + glyph.shape[1]]
        region[glyph[: region.shape[0], : region.shape[1]]] = colour


def generate_frames(spec: ClipSpec) -> Frames:
    """Draw the clip described by ``spec`` as RGB frames."""
    rng = np.random.default_rng(spec.seed)
    n = round(spec.seconds * spec.fps)
    h, w = spec.height, spec.width
    frames = np.empty((n, h, w, 3), dtype=np.uint8)
    scene_of_frame = np.minimum((np.arange(n) * spec.scenes) // n, spec.scenes - 1)
    yy, xx = np.mgrid[0:h, 0:w]
    scenes = []
    for _ in range(spec.scenes):
        texture = rng.integers(0, 256, size=(h // 8, w // 8, 1)).repeat(8, 0).repeat(8, 1)
        scenes.append(
            {
                "field_a": _smooth_field(rng, h, w, int(rng.integers(2, 5))),
                "field_b": _smooth_field(rng, h, w, int(rng.integers(2, 5))),
                "texture": texture.astype(np.float64),
                "tex_velocity": rng.uniform(-3, 3, size=2),
                "shapes": [
                    {
                        "pos": rng.uniform([0, 0], [h, w]),
                        "vel": rng.uniform(-4, 4, size=2),
                        "radius": rng.uniform(12, 40),
                        "colour": rng.uniform(0, 255, size=3),
                        "square": bool(rng.integers(0, 2)),
                    }
                    for _ in range(int(rng.integers(3, 6)))
                ],
            }
        )
    counter_colour = np.array([255, 255, 255], dtype=np.uint8)
    for i in range(n):
        scene = scenes[scene_of_frame[i]]
        t = i / max(n - 1, 1)
        base = scene["field_a"] * (1 - t) + scene["field_b"] * t
        dy, dx = (scene["tex_velocity"] * i).astype(int)
        texture = np.roll(scene["texture"], (dy, dx), axis=(0, 1))
        img = 0.8 * base + 0.2 * texture
        for shape in scene["shapes"]:
            cy, cx = shape["pos"] + shape["vel"] * i
            cy, cx = cy % h, cx % w
            r = shape["radius"]
            inside = (
                (np.abs(yy - cy) < r) & (np.abs(xx - cx) < r)
                if shape["square"]
                else (yy - cy) ** 2 + (xx - cx) ** 2 < r * r
            )
            img[inside] = shape["colour"]
        frame = np.clip(img, 0, 255).astype(np.uint8)
        _draw_number(frame, i, top=8, left=w - 60, scale=3, colour=counter_colour)
        frames[i] = frame
    return frames


def make_clip(spec: ClipSpec, bit_rate: int = 400_000) -> bytes:
    """Draw and encode one original clip."""
    return encode(generate_frames(spec), spec.fps, bit_rate)


VariantFn = Callable[[Frames, int, np.random.Generator], Frames]

#: Variant name → transform applied to the decoded original before re-encoding at a lower bitrate.
VARIANTS: dict[str, VariantFn] = {
    "reencode": lambda f, fps, rng: f,
    "resize": lambda f, fps, rng: resize(f, 192, 144),
    "crop": lambda f, fps, rng: crop(f, float(rng.uniform(0.05, 0.10)), rng),
    "mirror": lambda f, fps, rng: mirror(f),
    "logo": lambda f, fps, rng: overlay_logo(f, rng),
    "colour": lambda f, fps, rng: colour_filter(
        f, float(rng.uniform(-0.6, 0.6)), float(rng.uniform(0.6, 1.4)), float(rng.uniform(-30, 30))
    ),
    "clip": lambda f, fps, rng: extract(f, fps, float(rng.uniform(0, 1.0)), 4.0),
}


def make_variant(original: bytes, name: str, rng: np.random.Generator, bit_rate: int = 150_000) -> bytes:
    """Decode ``original``, apply the named transform, and re-encode it at ``bit_rate``."""
    frames, fps = decode(original)
    return encode(VARIANTS[name](frames, fps, rng), fps, bit_rate)


def embed_clip(host: bytes, clip: bytes, at_s: float) -> bytes:
    """Splice ``clip`` into ``host`` at ``at_s`` seconds (both re-decoded), the 'clip inside another video' case."""
    host_frames, fps = decode(host)
    clip_frames, _ = decode(clip)
    clip_frames = resize(clip_frames, host_frames.shape[2], host_frames.shape[1])
    cut = round(at_s * fps)
    return encode(np.concatenate([host_frames[:cut], clip_frames, host_frames[cut:]]), fps, 300_000)


def iter_variants(original: bytes, seed: int, names: tuple[str, ...] | None = None) -> Iterator[tuple[str, bytes]]:
    rng = np.random.default_rng(seed)
    for name in names or tuple(VARIANTS):
        yield name, make_variant(original, name, rng)
