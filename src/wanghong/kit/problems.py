"""RFC 9457 problem details for every error the API returns."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, IntegrityError, OperationalError, StatementError
from starlette.exceptions import HTTPException

from wanghong.kit.db.base import INTEGER_MAX
from wanghong.kit.errors import Conflict, Forbidden, InvalidInput, NotFound, ServiceError, Unauthorized

PROBLEM_JSON = "application/problem+json"


def problem(status: int, title: str, detail: str, **extra: Any) -> JSONResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _describe(error: dict[str, Any]) -> str:
    where = ".".join(str(part) for part in error["loc"] if part != "body") or "body"
    return f"{where}: {error['msg']}"


def install(app: FastAPI) -> None:
    @app.exception_handler(ServiceError)
    async def service_error(_: Request, exc: ServiceError) -> JSONResponse:
        return problem(exc.status, exc.title, exc.detail, **exc.extra)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]} for e in exc.errors()]
        detail = "; ".join(_describe(e) for e in exc.errors()[:5])
        return problem(InvalidInput.status, InvalidInput.title, detail, errors=errors)

    @app.exception_handler(IntegrityError)
    async def integrity_error(_: Request, exc: IntegrityError) -> JSONResponse:
        # Reached only when two writers race past the service checks; the transaction was rolled back.
        reason = str(exc.orig).splitlines()[0] if exc.orig else "constraint violated"
        detail = f"the change conflicts with existing data ({reason}); nothing was saved"
        return problem(Conflict.status, Conflict.title, detail)

    @app.exception_handler(DataError)
    async def refused_value(_: Request, exc: DataError) -> JSONResponse:
        # The database refused a value the edge let through (a number beyond a column's range, text longer than
        # its column, a NUL character, an impossible date): the caller's input, so a 422 that names the reason.
        reason = str(exc.orig).splitlines()[0] if exc.orig else "a value outside what the column holds"
        return problem(InvalidInput.status, InvalidInput.title, f"a value was refused by the database: {reason}")

    @app.exception_handler(StatementError)
    async def statement_error(request: Request, exc: StatementError) -> JSONResponse:
        # A column type refusing a value while binding it (kit.db.base raises the platform's own errors there).
        if isinstance(exc.orig, ServiceError):
            return problem(exc.orig.status, exc.orig.title, exc.orig.detail, **exc.orig.extra)
        if isinstance(exc, OperationalError) and "database is locked" in str(exc.orig):
            # SQLite's one write lock stayed taken past the busy timeout (kit.db.session): nothing was saved, and
            # the same request sent again shortly succeeds.
            response = problem(
                503,
                "Service unavailable",
                "the database is busy with other writes; nothing was saved, send the request again in a moment",
            )
            response.headers["Retry-After"] = "1"
            return response
        raise exc

    @app.exception_handler(OverflowError)
    async def overflow(_: Request, exc: OverflowError) -> JSONResponse:
        # SQLite's driver binds 64-bit integers only; a larger one from a request that no edge bounded.
        if "SQLite INTEGER" in str(exc):
            detail = f"a number in the request is too large (the largest id or count is {INTEGER_MAX})"
            return problem(InvalidInput.status, InvalidInput.title, detail)
        raise exc

    @app.exception_handler(HTTPException)
    async def http_error(_: Request, exc: HTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        return problem(exc.status_code, _TITLES.get(exc.status_code, "Error"), detail)


# Starlette's own refusals (an unknown path, a wrong method) carry the same titles as the platform's errors.
_TITLES = {e.status: e.title for e in (ServiceError, Unauthorized, Forbidden, NotFound)} | {405: "Method not allowed"}
