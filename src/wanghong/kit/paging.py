"""Cursor pagination of every list the API serves, and the query parameters and response shape it has in OpenAPI.

A cursor names the last row of the previous page by primary key, so pages stay stable while rows are added,
and a client walks any collection with the same loop: pass `next_cursor` back as `cursor` until it is null.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any, Generic, TypeVar

from fastapi import APIRouter, Query
from pydantic import BaseModel, create_model
from sqlalchemy import Select
from sqlalchemy.orm import Session

from wanghong.kit.db.base import INTEGER_MAX
from wanghong.kit.errors import InvalidInput

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
M = TypeVar("M")


@dataclass(frozen=True)
class Page(Generic[M]):
    items: list[M]
    next_cursor: str | None


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"after": last_id}).encode()).decode()


def decode_cursor(cursor: str) -> int:
    try:
        after = json.loads(base64.urlsafe_b64decode(cursor.encode()))["after"]
        # A forged cursor's number must still fit the id column, or the database refuses the query (a 500).
        if not isinstance(after, int) or isinstance(after, bool) or not 0 <= after <= INTEGER_MAX:
            raise TypeError
        return after
    except (binascii.Error, ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise InvalidInput("cursor is malformed; pass back the next_cursor of the previous page unchanged") from None


def check_limit(limit: int) -> None:
    """Refuse a page size outside 1…`MAX_PAGE_SIZE`, for every list however it is paged."""
    if not 1 <= limit <= MAX_PAGE_SIZE:
        raise InvalidInput(f"limit must be between 1 and {MAX_PAGE_SIZE}")


def paginate(
    session: Session,
    stmt: Select[M],
    limit: int = DEFAULT_PAGE_SIZE,
    cursor: str | None = None,
    *,
    newest_first: bool = False,
) -> Page[M]:
    """One page of the rows `stmt` selects, in primary-key order (descending with `newest_first`), after the row
    the cursor names.

    A client walks every list paged here with the same loop, and none is cut off at a fixed size.
    """
    check_limit(limit)
    model = stmt.column_descriptions[0]["entity"]
    pk = model.__mapper__.primary_key[0]
    if cursor is not None:
        after = decode_cursor(cursor)
        stmt = stmt.where(pk < after if newest_first else pk > after)
    rows = list(session.scalars(stmt.order_by(pk.desc() if newest_first else pk).limit(limit + 1)))
    has_more = len(rows) > limit
    rows = rows[:limit]
    return Page(rows, encode_cursor(getattr(rows[-1], str(pk.key))) if has_more and rows else None)


def keyed_page(
    session: Session,
    stmt: Select[Any],
    key: Any,
    limit: int = DEFAULT_PAGE_SIZE,
    cursor: str | None = None,
) -> tuple[list[tuple[Any, ...]], str | None]:
    """`paginate` for a select of several columns (a row with the names a table shows joined on): newest first by
    `key`, an integer column, after the row the cursor names; each row as the select reads it, and the next cursor."""
    check_limit(limit)
    if cursor is not None:
        stmt = stmt.where(key < decode_cursor(cursor))
    # The key rides along as the last column, so the next cursor needs no knowledge of where the select has it.
    rows = session.execute(stmt.add_columns(key).order_by(key.desc()).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    return [tuple(row[:-1]) for row in rows], encode_cursor(rows[-1][-1]) if more and rows else None


PAGED = "Cursor pagination: pass `next_cursor` back as `cursor` until it is null."
# The query parameters of every paged list: `limit: PageLimit = DEFAULT_PAGE_SIZE, cursor: str | None = None`.
PageLimit = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)]


@cache
def page_schema(item_schema: type[BaseModel]) -> type[BaseModel]:
    """The response of a paged list: `items` of one schema and the cursor of the next page.

    One model per item schema, however many routes ask: OpenAPI names it once.
    """
    return create_model(
        f"{item_schema.__name__}Page",
        items=(list[item_schema], ...),  # type: ignore[valid-type]
        next_cursor=(str | None, None),
    )


def paged_route(
    router: APIRouter, path: str, response_model: type[BaseModel], summary: str, **route: Any
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """`router.get` for a paged list, documented as every one is: `response_model` is `page_schema(item)` or a
    page with more fields; the endpoint takes `page: kit.listing.PageQuery` (or `limit`, `cursor`) last."""
    return router.get(path, response_model=response_model, summary=summary, description=PAGED, **route)


def page_body(page: Page[Any], item: Callable[[Any], Any] | None = None) -> dict[str, Any]:
    """The response of a paged list; `item` shapes each row where the item schema is not read from the row itself."""
    # A plain dict, not the dataclass: FastAPI would deep-copy a dataclass's ORM rows before validating them.
    return {"items": page.items if item is None else [item(row) for row in page.items], "next_cursor": page.next_cursor}
