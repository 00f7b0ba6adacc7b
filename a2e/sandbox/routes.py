"""Every kind's calls, built from its registry row: detail (each path style), list,
``avgProcessingTime`` and ``batchDetail``. No kind has code of its own here.

A detail call takes the id in the path (``/{id}``, ``/detail/{id}``), in the query (avatar
video's ``video/detail?video_id=``) or in a JSON body (``awsResult``, which answers a list of
zero or one record). List and average-time routes come first: a kind's ``/{id}`` route would
match ``allRecords`` too.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.routing import BaseRoute

from a2e.core.kinds import KINDS, DetailCall, TaskKind
from a2e.sandbox import endpoints
from a2e.sandbox.batch import batch_detail
from a2e.sandbox.pipeline import FindTaskId, api_route
from a2e.sandbox.state import SandboxState

PATH_ID = "{task_id}"


def kind_routes(state: SandboxState) -> list[BaseRoute]:
    """The routes of every registered kind, lists and batches before details."""
    kinds = list(KINDS.values())
    return [
        *(route for kind in kinds for route in _list_routes(state, kind)),
        *(route for kind in kinds for route in _batch_routes(state, kind)),
        *(route for kind in kinds for route in _detail_routes(state, kind)),
    ]


def _list_routes(state: SandboxState, kind: TaskKind) -> list[BaseRoute]:
    routes: list[BaseRoute] = []
    if kind.listing is not None:
        handler = endpoints.list_records(state, kind)
        routes.append(api_route(kind.listing.path, ["GET"], state, handler))
    if kind.avg_time_path:
        handler = endpoints.avg_processing_time(state, kind)
        routes.append(api_route(kind.avg_time_path, ["GET"], state, handler))
    return routes


def _batch_routes(state: SandboxState, kind: TaskKind) -> list[BaseRoute]:
    if kind.batch_path is None:
        return []
    return [api_route(kind.batch_path, ["POST"], state, batch_detail(state, kind))]


def _detail_routes(state: SandboxState, kind: TaskKind) -> list[BaseRoute]:
    routes: list[BaseRoute] = []
    for call in kind.detail_calls:
        find = task_id_finder(call)
        handler = endpoints.detail(state, kind, call, find)
        path = call.path.replace("{id}", PATH_ID)
        routes.append(api_route(path, [call.method], state, handler, find))
    return routes


def task_id_finder(call: DetailCall) -> FindTaskId:
    """How a request to ``call`` names its task: path, query or body (lower-cased)."""
    if call.body_id is not None:
        return _body_task_id(call.body_id)
    if call.query_id is not None:
        return _query_task_id(call.query_id)
    return path_task_id


async def path_task_id(request: Request) -> str | None:
    """The ``{task_id}`` of the path, lower-cased."""
    value = request.path_params.get("task_id")
    return str(value).lower() if value is not None else None


def _query_task_id(name: str) -> FindTaskId:
    async def find(request: Request) -> str | None:
        value = request.query_params.get(name)
        return value.lower() if value else None

    return find


def _body_task_id(field_name: str) -> FindTaskId:
    async def find(request: Request) -> str | None:
        body = await endpoints.json_body(request)
        value = body.get(field_name) if isinstance(body, dict) else None
        return value.lower() if isinstance(value, str) else None

    return find
