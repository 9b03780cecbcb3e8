"""Errors a use case raises; the API turns each into an RFC 9457 problem response."""

from __future__ import annotations

from typing import Any


class ServiceError(Exception):
    """A request the platform refuses, with a message that tells the caller what to fix.

    A subclass names its HTTP status and problem title in its header (``class Gone(ServiceError, status=410,
    title="Gone")``), so the whole hierarchy reads as one table; one that names neither keeps its parent's.
    """

    status = 400
    title = "Bad request"

    def __init_subclass__(cls, *, status: int | None = None, title: str | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if status is not None:
            cls.status = status
        if title is not None:
            cls.title = title

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra


class NotFound(ServiceError, status=404, title="Not found"):
    """Also what another tenant's object looks like: its existence is not disclosed."""


class Forbidden(ServiceError, status=403, title="Forbidden"):
    """Signed in, but the role or tenant may not do this."""


class Unauthorized(ServiceError, status=401, title="Unauthorized"):
    """No valid credentials; the problem response asks for a bearer token."""


class Conflict(ServiceError, status=409, title="Conflict"):
    """The request clashes with the data as it stands (a taken name, a step the workflow does not allow)."""


class InvalidInput(ServiceError, status=422, title="Invalid input"):
    """A value the schema accepts but a rule of the platform refuses."""


class PayloadTooLarge(ServiceError, status=413, title="Payload too large"):
    """More in one request than the configured limit allows."""
