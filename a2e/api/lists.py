"""Reading A2E's task lists (one page of an account's tasks) and its average processing time.

No I/O: the client makes the calls (``A2EClient.list_tasks``, ``avg_processing_time``) with
the same retries, timeouts and size cap as a status call, and hands the answer here.

A list answer is read in every shape seen: ``data.rows``, ``data.list``, ``data`` as a list,
or a bare list with no envelope. The total comes from ``count`` or ``total`` (a number or a
numeric string) when the answer has one. Only the first ``size`` rows (the page size asked)
are read: rows beyond it are counted (``extra``) and dropped, so a server that ignores the page
size can't make a page of 50 into 10,000 tasks to show and poll. Each row read goes through the
status reader (``task_from_data``), so failures, odd types and hostile text behave exactly as in
a status answer; a row without a valid ``_id`` is skipped and counted (``skipped``), a row
repeating an id already on the page is counted apart (``duplicates``), never a crash. An answer
of any other shape raises ``BadAnswer``: never an empty page that reads as "no tasks".

``avgProcessingTime``'s shape is open. Its number is taken as **seconds** unless the field's
name says minutes (``minutes``, ``avg_min``…) or milliseconds (``ms``, ``milliseconds``); a bare
number over a day's worth of seconds is taken as milliseconds. Nothing readable gives ``None``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import pairwise
from typing import Any
from urllib.parse import urlencode

from a2e.api.answers import Envelope, read_answer
from a2e.api.errors import BadAnswer, ListCallMissing, TaskNotFound
from a2e.api.records import number, task_from_data, text
from a2e.core.ids import is_task_id
from a2e.core.kinds import TaskKind
from a2e.core.model import Task

AnswerReader = Callable[[int, bytes, float | None], Envelope]

LIST_CALL_MISSING = "the list call is not available on this server"
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 100
ROW_KEYS = ("rows", "list")
TOTAL_KEYS = ("count", "total")
_LARGEST_TOTAL = 10**9
_DAY_SECONDS = 86_400.0
_TIME_KEY = re.compile(r"avg|average|time|duration|sec|minute|mins?$|ms$|milli", re.IGNORECASE)
_MINUTES_KEY = re.compile(r"minute|mins?$", re.IGNORECASE)
_MILLISECONDS_KEY = re.compile(r"ms$|milli", re.IGNORECASE)


@dataclass(frozen=True)
class TaskPage:
    """One page of an account's tasks of one kind, in the server's order.

    ``status`` is the filter the server applied (only that outcome's tasks, and the total is
    theirs), or ``None`` for the whole list.
    """

    kind: str
    page: int
    size: int
    tasks: tuple[Task, ...]
    total: int | None = None
    skipped: int = 0
    trace_id: str | None = None
    duplicates: int = 0
    extra: int = 0
    status: str | None = None

    @property
    def rows(self) -> int:
        """Rows the server sent: read, skipped, repeated, or beyond the page size asked."""
        return len(self.tasks) + self.skipped + self.duplicates + self.extra

    @property
    def is_last(self) -> bool:
        """True when no later page can hold tasks (by the total, else by a short page)."""
        if self.total is not None:
            return self.page * self.size >= self.total
        return self.rows < self.size

    @property
    def page_count(self) -> int | None:
        """How many pages of this size the list has, when the total is known."""
        return None if self.total is None else max(1, -(-self.total // self.size))

    @property
    def looks_capped(self) -> bool:
        """True when a page that should be full came back short (the server caps the size)."""
        return not self.is_last and self.total is not None and self.rows < self.size

    @property
    def is_newest_first(self) -> bool:
        """True when the page's creation times never rise (the order A2E likely uses)."""
        times = [task.created_at for task in self.tasks if task.created_at is not None]
        return all(later <= earlier for earlier, later in pairwise(times))

    def newest_first(self) -> list[Task]:
        """The page's tasks sorted newest first (undated ones last, in server order)."""
        return newest_first(self.tasks)


def newest_first(tasks: Iterable[Task]) -> list[Task]:
    """``tasks`` sorted by creation time, newest first; tasks without one go last."""
    listed = list(tasks)
    dated = sorted((task for task in listed if task.created_at), key=_created, reverse=True)
    return dated + [task for task in listed if task.created_at is None]


def _created(task: Task) -> datetime:
    return task.created_at or datetime.min.replace(tzinfo=UTC)


def list_call(kind: TaskKind, page: int, size: int, status: str | None = None) -> str:
    """The path and query of ``kind``'s list call for one page; ``ValueError`` if it has none.

    ``status`` (``completed``, ``failed``, ``running``) goes to the server only where the kind's
    list takes a status filter for it (``server_status``); otherwise it is not sent.
    """
    if kind.listing is None:
        raise ValueError(f"no list call is known for {kind.label.lower()} tasks")
    if page < 1 or not 1 <= size <= MAX_PAGE_SIZE:
        raise ValueError(f"page must be 1 or more and size 1 to {MAX_PAGE_SIZE}")
    query = kind.listing.query(page, size, status)
    return f"{kind.listing.path}?{urlencode(query)}" if query else kind.listing.path


