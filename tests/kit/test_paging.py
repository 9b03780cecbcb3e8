"""`kit.paging.keyed_page`: the cursor walk of lists that select several columns (a row with names joined on)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Column, ForeignKey, Integer, MetaData, Select, String, Table, create_engine, func, select
from sqlalchemy.orm import Session

from wanghong.kit.errors import InvalidInput
from wanghong.kit.paging import MAX_PAGE_SIZE, keyed_page

metadata = MetaData()
owners = Table("owners", metadata, Column("id", Integer, primary_key=True), Column("name", String(20)))
items = Table(
    "items",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("owner_id", Integer, ForeignKey("owners.id")),
    Column("label", String(20)),
)


@pytest.fixture()
def session() -> Iterator[Session]:
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    with Session(engine) as s:
        s.execute(owners.insert(), [{"id": 1, "name": "甲"}, {"id": 2, "name": "乙"}])
        s.execute(items.insert(), [{"id": i, "owner_id": 1 + i % 2, "label": f"item {i}"} for i in range(1, 12)])
        yield s
    engine.dispose()


def _walk(session: Session, stmt: Select[Any], key: Any, limit: int) -> list[list[tuple[Any, ...]]]:
    pages: list[list[tuple[Any, ...]]] = []
    cursor: str | None = None
    while True:
        rows, cursor = keyed_page(session, stmt, key, limit, cursor)
        pages.append(rows)
        if cursor is None:
            return pages


def test_pages_walk_every_row_newest_first_with_the_selected_columns_only(session: Session) -> None:
    stmt = select(items.c.id, items.c.label, owners.c.name).join(owners, owners.c.id == items.c.owner_id)
    pages = _walk(session, stmt, items.c.id, 4)
    assert [len(p) for p in pages] == [4, 4, 3]
    flat = [row for page in pages for row in page]
    assert [row[0] for row in flat] == list(range(11, 0, -1))
    assert flat[0] == (11, "item 11", "乙")  # the key is read to make the cursor, not handed back


def test_a_grouped_select_of_the_key_alone_pages_too(session: Session) -> None:
    stmt = select(items.c.owner_id).group_by(items.c.owner_id).having(func.count() > 0)
    assert _walk(session, stmt, items.c.owner_id, 1) == [[(2,)], [(1,)]]


def test_an_exact_last_page_has_no_next_cursor_and_limits_are_checked(session: Session) -> None:
    stmt = select(items.c.id).where(items.c.id <= 4)
    rows, cursor = keyed_page(session, stmt, items.c.id, 4)
    assert [r for (r,) in rows] == [4, 3, 2, 1] and cursor is None
    for limit in (0, MAX_PAGE_SIZE + 1):
        with pytest.raises(InvalidInput):
            keyed_page(session, stmt, items.c.id, limit)
    with pytest.raises(InvalidInput):
        keyed_page(session, stmt, items.c.id, 4, "not a cursor")
