"""Tables every scanner of a process shares (the Unicode fold, the pinyin syllable codes): built once on first use,
or installed beforehand from what an earlier process built (see `compiled`), which is what lets a one-line
``wanghong compliance scan`` start without the second or so the building takes."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class ProcessTable(Generic[T]):
    """A value built by ``build`` at most once per process; thread-safe. :meth:`install` supplies it instead,
    as long as nothing has asked for it yet (a value in use is never swapped)."""

    def __init__(self, name: str, build: Callable[[], T]) -> None:
        self.name = name
        self._build = build
        self._value: T | None = None
        self._lock = threading.Lock()

    def __call__(self) -> T:
        value = self._value
        if value is None:
            with self._lock:
                if self._value is None:
                    self._value = self._build()
                value = self._value
        return value

    @property
    def ready(self) -> bool:
        return self._value is not None

    def install(self, value: T) -> bool:
        """Use ``value`` from now on; False (and ``value`` unused) when the table was already there."""
        with self._lock:
            if self._value is not None:
                return False
            self._value = value
            return True

    def build_afresh(self) -> T:
        """What ``build`` makes now, leaving the process's value alone (for tests of an installed value)."""
        return self._build()
