"""A plain-text table of tasks for terminals, pipes and files, and the line that sums it up.

No I/O. Every cell is one line: control and bidirectional characters in the API's text are
replaced by spaces, so a task's name cannot move the cursor or reorder what is shown. Given no
width (a pipe or a file), every cell is whole. Given a terminal's width, the text columns
(status, name, result / reason) are cut with an ellipsis, the widest first, until each line
fits, but never below ``MIN_CUT_WIDTH``; the id, outcome, kind, created time and coins are never
cut. Widths are display columns (a CJK character takes two). A KIND column appears only when
the rows' kinds differ (as on the dashboard), and names only the kinds tasks were found as.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from wcwidth import clip, ljust
from wcwidth import width as display_width

from a2e.core.model import Task, TaskOutcome
from a2e.views.tables import summarise, task_reason

MIN_CUT_WIDTH = 12
GAP = "  "
ELLIPSIS = "…"


@dataclass(frozen=True)
class _Column:
    header: str
    cell: Callable[[Task], str]
    cuttable: bool = False


def _created(task: Task) -> str:
    return task.created_at.strftime("%Y-%m-%d %H:%M") if task.created_at else ""


def _kind(task: Task) -> str:
    """The kind a task was found as (none for a failed lookup: no kind knew it)."""
    return task.kind if task.outcome.is_final or task.outcome is TaskOutcome.IN_PROGRESS else ""


_ID = _Column("ID", lambda task: task.id)
_OUTCOME = _Column("OUTCOME", lambda task: task.outcome.value)
_STATUS = _Column("STATUS", lambda task: task.status or "", cuttable=True)
_KIND = _Column("KIND", _kind)
_CREATED = _Column("CREATED (UTC)", _created)
_COINS = _Column("COINS", lambda task: "" if task.coins is None else f"{task.coins:g}")
_NAME = _Column("NAME", lambda task: task.name or "", cuttable=True)
_RESULT = _Column(
    "RESULT / REASON", lambda task: task_reason(task) or _results(task), cuttable=True
)


def render_task_table(tasks: Sequence[Task], width: int | None = None) -> str:
    """A header and one aligned line per task; lines fit ``width`` columns when one is given."""
    columns = _columns(tasks)
    rows = [[column.header for column in columns]]
    rows += [[_one_line(column.cell(task)) for column in columns] for task in tasks]
    natural = [max(display_width(row[index]) for row in rows) for index in range(len(columns))]
    widths = natural if width is None else fit_widths(natural, _floors(columns, natural), width)
    return "".join(_line(row, widths) + "\n" for row in rows)


def summary_line(tasks: Sequence[Task]) -> str:
    """``12 tasks: 5 completed, 2 failed, 5 running, 0 lookup errors`` (and any invalid ids)."""
    counts = summarise(tasks).counts
    invalid = counts[TaskOutcome.INVALID_ID]
    parts = [
        f"{counts[TaskOutcome.COMPLETED]} completed",
        f"{counts[TaskOutcome.FAILED]} failed",
        f"{counts[TaskOutcome.IN_PROGRESS]} running",
        _counted(counts[TaskOutcome.LOOKUP_ERROR], "lookup error"),
    ]
    if invalid:
        parts.append(_counted(invalid, "invalid id"))
    return f"{_counted(len(tasks) - invalid, 'task')}: " + ", ".join(parts)


def fit_widths(natural: Sequence[int], floors: Sequence[int | None], width: int) -> list[int]:
    """Column widths whose line (with gaps) fits ``width``, cutting the widest cuttable first.

    ``floors[i]`` is how narrow column ``i`` may be cut, ``None`` when it is never cut. When
    even the floors do not fit, every cuttable column is at its floor (the line runs over).
    """
    room = width - len(GAP) * (len(natural) - 1)
    room -= sum(size for size, floor in zip(natural, floors, strict=True) if floor is None)
    cuttable = [index for index, floor in enumerate(floors) if floor is not None]
    level = _water_level([natural[index] for index in cuttable], room)
    fitted = list(natural)
    for index in cuttable:
        fitted[index] = max(min(natural[index], level), floors[index] or 0)
    return fitted


def _water_level(sizes: list[int], room: int) -> int:
    """The largest cap such that the capped sizes add up to at most ``room``."""
    level = max(sizes, default=0)
    while level > 0 and sum(min(size, level) for size in sizes) > room:
        level -= 1
    return level


def _columns(tasks: Sequence[Task]) -> list[_Column]:
    kinds = {task.kind for task in tasks if task.outcome is not TaskOutcome.INVALID_ID}
    head = [_ID, _OUTCOME, _STATUS] + ([_KIND] if len(kinds) > 1 else [])
    return [*head, _CREATED, _COINS, _NAME, _RESULT]


def _floors(columns: Sequence[_Column], natural: Sequence[int]) -> list[int | None]:
    """How narrow each column may be cut: never under its header or ``MIN_CUT_WIDTH``."""
    return [
        min(size, max(MIN_CUT_WIDTH, len(column.header))) if column.cuttable else None
        for column, size in zip(columns, natural, strict=True)
    ]


def _line(row: Sequence[str], widths: Sequence[int]) -> str:
    cells = [ljust(_cut(cell, size), size) for cell, size in zip(row, widths, strict=True)]
    return GAP.join(cells).rstrip()


def _cut(text: str, size: int) -> str:
    if display_width(text) <= size:
        return text
    return clip(text, 0, size - 1).rstrip() + ELLIPSIS


def _one_line(value: str) -> str:
    return "".join(char if char.isprintable() else " " for char in value)


def _counted(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _results(task: Task) -> str:
    """The first result link, and how many more there are."""
    more = len(task.result_urls) - 1
    return (task.result_url or "") + (f" (+{more} more)" if more > 0 else "")
