"""The pipeline every API call of the emulator goes through before and after its endpoint.

In order: added latency, the request log, a call this server is made not to have (Express's
404, as a server without that call answers), an armed fault that replaces the answer, the token
check, the endpoint, and an armed fault that reshapes the answer.
"""

from __future__ import annotations

import asyncio
import hmac
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from a2e.sandbox.endpoints import Handler
from a2e.sandbox.fault_answers import replacement, reshaped
from a2e.sandbox.faults import ANSWER_SHAPING, ArmedFault, Fault
from a2e.sandbox.responses import Answer, api_error, express_not_found
from a2e.sandbox.state import AuthFailure, SandboxState

FindTaskId = Callable[[Request], Awaitable[str | None]]

HANG_POLL_SECONDS = 0.05


def api_route(
    path: str,
    methods: list[str],
    state: SandboxState,
    handler: Handler,
    find_task_id: FindTaskId | None = None,
) -> Route:
    """A route whose calls go through the pipeline; ``find_task_id`` names the task asked."""

    async def endpoint(request: Request) -> Response:
        task_id = await find_task_id(request) if find_task_id else None
        if path in state.missing_calls:
            state.requests.record(request.method, request.url.path, task_id)
            return express_not_found(request.method, request.url.path)
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