def server_status(kind: TaskKind, status: str | None) -> str | None:
    """The filter the server applies to ``kind``'s list for ``status``, if it can."""
    return kind.listing.server_status(status) if kind.listing else None


def read_list(status_code: int, body: bytes, retry_after: float | None) -> Envelope:
    """The envelope of a list answer; a bare JSON list (no envelope) becomes its ``data``.

    "Not found" from a list call means the server has no such call: ``ListCallMissing``.
    """
    if status_code == 200 and body.lstrip()[:1] == b"[":
        bare = _json_or_none(body)
        if isinstance(bare, list):
            return Envelope(data=bare, trace_id=None)
    try:
        return read_answer(status_code, body, retry_after)
    except TaskNotFound as exc:
        raise ListCallMissing(
            LIST_CALL_MISSING, http_status=exc.http_status, trace_id=exc.trace_id
        ) from None


def read_avg(status_code: int, body: bytes, retry_after: float | None) -> Envelope:
    """The envelope of an ``avgProcessingTime`` answer; "not found" means none (``data`` None)."""
    try:
        return read_answer(status_code, body, retry_after)
    except TaskNotFound as exc:  # the server has no such call for this kind
        return Envelope(data=None, trace_id=exc.trace_id)


def task_page(
    kind: TaskKind, page: int, size: int, envelope: Envelope, status: str | None = None
) -> TaskPage:
    """The ``TaskPage`` a list answer describes; raises ``BadAnswer`` for any other shape.

    A list that is not paged (the whole list in one answer) is cut to the page asked here, its
    total the rows it holds. ``status`` is the filter the server applied, if any.
    """
    rows, total = _rows_and_total(envelope.data, envelope.trace_id)
    extra = max(0, len(rows) - size)
    if kind.listing is not None and not kind.listing.paged:
        total, extra = len(rows) if total is None else total, 0
        rows = rows[(page - 1) * size : page * size]
    tasks: dict[str, Task] = {}
    skipped = duplicates = 0
    for row in rows[:size]:
        task = _listed_task(kind, row, envelope.trace_id)
        if task is None:
            skipped += 1
        elif task.id in tasks:
            duplicates += 1
        else:
            tasks[task.id] = task
    return TaskPage(
        kind=kind.key,
        page=page,
        size=size,
        tasks=tuple(tasks.values()),
        total=total,
        skipped=skipped,
        trace_id=envelope.trace_id,
        duplicates=duplicates,
        extra=extra,
        status=status,
    )


def _rows_and_total(data: Any, trace_id: str | None) -> tuple[list[Any], int | None]:
    if isinstance(data, list):
        return data, None
    if not isinstance(data, dict):
        raise _unreadable(f"its data was {_described(data)}, not a task list", trace_id)
    key = next((key for key in ROW_KEYS if key in data), None)
    if key is None:
        raise _unreadable("it had no task list (data.rows, data.list or a list)", trace_id)
    rows, total = data[key], _total(data)
    if rows is None and total == 0:
        return [], 0
    if not isinstance(rows, list):
        raise _unreadable(f"its {key} was {_described(rows)}, not a list", trace_id)
    return rows, total


def _total(data: dict[str, Any]) -> int | None:
    for key in TOTAL_KEYS:
        value = number(data.get(key))
        if value is not None and value.is_integer() and 0 <= value <= _LARGEST_TOTAL:
            return int(value)
    return None


def _listed_task(kind: TaskKind, row: object, trace_id: str | None) -> Task | None:
    """The row's Task, or ``None`` for a row that names no valid task id."""
    task_id = text(row.get("_id")) if isinstance(row, dict) else None
    if task_id is None or not is_task_id(task_id):
        return None
    try:
        return task_from_data(kind, task_id.lower(), row, trace_id)
    except Exception:  # one odd row never breaks the page
        return None


def _unreadable(reason: str, trace_id: str | None) -> BadAnswer:
    return BadAnswer(f"task list could not be read: {reason}", http_status=200, trace_id=trace_id)


def _described(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, str):
        return "text"
    if isinstance(value, int | float):
        return "a number"
    return "an object" if isinstance(value, dict) else f"a {type(value).__name__}"


def _json_or_none(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None


def avg_seconds(data: Any) -> float | None:
    """Seconds from an ``avgProcessingTime`` answer's data (units as the module says), or None."""
    if isinstance(data, dict):
        found = (_keyed_seconds(str(key), value) for key, value in data.items())
        return next((seconds for seconds in found if seconds is not None), None)
    seconds = number(data)
    if seconds is not None and seconds > _DAY_SECONDS:
        seconds /= 1000
    return _positive(seconds)


def _keyed_seconds(key: str, value: object) -> float | None:
    amount = number(value)
    if amount is None or not _TIME_KEY.search(key):
        return None
    if _MILLISECONDS_KEY.search(key):
        return _positive(amount / 1000)
    return _positive(amount * 60 if _MINUTES_KEY.search(key) else amount)


def _positive(seconds: float | None) -> float | None:
    return seconds if seconds is not None and seconds > 0 else None
