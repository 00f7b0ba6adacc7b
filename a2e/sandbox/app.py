"""The emulator's ASGI app: every API call goes through one pipeline, then its endpoint.

The pipeline, in order: added latency, the request log, an armed fault that replaces the
answer, the token check, the endpoint, and an armed fault that reshapes the answer.
"""

from __future__ import annotations

import asyncio
import hmac
from collections.abc import Awaitable, Callable

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import BaseRoute, Route

from a2e.core.kinds import KINDS
from a2e.sandbox import endpoints
from a2e.sandbox.endpoints import Handler
from a2e.sandbox.fault_answers import replacement, reshaped
from a2e.sandbox.faults import ANSWER_SHAPING, ArmedFault, Fault
from a2e.sandbox.responses import Answer, api_error, express_not_found
from a2e.sandbox.state import AuthFailure, SandboxState

FindTaskId = Callable[[Request], Awaitable[str | None]]

ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
HANG_POLL_SECONDS = 0.05


def create_app(state: SandboxState) -> Starlette:
    """The Starlette app answering A2E's API and the demo media from ``state``."""
    routes: list[BaseRoute] = [
        *_list_routes(state),
        *_image_to_video_routes(state),
        *_status_routes(state),
        _api("/api/v1/user/remainingCoins", ["GET"], state, endpoints.remaining_coins(state)),
        _api("/api/{rest:path}", ALL_METHODS, state, endpoints.no_route),
        Route("/media/{filename:path}", _media(state), methods=["GET", "HEAD"]),
        Route("/{rest:path}", endpoints.no_route, methods=ALL_METHODS),
    ]
    return Starlette(routes=routes)


def _image_to_video_routes(state: SandboxState) -> list[BaseRoute]:
    base = "/api/v1/userImage2Video"
    return [
        _api(f"{base}/batchDetail", ["POST"], state, endpoints.batch_detail(state)),
        _api(f"{base}/start", ["POST"], state, endpoints.start(state)),
        _api(base + "/{task_id}", ["DELETE"], state, endpoints.delete(state), _path_task_id),
    ]


def _list_routes(state: SandboxState) -> list[BaseRoute]:
    """Each kind's list and average-time calls (before the status routes, which match all)."""
    routes: list[BaseRoute] = []
    for kind in KINDS.values():
        if kind.list_path:
            routes.append(_api(kind.list_path, ["GET"], state, endpoints.list_records(state, kind)))
        if kind.avg_time_path:
            handler = endpoints.avg_processing_time(state, kind)
            routes.append(_api(kind.avg_time_path, ["GET"], state, handler))
    return routes


def _status_routes(state: SandboxState) -> list[BaseRoute]:
    routes: list[BaseRoute] = []
    for kind in KINDS.values():
        path = kind.status_path("{task_id}")
        if kind.body_id_field:
            handler, find = endpoints.body_status(state, kind), _body_task_id(kind.body_id_field)
            routes.append(_api(path, [kind.method], state, handler, find))
        else:
            routes.append(
                _api(path, [kind.method], state, endpoints.status(state, kind), _path_task_id)
            )
    return routes


def _api(
    path: str,
    methods: list[str],
    state: SandboxState,
    handler: Handler,
    find_task_id: FindTaskId | None = None,
) -> Route:
    async def endpoint(request: Request) -> Response:
        task_id = await find_task_id(request) if find_task_id else None
        return await _serve(state, request, handler, task_id)

    return Route(path, endpoint, methods=methods)


async def _serve(
    state: SandboxState, request: Request, handler: Handler, task_id: str | None
) -> Response:
    if state.latency > 0:
        await asyncio.sleep(state.latency)
    state.requests.record(request.method, request.url.path, task_id)
    armed = state.faults.take(task_id)
    if armed is not None and armed.fault not in ANSWER_SHAPING:
        return await _misbehave(state, request, armed)
    if not _authorized(request, state.token):
        return auth_failure_answer(state.auth_failure).response()
    answer = await handler(request)
    if isinstance(answer, Response):
        return answer
    if armed is None:
        return answer.response()
    return reshaped(armed, answer, state.stopping)


async def _misbehave(state: SandboxState, request: Request, armed: ArmedFault) -> Response:
    if armed.fault is Fault.HANG:
        while not state.stopping.is_set():
            await asyncio.sleep(HANG_POLL_SECONDS)
        return api_error(503, 503, "Service Unavailable: shutting down").response()
    if armed.fault is Fault.AUTH_FAILURE:
        return auth_failure_answer(state.auth_failure).response()
    return replacement(armed, request.method, request.url.path)


def _authorized(request: Request, token: str) -> bool:
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    given_bytes = given.strip().encode("latin-1")
    return scheme.lower() == "bearer" and hmac.compare_digest(given_bytes, token.encode())


def auth_failure_answer(style: AuthFailure) -> Answer:
    """What a wrong or missing token gets, in the configured style."""
    if style == "code_200":
        return api_error(200, 1001, "Invalid token: the API token is missing, wrong or revoked")
    return api_error(401, 401, "Unauthorized: invalid token")


async def _path_task_id(request: Request) -> str | None:
    value = request.path_params.get("task_id")
    return str(value).lower() if value is not None else None


def _body_task_id(field_name: str) -> FindTaskId:
    async def find(request: Request) -> str | None:
        body = await endpoints.json_body(request)
        value = body.get(field_name) if isinstance(body, dict) else None
        return value.lower() if isinstance(value, str) else None

    return find


def _media(state: SandboxState) -> Callable[[Request], Awaitable[Response]]:
    async def media(request: Request) -> Response:
        root = state.media_dir.resolve()
        target = (root / str(request.path_params["filename"])).resolve()
        if not target.is_relative_to(root) or not target.is_file():
            return express_not_found(request.method, request.url.path)
        return FileResponse(target)

    return media
