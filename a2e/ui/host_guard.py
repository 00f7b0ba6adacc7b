"""The server's first check: a request must name a host the deployment answers to.

``HostGuard`` is ASGI middleware that ``app.py``'s ``st.App`` runs before Streamlit's own
handlers, so it covers every route the server has: the page, its scripts and static files,
``/app/static/``, the websocket that carries the data, sign-in, ``/metrics``. A request whose
``Host`` is not in ``A2E_ALLOWED_HOSTS`` (``a2e.access.hosts``) gets ``400`` and one line of
plain text, and a websocket is closed before it opens, so no page, script or data reaches it.
Streamlit's health check (``/_stcore/health``, which says only ``ok``) is answered for any
name: load balancers and container health checks call it by address. Without the setting,
every name is answered, as before.
"""

from __future__ import annotations

from starlette.middleware import Middleware
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from a2e.access.hosts import AllowedHosts

REFUSAL = "This dashboard does not answer to this host name.\n"
HEALTH_PATH = "/_stcore/health"
# A websocket refused before its handshake completes: the server answers HTTP 403.
_POLICY_VIOLATION = 1008


class HostGuard:
    """Refuse, before anything else runs, requests to a host the deployment does not answer."""

    def __init__(self, app: ASGIApp, allowed: AllowedHosts) -> None:
        self.app = app
        self.allowed = allowed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or self._admits(scope):
            await self.app(scope, receive, send)
        elif scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": _POLICY_VIOLATION})
        else:
            await PlainTextResponse(REFUSAL, status_code=400)(scope, receive, send)

    def _admits(self, scope: Scope) -> bool:
        if not self.allowed.configured or str(scope.get("path", "")).endswith(HEALTH_PATH):
            return True
        hosts = [value for name, value in scope.get("headers", []) if name.lower() == b"host"]
        host = hosts[0].decode("latin-1") if len(hosts) == 1 else None
        return self.allowed.admits(host)


def host_guard(allowed: AllowedHosts) -> list[Middleware]:
    """The middleware for ``st.App`` (none when every name is answered)."""
    return [Middleware(HostGuard, allowed=allowed)] if allowed.configured else []
