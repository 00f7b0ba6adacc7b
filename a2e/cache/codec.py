"""A ``Task`` as JSON for a store shared between processes: plain data, never a pickle.

A shared store must not be able to run code in the app, or make it show something it did not
look up: decoding checks every field's type, the key's id and kind, and the size; anything
else is treated as no entry at all (``None``), never as an error. Encoded values larger than
``MAX_VALUE_BYTES`` are not stored (the next viewer asks upstream again).
"""

from __future__ import annotations

import json
from datetime import datetime
from enum import Enum
from typing import Any

from a2e.core.model import LookupCause, Task, TaskOutcome

FORMAT_VERSION = 1
MAX_VALUE_BYTES = 512 * 1024

_TEXT = (
    "status",
    "name",
    "image_url",
    "result_url",
    "prompt",
    "negative_prompt",
    "failed_code",
    "failed_message",
    "trace_id",
    "error",
    "raw_json",
)
_NUMBERS = ("coins", "progress")


def encode(task: Task, stored_at: float) -> bytes | None:
    """The JSON value of an answer stored at ``stored_at`` (epoch seconds); None if too large."""
    fields: dict[str, Any] = {name: getattr(task, name) for name in (*_TEXT, *_NUMBERS)}
    fields |= {
        "id": task.id,
        "kind": task.kind,
        "outcome": task.outcome.value,
        "error_cause": _enum_value(task.error_cause),
        "http_status": task.http_status,
        "created_at": _iso(task.created_at),
        "fetched_at": _iso(task.fetched_at),
    }
    value = {"v": FORMAT_VERSION, "stored_at": stored_at, "final": task.is_final, "task": fields}
    encoded = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
    return encoded if len(encoded) <= MAX_VALUE_BYTES else None


def decode(raw: bytes, task_id: str, kind: str) -> tuple[Task, float] | None:
    """(task, stored_at) from a stored value about ``task_id`` of ``kind``; None if unfit."""
    if len(raw) > MAX_VALUE_BYTES:
        return None
    try:
        value = json.loads(raw, parse_constant=_not_a_number)
        task, stored_at = _task(value["task"]), value["stored_at"]
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return None
    if value.get("v") != FORMAT_VERSION or not _is_number(stored_at):
        return None
    if (task.id, task.kind) != (task_id, kind):
        return None
    return task, float(stored_at)


def _task(fields: dict[str, Any]) -> Task:
    for name in ("id", "kind", *_TEXT):
        _expect(fields.get(name), str, optional=name not in ("id", "kind"))
    for name in _NUMBERS:
        if fields.get(name) is not None and not _is_number(fields[name]):
            raise ValueError(name)
    http_status = fields.get("http_status")
    _expect(http_status, int, optional=True)
    if isinstance(http_status, bool):
        raise ValueError("http_status")
    return Task(
        **{name: fields.get(name) for name in (*_TEXT, *_NUMBERS)},
        id=fields["id"],
        kind=fields["kind"],
        outcome=TaskOutcome(fields["outcome"]),
        error_cause=LookupCause(fields["error_cause"]) if fields.get("error_cause") else None,
        http_status=http_status,
        created_at=_datetime(fields.get("created_at")),
        fetched_at=_datetime(fields["fetched_at"]) or _missing("fetched_at"),
    )


def _not_a_number(word: str) -> object:
    raise ValueError(f"{word} is not a number")


def _expect(value: object, kind: type, *, optional: bool) -> None:
    if value is None and optional:
        return
    if not isinstance(value, kind):
        raise ValueError(f"expected {kind.__name__}")


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _datetime(value: object) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError("expected a timestamp")
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError("expected an aware timestamp")
    return parsed


def _missing(name: str) -> datetime:
    raise ValueError(f"{name} is missing")


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _enum_value(value: Enum | None) -> object:
    return value.value if value is not None else None
