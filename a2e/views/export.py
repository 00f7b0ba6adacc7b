"""Tasks as plain JSON-ready records (CLI ``--json``, the dashboard's exports). No I/O.

``result_urls`` is every result of a task (a list in JSON, the links separated by spaces in
CSV); ``result_url`` its first, as before.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from a2e.core.model import Task

if TYPE_CHECKING:  # pandas is imported where a frame is defused: the CLI needs none
    import pandas as pd

RECORD_FIELDS = (
    "id",
    "kind",
    "outcome",
    "status",
    "error",
    "error_cause",
    "name",
    "created_at",
    "updated_at",
    "finished_at",
    "coins",
    "progress",
    "image_url",
    "result_url",
    "result_urls",
    "failed_code",
    "failed_message",
    "trace_id",
    "http_status",
    "prompt",
    "negative_prompt",
    "fetched_at",
)


def task_record(task: Task) -> dict[str, Any]:
    """One task as a flat dict of JSON-safe values, keys in ``RECORD_FIELDS`` order."""
    values: dict[str, Any] = {
        "id": task.id,
        "kind": task.kind,
        "outcome": task.outcome.value,
        "status": task.status,
        "error": task.error,
        "error_cause": task.error_cause.value if task.error_cause else None,
        "name": task.name,
        "created_at": task.created_at.isoformat() if task.created_at else None,
        "updated_at": task.updated_at.isoformat() if task.updated_at else None,
        "finished_at": task.finished_at.isoformat() if task.finished_at else None,
        "coins": _plain_number(task.coins),
        "progress": _plain_number(task.progress),
        "image_url": task.image_url,
        "result_url": task.result_url,
        "result_urls": list(task.result_urls),
        "failed_code": task.failed_code,
        "failed_message": task.failed_message,
        "trace_id": task.trace_id,
        "http_status": task.http_status,
        "prompt": task.prompt,
        "negative_prompt": task.negative_prompt,
        "fetched_at": task.fetched_at.isoformat(),
    }
    return {name: values[name] for name in RECORD_FIELDS}


def tasks_to_json_lines(tasks: Iterable[Task]) -> str:
    """JSON Lines: one object per task, in the given order."""
    return "".join(json.dumps(task_record(task), ensure_ascii=False) + "\n" for task in tasks)


def tasks_to_json(tasks: Iterable[Task]) -> str:
    """A JSON array of task records, indented for people."""
    return json.dumps([task_record(task) for task in tasks], ensure_ascii=False, indent=2)


def _plain_number(value: float | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def tasks_to_csv(tasks: Iterable[Task]) -> str:
    """CSV of task records; cells that a spreadsheet would run as formulas are quoted with '."""
    rows = [task_record(task) for task in tasks]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=RECORD_FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows({key: _defused(_cell(value)) for key, value in row.items()} for row in rows)
    return buffer.getvalue()


def _cell(value: object) -> object:
    """A CSV cell: a list (every result link) as its items separated by spaces."""
    return " ".join(str(item) for item in value) if isinstance(value, list) else value


def _defused(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def defuse_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells a spreadsheet would run as formulas are quoted with ``'``.

    For frames shown in the data grid, whose toolbar offers its own CSV download.
    """
    import pandas as pd

    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(_defused)
    return safe
