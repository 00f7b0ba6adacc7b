"""The dashboard's own HTTP routes beside Streamlit's, served by ``app.py``'s ``st.App``.

    /metrics     Prometheus text format of ``a2e.api.metrics.REGISTRY``, only with A2E_METRICS=1
                 (no ids, names, URLs or tokens in it: the metrics carry none)
    /a2e/zip/…, /a2e/kept/…   ZIPs of results and archived files (``a2e.ui.zip_route``)
    /a2e/export/<secret>/<file name>
               a viewer's *Export CSV* / *Export JSON*: the link their page was given, made
               when asked, for that browser while its session is connected
               (``a2e.ui.export_links``)
    /hooks/a2e   A2E's webhooks (``a2e.hooks.route``), on with A2E_WEBHOOK_TOKEN (from the
                 environment or the secrets), else a 404

Health checks use Streamlit's own ``/_stcore/health`` (200 ``ok`` once the server runs). The
routes are built once, when ``streamlit run app.py`` imports ``app.py`` at start, which is
also when cache settings are checked: a misconfigured shared cache stops the server there
(``SystemExit`` with a message naming the setting, never its value), rather than at a viewer's
first lookup.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from a2e.api.metrics import ACTIVE_SESSIONS, REDIS_CONFIGURED, REGISTRY
from a2e.cache.stores import URL_SETTING, CacheSettingsError, check_settings
from a2e.hooks.route import webhook_route
from a2e.ui.export_links import EXPORT_LINKS, EXPORT_PREFIX
from a2e.ui.settings import WEBHOOK_TOKEN_SETTING, server_setting
from a2e.ui.zip_route import XSRF_COOKIE, browser_binding, download_routes

METRICS_SETTING = "A2E_METRICS"
METRICS_PATH = "/metrics"
_YES = ("1", "true", "yes", "on")
# Nothing an export answers is kept by a browser or a proxy, nor sent on as a referrer.
_PRIVATE = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
GONE = (
    "This export link no longer answers (it lasts while its page is open). "
    "Press Export CSV or Export JSON on the dashboard again."
)


def server_routes(env: Mapping[str, str] = os.environ) -> list[BaseRoute]:
    """The routes to add to Streamlit's; stops the server (``SystemExit``) on unusable settings."""
    try:
        check_settings(env)
    except CacheSettingsError as exc:
        raise SystemExit(f"The A2E dashboard cannot start: {exc}") from None
    REDIS_CONFIGURED.set(1 if (env.get(URL_SETTING) or "").strip() else 0)
    EXPORT_LINKS.bind(session_connected)
    routes: list[BaseRoute] = [
        *download_routes(),
        Route(f"{EXPORT_PREFIX}/{{secret}}/{{file_name}}", export_endpoint, methods=["GET"]),
        hooks_route(env),
    ]
    if metrics_enabled(env):
        routes.append(Route(METRICS_PATH, metrics_endpoint, methods=["GET"]))
    return routes


def hooks_route(env: Mapping[str, str]) -> BaseRoute:
    """``/hooks/a2e``: on with ``A2E_WEBHOOK_TOKEN``, confirming through this process's cache."""
    token = (env.get(WEBHOOK_TOKEN_SETTING) or "").strip() or server_setting(WEBHOOK_TOKEN_SETTING)
    if not token:
        return webhook_route(None, lambda task_ids, received_at: False)
    from a2e.ui.webhooks import webhook_confirmer

    return webhook_route(token, webhook_confirmer().submit)


def metrics_enabled(env: Mapping[str, str]) -> bool:
    """Whether ``A2E_METRICS`` turns the ``/metrics`` route on (off by default)."""
    return (env.get(METRICS_SETTING) or "").strip().lower() in _YES


async def metrics_endpoint(request: Request) -> Response:
    """The current metrics in Prometheus's text format."""
    ACTIVE_SESSIONS.set(active_sessions())
    return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)


async def export_endpoint(request: Request) -> Response:
    """A viewer's export, made now from what their page shows; 410 for any other link (or
    another browser)."""
    address = request.client.host if request.client else None
    binding = browser_binding(request.cookies.get(XSRF_COOKIE), address)
    params = request.path_params
    export = EXPORT_LINKS.take(str(params["secret"]), str(params["file_name"]), binding)
    if export is None:
        return PlainTextResponse(GONE, status_code=410, headers=_PRIVATE)
    body = await run_in_threadpool(export.make)
    disposition = f'attachment; filename="{export.file_name}"'
    headers = _PRIVATE | {"Content-Disposition": disposition}
    return Response(body.encode(), media_type=export.media_type, headers=headers)


def session_connected(session_id: str) -> bool:
    """True while the browser session ``session_id`` is connected to this process."""
    from streamlit import runtime

    return runtime.exists() and runtime.get_instance().is_active_session(session_id)


def active_sessions() -> int:
    """Browser sessions connected to this process, as Streamlit counts them."""
    from streamlit import runtime
    from streamlit.runtime.stats import ACTIVE_SESSIONS_FAMILY

    if not runtime.exists():
        return 0
    stats = runtime.get_instance().stats_mgr.get_stats(family_names=[ACTIVE_SESSIONS_FAMILY])
    return sum(int(getattr(stat, "value", 0)) for stat in stats.get(ACTIVE_SESSIONS_FAMILY, []))
