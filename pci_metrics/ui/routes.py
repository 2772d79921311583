"""The server's own routes beside Streamlit's: they set and clear the sign-in cookie.

Streamlit 1.67 reads the browser's cookies (``st.context.cookies``) but gives a script no way to set
one: a script runs over the WebSocket, after the page's HTTP response is gone (Streamlit's open
requests "Ability to write cookies" and "Allow programmatically writing cookies during a session";
``st.login`` sets cookies only for an identity provider, which the ward does not have). What it does give is ``st.App`` (Streamlit's ASGI server) with routes of our own, whose
HTTP responses may set any cookie. So the page hands the browser a one-time code
(:func:`pci_metrics.trust.sessions.begin`), a small script posts it here, and the response sets the
session secret as an HttpOnly, SameSite=Strict cookie that no page script can read.

The cookie has no Max-Age: closing the browser forgets it (a ward office PC is shared); the server
ends the sign-in itself after its idle time, on sign-out and on any change to the account.
``app_server.py`` mounts these routes; :mod:`pci_metrics.ui.serve` runs it.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from pci_metrics.store import storage
from pci_metrics.trust import sessions

SESSION_PATH = "/_pci/session"
SIGN_OUT_PATH = "/_pci/signout"
_MAX_CODE_BYTES = 128  # a code is 43 characters: anything longer is not one


def _secure(request: Request) -> bool:
    """Mark the cookie Secure when the page was served over HTTPS (directly or by a TLS proxy)."""
    return request.url.scheme == "https" or request.headers.get("x-forwarded-proto", "") == "https"


async def collect_cookie(request: Request) -> Response:
    """POST the one-time code: 204 with the session cookie, or 403 when the code is not good."""
    code = (await request.body())[:_MAX_CODE_BYTES].decode("ascii", "replace")
    token = await run_in_threadpool(sessions.collect, storage.db_path(), code)
    if token is None:
        return Response(status_code=403)
    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    response.set_cookie(sessions.COOKIE, token, httponly=True, samesite="strict", path="/",
                        secure=_secure(request))
    return response


async def sign_out(request: Request) -> Response:
    """POST: end the sign-in whose cookie came with the request and clear the cookie."""
    token = request.cookies.get(sessions.COOKIE)
    if token:
        await run_in_threadpool(sessions.end_by_token, storage.db_path(), token)
    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    response.delete_cookie(sessions.COOKIE, path="/", httponly=True, samesite="strict", secure=_secure(request))
    return response


ROUTES = [Route(SESSION_PATH, collect_cookie, methods=["POST"]),
          Route(SIGN_OUT_PATH, sign_out, methods=["POST"])]
