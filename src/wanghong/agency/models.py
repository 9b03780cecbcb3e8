"""Tables of this capability (filled in by its first migration)."""

from __future__ import annotations
