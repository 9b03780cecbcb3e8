"""The matching index's refresh reads only what changed: a bulk load that stamps every creator alike is read once,
and a row written later with the very stamp of the watermark is still picked up."""

from __future__ import annotations

from sqlalchemy import func, select, update

from wanghong.commerce.models import Creator
from wanghong.domain import FollowerTier
from wanghong.kit.db.session import Database
from wanghong.matching.service import IndexCache, refresh


def test_refresh_skips_rows_already_read_and_catches_a_late_row_with_the_same_stamp(db: Database, world) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        stamp = s.scalar(select(func.max(Creator.updated_at)))
        # Every creator carries one stamp, as after a bulk load.
        s.execute(update(Creator).values(updated_at=stamp))
    cache = IndexCache()
    with db.transaction() as s:
        cache.build(s)
        entry = cache._entry
        assert entry is not None
        assert refresh(s, entry) == 0  # nothing new: no creator is read again
    with db.transaction() as s:
        late = Creator(handle="late", display_name="late", followers=1, follower_tier=FollowerTier.NANO)
        s.add(late)
        s.flush()
        s.execute(update(Creator).where(Creator.id == late.id).values(updated_at=entry.watermark))
        late_id = late.id
    with db.transaction() as s:
        assert refresh(s, entry) >= 1
        assert entry.index.contains(late_id)
        assert refresh(s, entry) == 0
