"""``POST /hooks/a2e``: the webhook route, answered in milliseconds, asking nothing itself.

    404  webhooks are off (no ``A2E_WEBHOOK_TOKEN``)
    401  the ``X-A2e-Webhook-Token`` header is missing or wrong       (bad_token)
    413  the body is over 64 KiB                                      (bad_body)
    400  the body is not a JSON object or array, or names no task id  (bad_body)
    503  too many ids are waiting to be confirmed                      (busy)
    202  the ids are scheduled for confirmation (``a2e.hooks.confirm``)

Checks run in that order, so a request without the token costs a header comparison: its body
is not even read. Answers are JSON ``{"error": ...}`` or ``{"accepted": N}`` and never repeat
what the request sent. The route only schedules: the confirmation happens on the worker.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from a2e.api.metrics import WEBHOOKS
from a2e.api.records import number
from a2e.hooks.receipt import HEADER, MAX_BODY_BYTES, BadBody, read_ids, token_matches

WEBHOOK_PATH = "/hooks/a2e"
Submit = Callable[[list[str], float], bool]


class _TooLarge(Exception):
    """The body is over the limit."""


def webhook_route(token: str | None, submit: Submit) -> Route:
    """The route: on with a token (webhooks scheduled through ``submit``), else a 404."""
    if not token:
        return Route(WEBHOOK_PATH, _off, methods=["GET", "HEAD", "POST"])

    async def receive(request: Request) -> JSONResponse:
        received_at = time.monotonic()
        if not token_matches(request.headers.get(HEADER), token):
            return _refused(401, "bad_token", f"missing or wrong {HEADER} header")
        try:
            task_ids = read_ids(await _capped_body(request))
        except _TooLarge:
            return _refused(413, "bad_body", f"the body is over {MAX_BODY_BYTES // 1024} KiB")
        except BadBody as exc:
            return _refused(400, "bad_body", str(exc))
        if not submit(task_ids, received_at):
            return _refused(503, "busy", "too many task ids are waiting to be confirmed")
        return JSONResponse({"accepted": len(task_ids)}, status_code=202)

    return Route(WEBHOOK_PATH, receive, methods=["POST"])


async def _off(request: Request) -> JSONResponse:
    return JSONResponse({"error": "webhooks are not enabled on this dashboard"}, status_code=404)


def _refused(status: int, result: str, message: str) -> JSONResponse:
    WEBHOOKS.labels(result).inc()
    return JSONResponse({"error": message}, status_code=status)


async def _capped_body(request: Request) -> bytes:
    declared = number(request.headers.get("content-length"))
    if declared is not None and declared > MAX_BODY_BYTES:
        raise _TooLarge
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise _TooLarge
        chunks.append(chunk)
    return b"".join(chunks)
