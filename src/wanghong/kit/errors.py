"""Errors a use case raises; the API turns each into an RFC 9457 problem response."""

from __future__ import annotations

from typing import Any


class ServiceError(Exception):
    """A request the platform refuses, with a message that tells the caller what to fix."""

    status = 400
    title = "Bad request"

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra


class NotFound(ServiceError):
    """Also what another tenant's object looks like: its existence is not disclosed."""

    status = 404
    title = "Not found"


class Forbidden(ServiceError):
    status = 403
    title = "Forbidden"


class Unauthorized(ServiceError):
    status = 401
    title = "Unauthorized"


class Conflict(ServiceError):
    status = 409
    title = "Conflict"


class InvalidInput(ServiceError):
    status = 422
    title = "Invalid input"


class PayloadTooLarge(ServiceError):
    status = 413
    title = "Payload too large"
