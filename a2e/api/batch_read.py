"""Reading a ``batchDetail`` answer: the records of the ids asked, matched by ``_id``. No I/O.

The answer's shape is open (``shared/A2E_API.md``), so its ``data`` is read as any of

    [record, ...]                       a list (what A2E likely sends)
    {"rows": [...]} / {"list": [...]}   a list inside an object (with a count or not)
    {"<id>": record, ...}               a map from id to record
    {"_id": ..., ...}                   one bare record

and anything else (text, a number, null, an object of other things) raises ``BadAnswer``: the
caller then stops using the kind's batch call for a while (``a2e.api.batching``). An empty list
or object is a valid answer ("an empty collection", as A2E documents).

Records are matched by their ``_id`` (a map's key where the record has none), never by their
position. A record for an id that was not asked is **foreign**: counted and ignored. A record that
is not an object, names no valid id, has no status or repeats an id already read is dropped.
Each record kept is read by ``task_from_data``, exactly as a detail answer, so hostile text and
odd types behave the same. An asked id with no record is **missing**: the answer is no proof
that it does not exist, so the caller asks its detail call (or, while Auto searches, leaves it
*unconfirmed*: ``omitted``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from a2e.api.answers import Envelope
from a2e.api.errors import BadAnswer
from a2e.api.lists import ROW_KEYS
from a2e.api.records import task_from_data, text
from a2e.core.ids import is_task_id
from a2e.core.kinds import TaskKind
from a2e.core.model import LookupCause, Task, lookup_error

# The rows of a not-found Task that nobody proved not found (Auto's search: see the docstring).
NOT_IN_BATCH = "not in the kind's batch answer (not asked one by one)"
BATCH_UNAVAILABLE = "not asked one by one (the kind's batch call is not available here)"


@dataclass(frozen=True)
class BatchRead:
    """What one batch answer told: the tasks found, the ids missing, the foreign records."""

    found: dict[str, Task]
    missing: list[str]
    foreign: int = 0


def read_batch(kind: TaskKind, asked: Sequence[str], envelope: Envelope) -> BatchRead:
    """The tasks of the ``asked`` ids (lower-case) that the answer holds; raises ``BadAnswer``
    for an answer in no shape known (see the module docstring)."""
    wanted = set(asked)
    found: dict[str, Task] = {}
    foreign = 0
    for key, record in _records(envelope.data):
        task_id = _record_id(key, record)
        if task_id is None or task_id in found:
            continue
        if task_id not in wanted:
            foreign += 1
            continue
        task = _task(kind, task_id, record, envelope.trace_id)
        if task is not None:
            found[task_id] = task
    return BatchRead(found, [i for i in asked if i not in found], foreign)


def omitted(task_id: str, kind: str, why: str = NOT_IN_BATCH) -> Task:
    """The row of an id a batch did not answer and nobody asked one by one (not proof)."""
    return lookup_error(task_id, kind, why, LookupCause.NOT_FOUND)


def is_unconfirmed(task: Task) -> bool:
    """True for a "not found" that no detail call proved (``omitted``)."""
    return left_out(task) or unasked(task)


def left_out(task: Task) -> bool:
    """True for an id a working batch call did not hold (a hint, not proof, that it is no task
    of that kind)."""
    return task.error_cause is LookupCause.NOT_FOUND and task.error == NOT_IN_BATCH


def unasked(task: Task) -> bool:
    """True for an id left unasked because the kind's batch call is not available here."""
    return task.error_cause is LookupCause.NOT_FOUND and task.error == BATCH_UNAVAILABLE


def _records(data: Any) -> list[tuple[str | None, Any]]:
    """``(key, record)`` pairs: the key is a map's, else None."""
    if isinstance(data, list):
        return [(None, record) for record in data]
    if not isinstance(data, dict):
        raise _unreadable(f"its data was {type(data).__name__}")
    container = next((key for key in ROW_KEYS if key in data), None)
    if container is not None:
        rows = data[container]
        if not isinstance(rows, list):
            raise _unreadable(f"its {container} was not a list")
        return [(None, record) for record in rows]
    if "_id" in data:
        return [(None, data)]
    if all(isinstance(key, str) and is_task_id(key) for key in data):
        return list(data.items())
    raise _unreadable("its data held no records (a list, rows, list or a map by id)")


def _record_id(key: str | None, record: Any) -> str | None:
    if not isinstance(record, dict):
        return None
    named = text(record.get("_id")) or key
    return named.lower() if named is not None and is_task_id(named) else None


def _task(kind: TaskKind, task_id: str, record: dict[str, Any], trace: str | None) -> Task | None:
    """The record's Task, or None when it says no state (its detail call may say more)."""
    try:
        task = task_from_data(kind, task_id, record, trace)
    except Exception:  # one odd record never breaks the answer: its id is asked alone
        return None
    return task if task.status is not None else None


def _unreadable(reason: str) -> BadAnswer:
    return BadAnswer(f"batch answer could not be read: {reason}", http_status=200)
