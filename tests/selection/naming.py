"""Product names that carry the world's tag and still pass the compliance scan, for the 选品广场 tests."""

from __future__ import annotations

from tests.fixtures.world import World

# Greek letters: the scanner reads digits phonetically (tag 3c64334c once matched 私彩) and Latin letters as pinyin
# initials ("…d 玻…" read as 赌博 in one product name of ten), and neither touches these.
GREEK = "αβγδεζηθικλμνξπρ"


def letters(world: World) -> str:
    """The world's hex tag spelled in Greek letters, one per digit, unique per world as the tag is."""
    return "".join(GREEK[int(c, 16)] for c in world.tag)
