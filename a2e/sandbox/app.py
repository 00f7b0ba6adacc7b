"""The emulator's ASGI app: every kind's calls (built from the registry), the account's calls
and the demo media. Each API call goes through one pipeline (``a2e.sandbox.pipeline``)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import BaseRoute, Route

from a2e.sandbox import endpoints
from a2e.sandbox.pipeline import api_route
from a2e.sandbox.responses import express_not_found
from a2e.sandbox.routes import kind_routes, path_task_id
from a2e.sandbox.state import SandboxState

ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


def create_app(state: SandboxState) -> Starlette:
    """The Starlette app answering A2E's API and the demo media from ``state``."""
    routes: list[BaseRoute] = [
        *_image_to_video_routes(state),
        *kind_routes(state),
        api_route("/api/v1/user/remainingCoins", ["GET"], state, endpoints.remaining_coins(state)),
        api_route("/api/{rest:path}", ALL_METHODS, state, endpoints.no_route),
        Route("/media/{filename:path}", _media(state), methods=["GET", "HEAD"]),
        Route("/{rest:path}", endpoints.no_route, methods=ALL_METHODS),
    ]
    return Starlette(routes=routes)


def _image_to_video_routes(state: SandboxState) -> list[BaseRoute]:
    base = "/api/v1/userImage2Video"
    return [
        api_route(f"{base}/start", ["POST"], state, endpoints.start(state)),
        api_route(base + "/{task_id}", ["DELETE"], state, endpoints.delete(state), path_task_id),
    ]


def _media(state: SandboxState) -> Callable[[Request], Awaitable[Response]]:
    async def media(request: Request) -> Response:
        root = state.media_dir.resolve()
        target = (root / str(request.path_params["filename"])).resolve()
        if not target.is_relative_to(root) or not target.is_file():
            return express_not_found(request.method, request.url.path)
        return FileResponse(target)

    return media
