"""What every HTTP response and every state-changing browser request goes through: a body-size limit applied
before anything parses the body, CSRF refusal, and the security headers (CSP with a per-request nonce).

One pure ASGI middleware, outermost of the application's own, so that a refusal (413, 403) is answered before
authentication, JSON or form parsing; it knows no capability, only the cookie names the pages share.

CSRF has two layers, both for cookie-authenticated unsafe requests and for every page form (the sign-in form has
no session yet: login CSRF):

* fetch metadata: a browser names where a request comes from (`Sec-Fetch-Site`, else `Origin`); anything but this
  very origin is refused — cross-site, and same-site but cross-origin (another port, a sibling subdomain) too;
* a double-submit token: a random value in an HttpOnly, SameSite=Strict cookie, which every page form repeats as
  `csrf_token` and every page's fetch as the `X-CSRF-Token` header; the two must match.

A request with a bearer `Authorization` header and no page form is not affected: a browser never attaches that
header on its own, so no other site can make a victim's browser send it.
"""

from __future__ import annotations

import hmac
import json
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qs, urlsplit

from starlette.datastructures import Headers
from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SESSION_COOKIE = "wanghong_session"
CSRF_COOKIE = "wanghong_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
API_PREFIX = "/api/"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# `none`: the user typed the address or used a bookmark; nothing on another page chose to send it.
_TRUSTED_FETCH_SITES = frozenset({"same-origin", "none"})
_TOKEN_BYTES = 32


def content_security_policy(nonce: str) -> str:
    """Scripts and style blocks only from this origin or carrying this response's nonce; nothing may frame us.

    Style *attributes* stay allowed: plotly.js writes them while it draws, and they cannot run script."""
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            f"style-src 'self' 'nonce-{nonce}'",
            "style-src-attr 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def security_headers(nonce: str) -> dict[str, str]:
    return {
        "Content-Security-Policy": content_security_policy(nonce),
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "Cross-Origin-Opener-Policy": "same-origin",
    }


# The policy around its nonce (which no nonce contains: token_urlsafe), so a response joins bytes, no f-strings.
_CSP_PARTS = tuple(part.encode() for part in content_security_policy("\x00").split("\x00"))
_STATIC_HEADERS = tuple(
    (name.lower().encode(), value.encode())
    for name, value in security_headers("").items()
    if name != "Content-Security-Policy"
)


def _raw_security_headers(nonce: str) -> list[tuple[bytes, bytes]]:
    """`security_headers(nonce)` as ASGI header pairs, from bytes built once."""
    token = nonce.encode()
    return [(b"content-security-policy", token.join(_CSP_PARTS)), *_STATIC_HEADERS]


def _state(request: Any) -> dict[str, Any]:
    state = request.scope.get("state")
    return state if isinstance(state, dict) else {}


def csp_nonce(request: Any) -> str:
    """This response's CSP nonce, for a template's own <script> and <style> blocks ("" outside the middleware)."""
    return str(_state(request).get("csp_nonce", ""))


def csrf_token(request: Any) -> str:
    """The token this reader's forms and fetch calls repeat ("" outside the middleware)."""
    return str(_state(request).get("csrf_token", ""))


def cookie_options(request: Any) -> dict[str, Any]:
    """Attributes every cookie the pages set shares: Secure when the deployment says it is behind HTTPS."""
    settings = getattr(request.app.state, "settings", None)
    return {"samesite": "lax", "secure": bool(getattr(settings, "secure_cookies", False))}


def _problem(status: int, title: str, detail: str) -> tuple[bytes, list[tuple[bytes, bytes]]]:
    body = json.dumps({"type": "about:blank", "title": title, "status": status, "detail": detail}).encode()
    headers = [(b"content-type", b"application/problem+json"), (b"content-length", str(len(body)).encode())]
    return body, headers


class _TooLarge(Exception):
    pass


