"""Errors raised by the originality engine; all are ValueErrors the caller can fix."""

from __future__ import annotations


class OriginalityInputError(ValueError):
    """Input the engine refuses: the message says what to fix.

    ``position`` is the 0-based index of the offending item within the batch, when known, so an
    adapter can translate it into a line number.
    """

    def __init__(self, message: str, position: int | None = None) -> None:
        super().__init__(message)
        self.position = position


class EvidenceChainError(ValueError):
    """An evidence log that cannot be appended to because it is already inconsistent."""
