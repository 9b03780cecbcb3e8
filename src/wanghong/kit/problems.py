"""RFC 9457 problem details for every error the API returns."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError
from starlette.exceptions import HTTPException

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

    @app.exception_handler(HTTPException)
    async def http_error(_: Request, exc: HTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        return problem(exc.status_code, _TITLES.get(exc.status_code, "Error"), detail)


# Starlette's own refusals (an unknown path, a wrong method) carry the same titles as the platform's errors.
_TITLES = {e.status: e.title for e in (ServiceError, Unauthorized, Forbidden, NotFound)} | {405: "Method not allowed"}