class SecurityMiddleware:
    def __init__(self, app: ASGIApp, *, max_request_bytes: int, secure_cookies: bool) -> None:
        self.app = app
        self.max_request_bytes = max_request_bytes
        self.secure_cookies = secure_cookies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        cookies = cookie_parser(headers.get("cookie", ""))
        nonce = secrets.token_urlsafe(16)
        sent_token = cookies.get(CSRF_COOKIE, "")
        # An API answer renders no form, and its clients (bearer tokens) keep no cookies: minting a token for each
        # of their requests would only cost a random draw and a Set-Cookie. A page hands one out.
        keep_sent = len(sent_token) >= 32 or scope["path"].startswith(API_PREFIX)
        token = sent_token if keep_sent else secrets.token_urlsafe(_TOKEN_BYTES)
        state: MutableMapping[str, Any] = scope.setdefault("state", {})
        state["csp_nonce"], state["csrf_token"] = nonce, token
        send = self._decorated(send, nonce, token if token != sent_token else None)

        refusal = self._declared_size_refusal(headers)
        if refusal is not None:
            await self._refuse(send, *refusal)
            return
        try:
            body = await self._read_body(receive)
        except _TooLarge:
            await self._refuse(send, 413, "Payload too large", self._too_large())
            return
        forbidden = self._csrf_refusal(scope, headers, cookies, body)
        if forbidden is not None:
            await self._refuse(send, 403, "Forbidden", forbidden)
            return
        where = _nul_in(scope, headers, body)
        if where is not None:
            detail = f"the {where} contains a NUL character (U+0000), which no text field accepts; remove it"
            await self._refuse(send, 422, "Invalid input", detail)
            return
        await self.app(scope, _replay(body, receive), send)

    # --- size -------------------------------------------------------------------------------------------------

    def _too_large(self) -> str:
        return f"the request body exceeds {self.max_request_bytes} bytes (WANGHONG_MAX_REQUEST_BYTES); send less"

    def _declared_size_refusal(self, headers: Headers) -> tuple[int, str, str] | None:
        declared = headers.get("content-length")
        if declared is None:
            return None
        if not declared.strip().isdigit():
            return 400, "Bad request", f"Content-Length must be a whole number of bytes, got {declared!r}"
        if int(declared) > self.max_request_bytes:
            return 413, "Payload too large", self._too_large()
        return None

    async def _read_body(self, receive: Receive) -> bytes:
        """The whole body, counted as it arrives: a lying or absent Content-Length cannot get past the limit."""
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                # The client went away; the application sees the same disconnect when it reads.
                return b"".join(chunks)
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_request_bytes:
                raise _TooLarge
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)

    # --- CSRF -------------------------------------------------------------------------------------------------

    def _csrf_refusal(self, scope: Scope, headers: Headers, cookies: dict[str, str], body: bytes) -> str | None:
        if scope["method"] not in UNSAFE_METHODS:
            return None
        page_form = not scope["path"].startswith(API_PREFIX)
        cookie_authenticated = SESSION_COOKIE in cookies and "authorization" not in headers
        if not (page_form or cookie_authenticated):
            return None
        site = headers.get("sec-fetch-site")
        origin = headers.get("origin")
        if site is not None and site not in _TRUSTED_FETCH_SITES:
            return f"cross-origin request refused (Sec-Fetch-Site: {site}); submit the form from this site's own page"
        if origin is not None and not _is_own_origin(origin, headers):
            return f"cross-origin request refused (Origin: {origin}); submit the form from this site's own page"
        if site is None and origin is None:
            # No browser sends an unsafe request without either header any more; what remains is a script or a
            # test client acting for itself, which no other site can steer.
            return None
        expected = cookies.get(CSRF_COOKIE, "")
        given = headers.get(CSRF_HEADER) or _form_token(headers, body)
        if not expected or not given or not hmac.compare_digest(expected.encode(), given.encode()):
            return "missing or stale CSRF token: reload the page and submit again (CSRF 校验失败，请刷新页面后重试)"
        return None

    # --- responses --------------------------------------------------------------------------------------------

    def _decorated(self, send: Send, nonce: str, new_token: str | None) -> Send:
        secure = "; Secure" if self.secure_cookies else ""

        async def decorated(message: Message) -> None:
            if message["type"] == "http.response.start":
                # The raw header list, not MutableHeaders' setdefault: one pass over what the response set, then
                # appends; this runs on every response.
                raw: list[tuple[bytes, bytes]] = list(message.get("headers", ()))
                present = {name.lower() for name, _ in raw}
                raw.extend((name, value) for name, value in _raw_security_headers(nonce) if name not in present)
                if new_token is not None:
                    cookie = f"{CSRF_COOKIE}={new_token}; Path=/; HttpOnly; SameSite=Strict{secure}"
                    raw.append((b"set-cookie", cookie.encode("latin-1")))
                message["headers"] = raw
            await send(message)

        return decorated

    @staticmethod
    async def _refuse(send: Send, status: int, title: str, detail: str) -> None:
        body, headers = _problem(status, title, detail)
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def _is_own_origin(url: str, headers: Headers) -> bool:
    """Whether `url` names the host and port this request was sent to. The scheme is not compared: behind a
    TLS-terminating proxy the application sees http while the browser says https, for the very same site."""
    host = headers.get("host", "")
    return bool(host) and urlsplit(url).netloc.lower() == host.lower()


def _form_token(headers: Headers, body: bytes) -> str:
    if not headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        return ""
    values = parse_qs(body.decode("latin-1"), max_num_fields=1000).get(CSRF_FIELD)
    return values[0] if values else ""


def _nul_in(scope: Scope, headers: Headers, body: bytes) -> str | None:
    """Where the request carries a NUL character in text: PostgreSQL refuses it in every text column, and no
    name, query or form value means one. Binary uploads (multipart, octet streams) are not text and pass."""
    if b"%00" in scope.get("raw_path", b"") or b"\x00" in scope.get("raw_path", b""):
        return "path"
    if b"%00" in scope.get("query_string", b""):
        return "query string"
    if not body:
        return None
    content_type = headers.get("content-type", "")
    if content_type.startswith("application/x-www-form-urlencoded"):
        return "form" if b"%00" in body or b"\x00" in body else None
    if "json" in content_type and (b"\x00" in body or b"\\u0000" in body):
        return "JSON body" if b"\x00" in body or _json_has_nul(body) else None
    return None


def _json_has_nul(body: bytes) -> bool:
    # Only when the escape appears at all, so ordinary bodies are never parsed twice; `\\u0000` (an escaped
    # backslash before the letters) is no NUL, which parsing tells apart.
    try:
        return _holds_nul(json.loads(body))
    except ValueError:
        return False  # malformed JSON: the route's own parser answers that


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_nul(v) for v in value)
    return False


def _replay(body: bytes, receive: Receive) -> Callable[[], Awaitable[Message]]:
    """The body already read, then the client's own receive (which reports the disconnect)."""
    pending = True

    async def replay() -> Message:
        nonlocal pending
        if pending:
            pending = False
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def local_referer(request: Any, fallback: str = "/") -> str:
    """Where to send a reader back to: the page it came from on this site, never another site's address."""
    referer = request.headers.get("referer") or ""
    return referer if referer and _is_own_origin(referer, request.headers) else fallback
