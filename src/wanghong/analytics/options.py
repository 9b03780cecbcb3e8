"""Choices and defaults the analytics commands offer, kept free of heavy imports so the CLI starts fast."""

from __future__ import annotations

from enum import StrEnum

# Rows per batch when `sync` copies the database into the event store.
DEFAULT_CHUNK_ROWS = 200_000


class ReportFormat(StrEnum):
    HTML = "html"
    XLSX = "xlsx"
