"""``POST <kind>/batchDetail`` with ``{"ids": [...]}``: the found records of one kind.

Answers in the kind's ``BatchBehaviour`` (``a2e.sandbox.batch_answers``: shape and faults), and
notes each call's ids in the state's batch log, so tests can count calls and see what each
asked. Ids of other kinds and unknown ids are simply not in the answer, as A2E documents
("an empty collection is a valid answer"); ``ids`` that is not a list of strings, or more ids
than the kind's ``batch_max``, is a 400.
"""

from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.responses import Response

from a2e.core.kinds import TaskKind
from a2e.sandbox.batch_answers import batch_answer, refusal
from a2e.sandbox.endpoints import Handler, json_body
from a2e.sandbox.responses import Answer, api_error
from a2e.sandbox.state import SandboxState


def batch_detail(state: SandboxState, kind: TaskKind) -> Handler:
    """The kind's ``batchDetail`` endpoint."""

    async def answer(request: Request) -> Answer | Response:
        behaviour = state.batch_behaviour(kind.key)
        if behaviour.delay > 0:
            await asyncio.sleep(behaviour.delay)
        body = await json_body(request)
        ids = body.get("ids") if isinstance(body, dict) else None
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            return api_error(400, 400, "ids must be a list of task ids")
        if kind.batch_max is not None and len(ids) > kind.batch_max:
            return api_error(400, 400, f"at most {kind.batch_max} ids per call")
        state.batches.record(kind.key, [str(i).lower() for i in ids])
        refused = refusal(behaviour, request.method, request.url.path)
        if refused is not None:
            return refused
        base = state.media_base(request)
        asked = list(dict.fromkeys(str(i).lower() for i in ids))
        records = [state.store.record(kind.key, i, base) for i in asked]
        foreign = [i for i in state.store.ids_newest_first(kind.key) if i not in asked]
        extra = [state.store.record(kind.key, i, base) for i in foreign[: behaviour.foreign]]
        return batch_answer(behaviour, [r for r in records + extra if r is not None])

    return answer
