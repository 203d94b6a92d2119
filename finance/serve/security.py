"""Safe by default: who may reach the dashboard, and what every answer carries.

- It listens on the loopback address (127.0.0.1). Any other address is refused unless
  ``FINANCE_SERVE_TOKEN`` is set (at least ``TOKEN_MIN`` characters): ``check_bind``.
- With a token, every request needs it: an ``Authorization: Bearer <token>`` header, or the
  cookie the page gets when it is first opened as ``/?token=<token>`` (the address is then
  reloaded without the token, so it stays out of the history and of any ``Referer``).
- Without a token only loopback names are accepted in the ``Host`` header, so a web page that
  points a name of its own at 127.0.0.1 (DNS rebinding) gets nothing.
- A request that changes something (``POST``) from another site's page is refused (its
  ``Origin`` or ``Sec-Fetch-Site`` says so), so no page on the internet can upload into the
  ledger through the user's browser.
- A request body is cut off at the upload limit (``413``), before it is read to the end.
- Every answer carries a Content-Security-Policy like the report's (scripts only from the
  dashboard itself, no inline script, nothing from elsewhere), ``nosniff``, no referrer, no
  framing; API answers are not cached.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from finance import i18n
from finance.errors import FinanceError

TOKEN_ENV = "FINANCE_SERVE_TOKEN"
TOKEN_MIN = 16
COOKIE = "finance_token"

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
"""Scripts only from the dashboard's own files (no inline script, no ``eval``); inline styles
are allowed as in the report (the chart library positions its tooltips with them)."""

HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 or ``localhost``."""
    name = host.strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def check_bind(host: str, token: str | None) -> None:
    """Refuse to listen on a non-loopback address without a token, or with a short one."""
    if token is not None and len(token) < TOKEN_MIN:
        raise FinanceError("serve_token_short", env=TOKEN_ENV, length=TOKEN_MIN)
    if not is_loopback(host) and not token:
        raise FinanceError("serve_needs_token", host=host, env=TOKEN_ENV)


def cookie_value(token: str) -> str:
    """What the cookie holds: a keyed digest of the token (the token itself never is stored)."""
    return hmac.new(token.encode(), b"finance serve cookie", hashlib.sha256).hexdigest()


class TooLarge(Exception):
    """The request body passed the upload limit."""


class Guard:
    """The ASGI middleware that applies the rules above to every HTTP request."""

    def __init__(self, app: ASGIApp, *, token: str | None, bind_host: str, max_body: int) -> None:
        self.app, self.token, self.max_body = app, token, max_body
        self.any_host = not is_loopback(bind_host)  # the token guards the door then
        self.cookie = cookie_value(token) if token else ""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        api = scope["path"].startswith("/api/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                extra = list(HEADERS)
                if api:
                    extra.append((b"cache-control", b"no-store"))
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        refusal = self._refusal(scope, headers)
        if refusal is not None:
            status, key = refusal
            await _plain(send_with_headers, status, i18n.both(key), api)
            return
        if self.token and scope["method"] == "GET" and self._token_in_query(scope):
            await self._set_cookie(scope, send_with_headers)
            return
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > self.max_body:
            await _plain(send_with_headers, 413, self._too_large(), api)
            return
        await self.app(scope, self._limited(receive), send_with_headers)

    def _refusal(self, scope: Scope, headers: dict[str, str]) -> tuple[int, str] | None:
        host = headers.get("host", "")
        name = urlsplit(f"//{host}").hostname or ""
        if not self.any_host and not is_loopback(name):
            return 421, "serve_bad_host"
        if scope["method"] not in ("GET", "HEAD", "OPTIONS"):
            origin = headers.get("origin")
            if origin is not None and urlsplit(origin).netloc != host:
                return 403, "serve_cross_site"
            if headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
                return 403, "serve_cross_site"
        if self.token and not self._authorised(scope, headers):
            return 401, "serve_token_needed"
        return None

    def _authorised(self, scope: Scope, headers: dict[str, str]) -> bool:
        assert self.token is not None
        bearer = headers.get("authorization", "")
        if bearer.lower().startswith("bearer ") and hmac.compare_digest(
            bearer[7:].strip().encode(), self.token.encode()
        ):
            return True
        cookies = SimpleCookie()
        try:
            cookies.load(headers.get("cookie", ""))
        except Exception:
            return False
        held = cookies.get(COOKIE)
        if held is not None and hmac.compare_digest(held.value.encode(), self.cookie.encode()):
            return True
        return scope["method"] == "GET" and self._token_in_query(scope)

    def _token_in_query(self, scope: Scope) -> bool:
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        given = query.get("token")
        return given is not None and hmac.compare_digest(
            given.encode(), (self.token or "").encode()
        )

    async def _set_cookie(self, scope: Scope, send: Send) -> None:
        """Keep the token as a cookie and reload the address without it."""
        query = [
            (k, v)
            for k, v in parse_qsl(scope.get("query_string", b"").decode("latin-1"))
            if k != "token"
        ]
        location = scope["path"] + (f"?{urlencode(query)}" if query else "")
        cookie = f"{COOKIE}={self.cookie}; HttpOnly; SameSite=Strict; Path=/"
        await send(
            {
                "type": "http.response.start",
                "status": 303,
                "headers": [
                    (b"location", location.encode("latin-1")),
                    (b"set-cookie", cookie.encode()),
                    (b"content-length", b"0"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": b""})

    def _too_large(self) -> str:
        return i18n.both("serve_upload_too_large", limit=_megabytes(self.max_body))

    def _limited(self, receive: Receive) -> Receive:
        seen = 0
        limit = self.max_body

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise TooLarge()
            return message

        return limited


def _megabytes(size: int) -> str:
    return f"{size / (1 << 20):g} MB"


async def _plain(send: Send, status: int, text: str, api: bool) -> None:
    """A short answer: JSON ``{"error": ...}`` under /api/, plain text elsewhere."""
    if api:
        import json

        body = json.dumps({"error": text}, ensure_ascii=False).encode()
        kind = b"application/json"
    else:
        body = text.encode()
        kind = b"text/plain; charset=utf-8"
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", kind), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})
