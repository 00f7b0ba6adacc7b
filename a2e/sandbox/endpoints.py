"""The API's endpoints, each answering from the task store once the pipeline let it through.

An unknown or malformed id gets Express's HTML 404, as A2E answers; an unknown id asked
through the body (avatar video's ``awsResult``) gets an empty list.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response

from a2e.core.kinds import DetailCall, TaskKind
from a2e.sandbox.credits import credits_answer
from a2e.sandbox.list_answers import WHOLE_LIST, avg_answer, list_answer, with_repeats
from a2e.sandbox.responses import Answer, api_error, express_not_found, success
from a2e.sandbox.state import SandboxState

Handler = Callable[[Request], Awaitable[Answer | Response]]
FindId = Callable[[Request], Awaitable[str | None]]

IMAGE_TO_VIDEO = "image2video"
_TASK_ID = re.compile(r"[0-9a-fA-F]{24}")


async def no_route(request: Request) -> Response:
    """Express's answer to a path (or id) it has no route for."""
    return express_not_found(request.method, request.url.path)


async def json_body(request: Request) -> object:
    """The request's JSON body, or ``None`` when it has none or it does not parse."""
    try:
        return json.loads(await request.body())
    except (ValueError, UnicodeDecodeError):
        return None


def detail(state: SandboxState, kind: TaskKind, call: DetailCall, find: FindId) -> Handler:
    """A kind's detail call: the task's record (a list of zero or one for a body-id call)."""

    async def answer(request: Request) -> Answer | Response:
        task_id = await find(request)
        found = None
        if task_id is not None and _TASK_ID.fullmatch(task_id):
            found = state.store.record(kind.key, task_id, state.media_base(request))
        if call.body_id is not None:
            return success([] if found is None else [found])
        return await no_route(request) if found is None else success(found)

    return answer


def list_records(state: SandboxState, kind: TaskKind) -> Handler:
    """A kind's list call: one page of rows, newest first, in the kind's paging style.

    A page size beyond the kind's documented largest (else the emulator's) is cut to it; none
    given is the documented default (else 10). A list that is not paged answers every row. The
    kind's ``status`` parameter, where it has one, keeps only the tasks showing that word.
    """

    async def answer(request: Request) -> Answer | Response:
        listing = kind.listing
        if listing is None:
            return await no_route(request)
        status = request.query_params.get(listing.status_param or "") or None
        base = state.media_base(request)
        if not listing.paged:
            rows, total = state.store.page(kind.key, 1, None, base, status)
            rows = with_repeats(rows, state.repeated_rows)
            return list_answer(state.list_shape(kind.key), rows, total, (1, len(rows)))
        page = max(1, _int_param(request, listing.page_param, 1))
        largest = min(state.max_page_size, listing.max_size or state.max_page_size)
        asked = _int_param(request, listing.size_param, listing.default_size or 10)
        size = min(largest, max(1, asked))
        sent = (1, WHOLE_LIST) if state.whole_lists else (page, size)
        rows, total = state.store.page(kind.key, *sent, base, status)
        rows = with_repeats(rows, state.repeated_rows)
        return list_answer(state.list_shape(kind.key), rows, total, (page, size))

    return answer


def avg_processing_time(state: SandboxState, kind: TaskKind) -> Handler:
    """``GET <kind's avgProcessingTime path>``: how long a task usually takes."""

    async def answer(request: Request) -> Answer | Response:
        return avg_answer(state.avg_time(kind.key), request.method, request.url.path)

    return answer


def start(state: SandboxState) -> Handler:
    """``POST /api/v1/userImage2Video/start``: a new ``sent`` task, charged when it starts."""

    async def answer(request: Request) -> Answer | Response:
        body = await json_body(request)
        fields = (
            {k: v for k, v in body.items() if isinstance(v, str)} if isinstance(body, dict) else {}
        )
        if not fields.get("image_url", "").strip():
            return api_error(400, 400, "image_url is required")
        record = state.store.start_image_to_video(fields, state.media_base(request))
        if record is None:
            return api_error(200, 1002, "Insufficient coins: please top up your account")
        return success(record)

    return answer


def delete(state: SandboxState) -> Handler:
    """``DELETE /api/v1/userImage2Video/{id}``: removes the task and answers its last record."""

    async def answer(request: Request) -> Answer | Response:
        task_id = str(request.path_params["task_id"]).lower()
        found = state.store.delete(IMAGE_TO_VIDEO, task_id, state.media_base(request))
        return await no_route(request) if found is None else success(found)

    return answer


def mark_downloaded(state: SandboxState, kind: TaskKind) -> Handler:
    """``POST <kind path>/{id}/markDownloaded``: noted (the request log counts it)."""

    async def answer(request: Request) -> Answer | Response:
        task_id = str(request.path_params["task_id"]).lower()
        found = state.store.record(kind.key, task_id, state.media_base(request))
        return await no_route(request) if found is None else success({"_id": task_id})

    return answer


def remaining_coins(state: SandboxState) -> Handler:
    """``GET /api/v1/user/remainingCoins``: the account's balance."""

    async def answer(request: Request) -> Answer | Response:
        return success({"coins": state.store.remaining_coins()})

    return answer


def credits_history(state: SandboxState) -> Handler:
    """``GET /api/v1/transactionRecord/creditsHistory``: the account's charges and refunds."""

    async def answer(request: Request) -> Answer | Response:
        entries = state.store.ledger()
        query = dict(request.query_params)
        return credits_answer(state.credits_shape, entries, query, request.url.path)

    return answer


def _int_param(request: Request, name: str | None, default: int) -> int:
    try:
        return int(request.query_params.get(name or "", default))
    except ValueError:
        return default
