"""RFC 9457 problem details for every error the API returns, and the same errors as a page for a browser.

A request under /api/ always gets problem+json, whatever it accepts: scripts and the OpenAPI contract rely on it.
Anything else that a browser asked for as a document (its Accept names text/html: a link followed, an address
typed, a form posted) gets the error as a page in the frame, in the reader's language, with the same status, so
that an unknown path or another tenant's object never shows a browser raw JSON.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, IntegrityError, OperationalError, StatementError
from starlette.exceptions import HTTPException
from starlette.responses import Response

from wanghong.kit import formats
from wanghong.kit.db.base import INTEGER_MAX
from wanghong.kit.errors import Conflict, Forbidden, InvalidInput, NotFound, ServiceError, Unauthorized
from wanghong.kit.i18n import FRAME
from wanghong.kit.pages import language_of, reader_of, render_page

PROBLEM_JSON = "application/problem+json"
API_PREFIX = "/api/"
ERROR_TEMPLATE = "kit_error.html"

# What each status means to a person; a status without words of its own reads as "other".
SAID_STATUSES = ("400", "401", "403", "404", "405", "409", "413", "422", "503")
MESSAGES = FRAME.extend(
    {
        "zh": {
            "error_400_title": "请求有误",
            "error_400_text": "这个请求无法处理，请返回上一页重试。",
            "error_401_title": "请先登录",
            "error_401_text": "登录后才能查看这个页面。",
            "error_403_title": "无权访问",
            "error_403_text": "你的账号不能查看或修改这里的内容。",
            "error_404_title": "页面不存在",
            "error_404_text": "你要找的页面或记录不存在，或不属于你的账号。",
            "error_405_title": "不支持的操作",
            "error_405_text": "这个地址不支持这种操作。",
            "error_409_title": "操作冲突",
            "error_409_text": "记录已被修改，或这一步现在不能进行；请刷新后再试。",
            "error_413_title": "内容过大",
            "error_413_text": "提交的内容超过了允许的大小。",
            "error_422_title": "输入有误",
            "error_422_text": "提交的内容有误，未保存任何修改。",
            "error_503_title": "服务繁忙",
            "error_503_text": "系统正忙，未保存任何修改；请稍后再试。",
            "error_other_title": "出错了",
            "error_other_text": "这个请求未能完成。",
            "error_status": "错误代码",
            "error_reason": "原因",
            "error_sign_in": "去登录",
        },
        "en": {
            "error_400_title": "Bad request",
            "error_400_text": "This request cannot be handled; go back and try again.",
            "error_401_title": "Please sign in",
            "error_401_text": "Sign in to see this page.",
            "error_403_title": "Not allowed",
            "error_403_text": "Your account may not see or change this.",
            "error_404_title": "Page not found",
            "error_404_text": "The page or record you asked for does not exist, or does not belong to your account.",
            "error_405_title": "Not supported",
            "error_405_text": "This address does not take that kind of request.",
            "error_409_title": "Conflict",
            "error_409_text": "The record changed, or this step is not possible now; reload and try again.",
            "error_413_title": "Too large",
            "error_413_text": "What was sent is larger than allowed.",
            "error_422_title": "Invalid input",
            "error_422_text": "Something in the request is not valid; nothing was saved.",
            "error_503_title": "Busy",
            "error_503_text": "The platform is busy and saved nothing; try again in a moment.",
            "error_other_title": "Something went wrong",
            "error_other_text": "The request could not be completed.",
            "error_status": "Status",
            "error_reason": "Reason",
            "error_sign_in": "Sign in",
        },
    }
)


def wants_page(request: Request) -> bool:
    """A browser asking for a document outside the API: it gets the error as a page."""
    if request.url.path.startswith(API_PREFIX):
        return False
    return "text/html" in request.headers.get("accept", "")


def reason_for(detail: str, language: str) -> str:
    """The part of a refusal's detail a reader of `language` can read, or nothing.

    Refusals meant for people read "中文 / English" and give the reader's half; a detail in one language only is
    shown where it is the reader's (a Chinese reader is not shown a validator's English)."""
    half = formats.in_language(detail, language)
    if half != detail:
        return half
    has_cjk = bool(formats.CJK.search(detail))
    return detail if has_cjk == (language == "zh") else ""


def error_page(request: Request, status: int, detail: str, reader: Any = None) -> Response:
    """The error as a page in the frame; `reader` (whoever is signed in, when the caller knows) fills the header.

    The exception handlers pass none: the frame then finds the reader from the session cookie in a transaction of
    its own, as every page's header does, except after a 503, when the database is too busy to ask again."""
    if reader is None and status != 503:
        reader = reader_of(request)
    language = language_of(request)
    code = str(status) if str(status) in SAID_STATUSES else "other"
    # The reason, where the reader can read it: a page's own words ("没有找到这位达人"), a refusal's half. A 404's
    # says no more than the address did ("brand 7 not found"), never whose it is.
    reason = reason_for(detail, language)
    context = {"status": status, "code": code, "reason": reason}
    response = render_page(request, ERROR_TEMPLATE, reader, context, messages=MESSAGES, status_code=status)
    if status == 401:
        response.headers["WWW-Authenticate"] = "Bearer"
    return response


