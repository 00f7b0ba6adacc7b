"""Turning one task record (the envelope's ``data``) into a ``Task``, per the kind's field map.

No I/O. Missing, extra and wrongly typed fields never crash: what is usable is kept, what is
not is dropped, and nothing is invented. Every field is bounded, so one Task's size is too:
text is cut to ``TEXT_LIMIT`` characters, the raw JSON to ``RAW_JSON_LIMIT``; a URL longer
than ``URL_LIMIT`` and a number beyond ``NUMBER_LIMIT`` (``coins: 1e308``) are dropped with a
note in ``Task.notes``. Only http(s) URLs survive as URLs; a task's results are read as
``a2e.api.results`` says. Bidirectional control characters (which make ``gnp.exe`` display as
``exe.png``) are removed from text and shown as ``\\uXXXX`` escapes in the raw JSON.
"""

from __future__ import annotations

import json
import math
import re
from datetime import UTC, datetime
from typing import Any

from a2e.api.errors import BadAnswer, TaskNotFound
from a2e.api.results import URL_LIMIT, field_url, http_url, result_urls
from a2e.core.kinds import TaskKind
from a2e.core.model import LookupCause, Task, TaskOutcome

__all__ = [
    "NUMBER_LIMIT",
    "RAW_JSON_LIMIT",
    "TEXT_LIMIT",
    "URL_LIMIT",
    "http_url",
    "number",
    "outcome_of",
    "snippet",
    "task_from_data",
    "text",
    "timestamp",
]

_SHORTEN_DEPTH = 4
RAW_JSON_LIMIT = 20_000
TEXT_LIMIT = 4_000
# Larger than any believable coin count, progress or epoch-millisecond time.
NUMBER_LIMIT = 1e15
_BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_BLANKS = re.compile(r"\s+")
_DECIMAL = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")
_EPOCH_MILLISECONDS_ABOVE = 100_000_000_000


def task_from_data(kind: TaskKind, task_id: str, data: Any, trace_id: str | None) -> Task:
    """The ``Task`` that a status answer's ``data`` describes; raises when it describes none."""
    record = _single_record(kind, data)
    answered_id = text(record.get("_id"))
    if answered_id is not None and answered_id.lower() != task_id:
        other = snippet(answered_id, limit=40)
        raise BadAnswer(f"answer was for another task ({other})", trace_id=trace_id)
    status = text(record.get(kind.status_field))
    return Task(
        id=task_id,
        kind=kind.key,
        outcome=outcome_of(kind, status),
        status=status,
        error="answer had no status" if status is None else None,
        error_cause=LookupCause.BAD_ANSWER if status is None else None,
        trace_id=trace_id,
        raw_json=_raw_json(record),
        **_fields(kind, record),
    )


def outcome_of(kind: TaskKind, status: str | None) -> TaskOutcome:
    """The normalised outcome of a raw status word (``None``: we do not know the state)."""
    if status is None:
        return TaskOutcome.LOOKUP_ERROR
    word = status.strip().lower()
    if word in kind.success_words:
        return TaskOutcome.COMPLETED
    if word in kind.failure_words:
        return TaskOutcome.FAILED
    return TaskOutcome.IN_PROGRESS


def _single_record(kind: TaskKind, data: Any) -> dict[str, Any]:
    if kind.data_is_list and isinstance(data, list):
        data = data[0] if data else None
    if data is None or data == {}:
        raise TaskNotFound("not found (answer had no task data)")
    if not isinstance(data, dict):
        raise BadAnswer(f"answer data was a {type(data).__name__}, not a task record")
    return data


def _fields(kind: TaskKind, record: dict[str, Any]) -> dict[str, Any]:
    notes: list[str] = []
    fields = {
        "name": text(record.get("name")),
        "image_url": _first_url(record, kind.image_fields, notes),
        "result_urls": result_urls(kind, record, notes),
        "prompt": text(record.get("prompt")),
        "negative_prompt": text(record.get("negative_prompt")),
        "coins": _number_field(record, "coins", notes),
        "created_at": timestamp(record.get("createdAt")),
        "failed_code": _first_text(record, kind.failure_code_fields),
        "failed_message": _first_text(record, kind.failure_message_fields),
        "progress": _number_field(record, kind.progress_field, notes),
        **_times(kind, record),
    }
    return fields | {"notes": tuple(notes)}


