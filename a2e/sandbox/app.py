"""The emulator's ASGI app: every kind's calls (built from the registry), the account's calls
and the media (``a2e.sandbox.media``). Each API call goes through one pipeline
(``a2e.sandbox.pipeline``)."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.routing import BaseRoute, Route

from a2e.core.kinds import KINDS
from a2e.sandbox import endpoints
from a2e.sandbox.credits import CREDITS_PATH
from a2e.sandbox.media import media_endpoint
from a2e.sandbox.pipeline import api_route
from a2e.sandbox.routes import kind_routes, path_task_id
from a2e.sandbox.state import SandboxState

ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


def create_app(state: SandboxState) -> Starlette:
    """The Starlette app answering A2E's API and the demo media from ``state``."""
    routes: list[BaseRoute] = [
        *_image_to_video_routes(state),
        *_mark_downloaded_routes(state),
        *kind_routes(state),
        api_route("/api/v1/user/remainingCoins", ["GET"], state, endpoints.remaining_coins(state)),
        api_route(CREDITS_PATH, ["GET"], state, endpoints.credits_history(state)),
        api_route("/api/{rest:path}", ALL_METHODS, state, endpoints.no_route),
        Route("/media/{filename:path}", media_endpoint(state), methods=["GET", "HEAD"]),
        Route("/{rest:path}", endpoints.no_route, methods=ALL_METHODS),
    ]
    return Starlette(routes=routes)


def _mark_downloaded_routes(state: SandboxState) -> list[BaseRoute]:
    """``POST .../{id}/markDownloaded`` of each kind that has one (counted by the request log)."""
    return [
        api_route(path, ["POST"], state, endpoints.mark_downloaded(state, kind), path_task_id)
        for kind in KINDS.values()
        if (path := (kind.mark_downloaded_path or "").format(id="{task_id}"))
    ]


def _image_to_video_routes(state: SandboxState) -> list[BaseRoute]:
    base = "/api/v1/userImage2Video"
    return [
        api_route(f"{base}/start", ["POST"], state, endpoints.start(state)),
        api_route(base + "/{task_id}", ["DELETE"], state, endpoints.delete(state), path_task_id),
    ]
