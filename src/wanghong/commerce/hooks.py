"""Subscriptions to commerce's writes, so another capability can act on a row as it is written without commerce
knowing that capability (compliance scans a product's copy or a video's title and script this way).

A hook runs inside the write's transaction, after the row is flushed: it sees the row's id, and whatever it raises
or writes commits or rolls back together with the row.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from wanghong.accounts.principal import Principal
from wanghong.kit.db.base import Base

WriteHook = Callable[[Session, Principal | None, Any], None]

_SUBSCRIBERS: dict[type[Base], list[WriteHook]] = {}


def on_write(model: type[Base], hook: Callable[[Session, Principal | None, Any], None]) -> None:
    """Run `hook(session, principal, row)` after every create or update of a `model` row."""
    hooks = _SUBSCRIBERS.setdefault(model, [])
    # A module subscribes at import time and may be reloaded; a write must still run its hook once.
    if hook not in hooks:
        hooks.append(hook)


def written(session: Session, principal: Principal | None, row: Any) -> None:
    """Tell the subscribers of the row's model that it was just created or changed."""
    for hook in _SUBSCRIBERS.get(type(row), ()):
        hook(session, principal, row)