def problem(status: int, title: str, detail: str, **extra: Any) -> JSONResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def respond(request: Request, status: int, title: str, detail: str, **extra: Any) -> Response:
    """The refusal as the asker reads it: a page for a browser outside the API, problem+json for everyone else."""
    if wants_page(request):
        return error_page(request, status, detail)
    return problem(status, title, detail, **extra)


def _describe(error: dict[str, Any]) -> str:
    where = ".".join(str(part) for part in error["loc"] if part != "body") or "body"
    return f"{where}: {error['msg']}"


def install(app: FastAPI) -> None:
    @app.exception_handler(ServiceError)
    async def service_error(request: Request, exc: ServiceError) -> Response:
        return respond(request, exc.status, exc.title, exc.detail, **exc.extra)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        errors = [{"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]} for e in exc.errors()]
        detail = "; ".join(_describe(e) for e in exc.errors()[:5])
        return respond(request, InvalidInput.status, InvalidInput.title, detail, errors=errors)

    @app.exception_handler(IntegrityError)
    async def integrity_error(request: Request, exc: IntegrityError) -> Response:
        # Reached only when two writers race past the service checks; the transaction was rolled back.
        reason = str(exc.orig).splitlines()[0] if exc.orig else "constraint violated"
        detail = f"the change conflicts with existing data ({reason}); nothing was saved"
        return respond(request, Conflict.status, Conflict.title, detail)

    @app.exception_handler(DataError)
    async def refused_value(request: Request, exc: DataError) -> Response:
        # The database refused a value the edge let through (a number beyond a column's range, text longer than
        # its column, a NUL character, an impossible date): the caller's input, so a 422 that names the reason.
        reason = str(exc.orig).splitlines()[0] if exc.orig else "a value outside what the column holds"
        detail = f"a value was refused by the database: {reason}"
        return respond(request, InvalidInput.status, InvalidInput.title, detail)

    @app.exception_handler(StatementError)
    async def statement_error(request: Request, exc: StatementError) -> Response:
        # A column type refusing a value while binding it (kit.db.base raises the platform's own errors there).
        if isinstance(exc.orig, ServiceError):
            return respond(request, exc.orig.status, exc.orig.title, exc.orig.detail, **exc.orig.extra)
        if isinstance(exc, OperationalError) and "database is locked" in str(exc.orig):
            # SQLite's one write lock stayed taken past the busy timeout (kit.db.session): nothing was saved, and
            # the same request sent again shortly succeeds.
            response = respond(
                request,
                503,
                "Service unavailable",
                "the database is busy with other writes; nothing was saved, send the request again in a moment",
            )
            response.headers["Retry-After"] = "1"
            return response
        raise exc

    @app.exception_handler(OverflowError)
    async def overflow(request: Request, exc: OverflowError) -> Response:
        # SQLite's driver binds 64-bit integers only; a larger one from a request that no edge bounded.
        if "SQLite INTEGER" in str(exc):
            detail = f"a number in the request is too large (the largest id or count is {INTEGER_MAX})"
            return respond(request, InvalidInput.status, InvalidInput.title, detail)
        raise exc

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        response = respond(request, exc.status_code, _TITLES.get(exc.status_code, "Error"), detail)
        # Starlette's refusals carry headers that belong to them (Allow on a 405).
        response.headers.update(exc.headers or {})
        return response


# Starlette's own refusals (an unknown path, a wrong method) carry the same titles as the platform's errors.
_TITLES = {e.status: e.title for e in (ServiceError, Unauthorized, Forbidden, NotFound)} | {405: "Method not allowed"}
