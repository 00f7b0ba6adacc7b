"""How the emulator answers ``batchDetail``: every plausible shape, and the ways it goes wrong.

The answer's shape is not documented (A2E_API.md: "likely ``data`` as a list, or
``data.rows``/``data.list``"), so a kind's batch answers carry the found records as

    list       {"data": [record, ...]}                      (the default)
    rows       {"data": {"rows": [...], "count": N}}
    list_key   {"data": {"list": [...], "total": N}}
    map        {"data": {"<id>": record, ...}}
    unknown    {"data": "ok"}                               (a shape no client can read)

in any order (the records are shuffled: a client must match them by ``_id``). Faults, per kind:
``missing`` ids are left out of the answer although they exist (a client must then ask their
detail call), ``foreign`` adds that many records of tasks that were not asked, ``refuse``
answers the call with Express's 404 page, a 405, or an HTML page with HTTP 200 instead, and
``delay`` makes the call that many seconds slower than the others.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Literal

from starlette.responses import HTMLResponse, Response

from a2e.sandbox.responses import Answer, express_not_found, maintenance_page, success

BatchShape = Literal["list", "rows", "list_key", "map", "unknown"]
Refusal = Literal["not_found", "method_not_allowed", "html"]

BATCH_SHAPES: tuple[BatchShape, ...] = ("list", "rows", "list_key", "map")


@dataclass(frozen=True)
class BatchBehaviour:
    """How one kind's ``batchDetail`` answers (see the module docstring)."""

    shape: BatchShape = "list"
    missing: frozenset[str] = frozenset()
    foreign: int = 0
    refuse: Refusal | None = None
    delay: float = 0.0
    shuffle_seed: int = field(default=0, compare=False)


def refusal(behaviour: BatchBehaviour, method: str, path: str) -> Response | None:
    """The refusal that replaces the answer, if the kind's batch call is refused."""
    if behaviour.refuse == "not_found":
        return express_not_found(method, path)
    if behaviour.refuse == "method_not_allowed":
        return HTMLResponse("<h1>405 Not Allowed</h1>", status_code=405)
    if behaviour.refuse == "html":
        return maintenance_page()
    return None


def batch_answer(behaviour: BatchBehaviour, records: list[dict[str, object]]) -> Answer:
    """The found records (missing ones left out, foreign ones added) in the kind's shape."""
    kept = [r for r in records if str(r.get("_id", "")).lower() not in behaviour.missing]
    random.Random(behaviour.shuffle_seed).shuffle(kept)
    if behaviour.shape == "rows":
        return success({"rows": kept, "count": len(kept)})
    if behaviour.shape == "list_key":
        return success({"list": kept, "total": len(kept)})
    if behaviour.shape == "map":
        return success({str(record.get("_id")): record for record in kept})
    if behaviour.shape == "unknown":
        return success("ok")
    return success(kept)
