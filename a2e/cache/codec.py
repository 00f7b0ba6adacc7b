"""A ``Task`` as JSON for a store shared between processes: plain data, never a pickle.

A shared store must not be able to run code in the app, or make it show something it did not
look up: decoding checks every field's type, the key's id and kind, and the size; anything
else is treated as no entry at all (``None``), never as an error. Encoded values larger than
``MAX_VALUE_BYTES`` are not stored (the next viewer asks upstream again).

Every field of ``Task`` is carried, by its declared type (``FIELD_CODECS``); a field of a type
with no codec fails a test, so a new field can't be silently dropped on the way through Redis.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from a2e.core.model import LookupCause, Task, TaskOutcome

# 3: tasks carry ``result_urls``; values of version 2 read as no entry (asked again).
FORMAT_VERSION = 3
MAX_VALUE_BYTES = 512 * 1024

Encoder = Callable[[Any], Any]
Decoder = Callable[[Any], Any]


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError("expected text")
    return value


def _number(value: object) -> float:
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise ValueError("expected a number")
    return float(value)


def _integer(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError("expected a whole number")
    return value


def _datetime(value: object) -> datetime:
    parsed = datetime.fromisoformat(_text(value))
    if parsed.tzinfo is None:
        raise ValueError("expected an aware timestamp")
    return parsed


def _texts(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise ValueError("expected a list")
    return tuple(_text(item) for item in value)


def _optional(decode: Decoder) -> Decoder:
    return lambda value: None if value is None else decode(value)


def _plain(value: Any) -> Any:
    return value


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _enum_value(value: Any) -> Any:
    return value.value if value is not None else None


# Declared type (as written in a2e.core.model) → (encode, decode).
FIELD_CODECS: dict[str, tuple[Encoder, Decoder]] = {
    "str": (_plain, _text),
    "str | None": (_plain, _optional(_text)),
    "float | None": (_plain, _optional(_number)),
    "int | None": (_plain, _optional(_integer)),
    "datetime": (_iso, _datetime),
    "datetime | None": (_iso, _optional(_datetime)),
    "TaskOutcome": (_enum_value, TaskOutcome),
    "LookupCause | None": (_enum_value, _optional(LookupCause)),
    "tuple[str, ...]": (list, _texts),
}
_FIELDS = {field.name: str(field.type) for field in dataclasses.fields(Task)}


def encode(task: Task, stored_at: float) -> bytes | None:
    """The JSON value of an answer stored at ``stored_at`` (epoch seconds); None if too large."""
    fields = {
        name: FIELD_CODECS[declared][0](getattr(task, name)) for name, declared in _FIELDS.items()
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
        if value.get("v") != FORMAT_VERSION:
            return None
        task, stored_at = _task(value["task"]), _number(value["stored_at"])
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return None
    if (task.id, task.kind) != (task_id, kind):
        return None
    return task, stored_at


def _task(fields: dict[str, Any]) -> Task:
    if not isinstance(fields, dict):
        raise ValueError("expected an object")
    return Task(
        **{name: FIELD_CODECS[declared][1](fields.get(name)) for name, declared in _FIELDS.items()}
    )


def _not_a_number(word: str) -> object:
    raise ValueError(f"{word} is not a number")