def _times(kind: TaskKind, record: dict[str, Any]) -> dict[str, datetime | None]:
    """The last change (latest of the kind's time fields) and, for a final task, its finish.

    A final task without a finish field of its own is taken to have finished at its last change.
    """
    stamps = [stamp for f in kind.updated_fields if (stamp := timestamp(record.get(f)))]
    updated = max(stamps, default=None)
    finished = next(
        (stamp for f in kind.finished_fields if (stamp := timestamp(record.get(f)))), None
    )
    final = outcome_of(kind, text(record.get(kind.status_field))).is_final
    return {"updated_at": updated, "finished_at": (finished or updated) if final else None}


def _first_text(record: dict[str, Any], fields: tuple[str, ...]) -> str | None:
    return next((value for f in fields if (value := text(record.get(f))) is not None), None)


def _first_url(record: dict[str, Any], fields: tuple[str, ...], notes: list[str]) -> str | None:
    found = (field_url(name, record.get(name), notes) for name in fields)
    return next((url for url in found if url is not None), None)


def _number_field(record: dict[str, Any], name: str | None, notes: list[str]) -> float | None:
    value = record.get(name) if name else None
    if value is None or value == "":
        return None
    found = number(value)
    if found is None:
        notes.append(f"{name} dropped: not a usable number")
    return found


def text(value: object, limit: int = TEXT_LIMIT) -> str | None:
    """A non-empty string (at most ``limit`` characters, no bidi controls) or a finite number."""
    if isinstance(value, str):
        stripped = _BIDI_CONTROLS.sub("", value).strip()
        return (stripped[: limit - 1] + "…" if len(stripped) > limit else stripped) or None
    number_value = number(value)
    if number_value is None or isinstance(value, str):
        return None
    return str(value) if isinstance(value, int) else str(number_value)


def snippet(value: str, limit: int) -> str:
    """``value`` on one line, printable characters only, cut to ``limit`` characters."""
    flat = "".join(char if char.isprintable() else " " for char in value)
    flat = _BLANKS.sub(" ", flat).strip()
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def number(value: object) -> float | None:
    """A number from a number or a numeric string; ``None`` if not finite or beyond the limit."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        if not _DECIMAL.fullmatch(value.strip()):
            return None
        value = value.strip()
    try:
        converted = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return None
    return converted if math.isfinite(converted) and abs(converted) <= NUMBER_LIMIT else None


def timestamp(value: object) -> datetime | None:
    """An aware UTC datetime from ISO-8601 text or epoch seconds/milliseconds."""
    if isinstance(value, str) and not _is_numeric(value):
        return _iso_timestamp(value.strip())
    seconds = number(value)
    if seconds is None:
        return None
    if abs(seconds) > _EPOCH_MILLISECONDS_ABOVE:
        seconds /= 1000
    try:
        return datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _iso_timestamp(value: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    except (ValueError, OverflowError):
        return None


def _is_numeric(value: str) -> bool:
    return number(value) is not None


def _raw_json(record: dict[str, Any]) -> str:
    # Long strings are cut before dumping: an oversized record is never copied whole.
    dumped = json.dumps(_shortened(record), indent=2, ensure_ascii=False, default=str)
    if len(dumped) > RAW_JSON_LIMIT:
        dumped = dumped[:RAW_JSON_LIMIT] + "\n… (truncated)"
    # Inside JSON strings, an escape is the same character, made visible.
    return _BIDI_CONTROLS.sub(lambda found: f"\\u{ord(found.group()):04x}", dumped)


def _shortened(value: object, depth: int = 0) -> object:
    """``value`` with every string longer than the raw JSON's limit cut to it (no deeper than
    a few levels: what lies deeper is not shown whole anyway)."""
    if isinstance(value, str):
        return value if len(value) <= RAW_JSON_LIMIT else value[:RAW_JSON_LIMIT] + "…"
    if depth >= _SHORTEN_DEPTH:
        return value
    if isinstance(value, dict):
        return {key: _shortened(item, depth + 1) for key, item in value.items()}
    if isinstance(value, list):
        return [_shortened(item, depth + 1) for item in value[:RAW_JSON_LIMIT]]
    return value
