"""Warm per-process engines: one registry for everything that is expensive to build and cheap to reuse.

A capability declares what it keeps warm once, at module level::

    REVIEWER = Warm("compliance.reviewer", build=lambda settings: ReviewerCache())

and asks the running process for it: ``runtime.get(REVIEWER)``. The application builds one `Runtime` in its
lifespan (``app.state.runtime``, handed to routes by `kit.http.WarmEngines`); a CLI command builds its own for the
length of the run. Each engine is built at most once per runtime, by the first caller, while concurrent callers
wait for it; `Runtime.close` releases whatever has a ``close()``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy.orm import Session

from wanghong.config import Settings

T = TypeVar("T")


@dataclass(frozen=True, eq=False)
class Warm(Generic[T]):
    """The declaration of one warm engine: a unique name and how to build it from the settings."""

    name: str
    build: Callable[[Settings], T]


class Runtime:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._engines: dict[str, Any] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._registry_lock = threading.Lock()

    def get(self, warm: Warm[T]) -> T:
        try:
            return self._engines[warm.name]
        except KeyError:
            pass
        with self._registry_lock:
            lock = self._locks.setdefault(warm.name, threading.Lock())
        with lock:
            if warm.name not in self._engines:
                self._engines[warm.name] = warm.build(self.settings)
            return self._engines[warm.name]

    def built(self, warm: Warm[Any]) -> bool:
        return warm.name in self._engines

    def discard(self, warm: Warm[Any]) -> None:
        """Forget an engine, so that the next `get` builds it anew (after its inputs changed)."""
        engine = self._engines.pop(warm.name, None)
        _close(engine)

    def close(self) -> None:
        engines, self._engines = self._engines, {}
        for engine in engines.values():
            _close(engine)


def _close(engine: Any) -> None:
    close = getattr(engine, "close", None)
    if callable(close):
        close()


# A request's session carries the runtime it runs under, so that code reached with only the session (a write
# hook) finds the same warm engines as the route that caused the write.
_SESSION_KEY = "wanghong.runtime"


def bind(session: Session, runtime: Runtime) -> None:
    session.info[_SESSION_KEY] = runtime


def bound_to(session: Session) -> Runtime | None:
    runtime = session.info.get(_SESSION_KEY)
    return runtime if isinstance(runtime, Runtime) else None
