"""Security headers on every HTTP response of the server (pages, scripts, the health check, our
routes), added by an ASGI middleware that ``app_server.py`` mounts in front of Streamlit's own.

What is set, and why:

* ``Strict-Transport-Security`` (HTTPS only): a browser that once reached the dashboard over HTTPS
  never again tries plain HTTP for it (a year);
* ``X-Content-Type-Options: nosniff``: a file is only ever what its type says;
* ``X-Frame-Options: SAMEORIGIN`` and CSP ``frame-ancestors 'self'``: no other site can frame the
  dashboard to trick a click (Streamlit's own components frame same-origin pages, hence not DENY);
* ``Referrer-Policy: same-origin``: a link out does not tell other sites the dashboard's URLs;
* ``Permissions-Policy``: no camera, microphone, location or payment;
* CSP ``base-uri 'self'; object-src 'none'; form-action 'self'``.

What this does not set: a ``script-src`` / ``style-src`` policy. Streamlit 1.67's ``index.html``
starts with an inline ``<script>``, its front end styles itself with inline styles (CSS-in-JS) and
Plotly sets inline styles on every chart; Streamlit has no option to add nonces or hashes, so a
policy without ``'unsafe-inline'`` breaks every page and one with it protects little. The CSP
therefore stops at the directives above. Text from files and users is never rendered as HTML (the
project's rule), which is what a script policy would otherwise guard.
WebSocket messages carry no headers and are left alone.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

HEADERS: tuple[tuple[str, str], ...] = (
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "SAMEORIGIN"),
    ("referrer-policy", "same-origin"),
    ("permissions-policy", "camera=(), microphone=(), geolocation=(), payment=()"),
    ("content-security-policy", "frame-ancestors 'self'; base-uri 'self'; object-src 'none'; form-action 'self'"),
)
HSTS = ("strict-transport-security", "max-age=31536000")


def headers_for(scheme: str) -> list[tuple[bytes, bytes]]:
    """The headers added to a response served over ``scheme``.

    >>> [k for k, _ in headers_for("https")][-1], len(headers_for("http")) == len(HEADERS)
    (b'strict-transport-security', True)
    """
    pairs = [*HEADERS, HSTS] if scheme == "https" else list(HEADERS)
    return [(k.encode("latin-1"), v.encode("latin-1")) for k, v in pairs]


class SecurityHeaders:
    """ASGI middleware: adds :func:`headers_for` to every HTTP response that does not set them."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope.get("type") != "http":
            await self.app(scope, receive, send)
            return
        extra = headers_for(str(scope.get("scheme", "http")))

        async def send_with_headers(message: Message) -> None:
            if message.get("type") == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []), *(h for h in extra if h[0] not in present)]
            await send(message)

        await self.app(scope, receive, send_with_headers)
