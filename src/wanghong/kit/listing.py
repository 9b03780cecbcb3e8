"""The paged lists of rows a principal may see, narrowed by the optional filters a list offers.

Every such list takes the same query parameters (`limit`, `cursor`: `PageQuery`) and answers the same way: the
rows of one table the row-scope rules of `kit.access` let the principal see, in cursor pages (`kit.paging`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from fastapi import Depends
from sqlalchemy.orm import Session

from wanghong.kit import access
from wanghong.kit.db.base import Base
from wanghong.kit.paging import DEFAULT_PAGE_SIZE, Page, PageLimit, paginate

M = TypeVar("M", bound=Base)


@dataclass(frozen=True)
class PageRequest:
    limit: int = DEFAULT_PAGE_SIZE
    cursor: str | None = None


def page_request(limit: PageLimit = DEFAULT_PAGE_SIZE, cursor: str | None = None) -> PageRequest:
    return PageRequest(limit, cursor)


# An endpoint parameter `page: PageQuery` reads `?limit=…&cursor=…` as every paged list documents them.
PageQuery = Annotated[PageRequest, Depends(page_request)]


def visible_page(
    session: Session,
    principal: access.Subject,
    model: type[M],
    page: PageRequest,
    *,
    newest_first: bool = False,
    **equal_to: Any,
) -> Page[M]:
    """One page of the `model` rows the principal may see, whose columns named by the keywords hold the values
    given; a None value is a filter the caller left out, so it narrows nothing."""
    stmt = access.visible_rows(model, principal)
    for column, value in equal_to.items():
        if value is not None:
            stmt = stmt.where(getattr(model, column) == value)
    return paginate(session, stmt, page.limit, page.cursor, newest_first=newest_first)
