"""A plain-text table of tasks for terminals, pipes and files, and the line that sums it up.

No I/O. Control and bidirectional characters in the API's text are replaced by spaces, so a
task's name cannot move the cursor or reorder what is shown. Given no width (a pipe or a
file), every cell is whole on one line. Given a terminal's width, the text columns (status,
name, result / reason) are narrowed, the widest first, until each line fits, but never below
``MIN_CUT_WIDTH``, and a cell longer than its column **wraps** onto the row's next lines (at
spaces where it can; a header wraps too): nothing is cut, so a reason is read whole. The id,
outcome, kind, created time and coins are never narrowed. Widths are display columns (a CJK
character takes two). A KIND column appears only when the rows' kinds differ (as on the
dashboard), and names only the kinds tasks were found as. A piece of input that is not a task
id has a row (its look-alike characters marked, ``a2e.core.ids.marked_piece``) but is no
task: the summary line counts it apart.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from wcwidth import clip, ljust
from wcwidth import width as display_width

from a2e.core.ids import marked_piece
from a2e.core.model import Task, TaskOutcome
from a2e.views.tables import summarise, task_reason

MIN_CUT_WIDTH = 10
GAP = "  "


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


def _id(task: Task) -> str:
    """The id, or for a piece that is not one, the piece with its look-alikes marked."""
    return marked_piece(task.id) if task.outcome is TaskOutcome.INVALID_ID else task.id


_ID = _Column("ID", _id)
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
    """A header and one aligned row per task; lines fit ``width`` columns when one is given
    (long cells then wrap onto more lines of their row)."""
    columns = _columns(tasks)
    rows = [[column.header for column in columns]]
    rows += [[_one_line(column.cell(task)) for column in columns] for task in tasks]
    natural = [max(display_width(row[index]) for row in rows) for index in range(len(columns))]
    widths = natural if width is None else _fitted(columns, natural, width)
    return "".join(line + "\n" for row in rows for line in _lines(row, widths))


def _fitted(columns: Sequence[_Column], natural: list[int], width: int) -> list[int]:
    """Widths that fit ``width``: the status and name narrowed first; the result / reason (what
    a person reads the table for) only once they are at their floors."""
    floors = _floors(columns, natural)
    last = columns.index(_RESULT)
    first_pass = fit_widths(natural, [*floors[:last], None, *floors[last + 1 :]], width)
    if sum(first_pass) + len(GAP) * (len(natural) - 1) <= width:
        return first_pass
    settled = [floor or size for floor, size in zip(floors, natural, strict=True)]
    settled[last] = natural[last]
    only_reason: list[int | None] = [None] * len(natural)
    only_reason[last] = floors[last]
    return fit_widths(settled, only_reason, width)


def summary_line(tasks: Sequence[Task]) -> str:
    """``12 tasks: 5 completed, 2 failed, 5 running, 0 lookup errors``, then the pieces of the
    input that are not task ids, when there are some (they are rows, never tasks)."""
    counts = summarise(tasks).counts
    invalid = counts[TaskOutcome.INVALID_ID]
    parts = [
        f"{counts[TaskOutcome.COMPLETED]} completed",
        f"{counts[TaskOutcome.FAILED]} failed",
        f"{counts[TaskOutcome.IN_PROGRESS]} running",
        _counted(counts[TaskOutcome.LOOKUP_ERROR], "lookup error"),
    ]
    line = f"{_counted(len(tasks) - invalid, 'task')}: " + ", ".join(parts)
    if invalid:
        pieces = "1 piece that is not a task id" if invalid == 1 else f"{invalid} pieces that "
        line += "; and " + (pieces if invalid == 1 else pieces + "are not task ids")
    return line


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
    """How narrow each column may be made: never under ``MIN_CUT_WIDTH``."""
    return [
        min(size, MIN_CUT_WIDTH) if column.cuttable else None
        for column, size in zip(columns, natural, strict=True)
    ]


def _lines(row: Sequence[str], widths: Sequence[int]) -> list[str]:
    """One row as lines: each cell wrapped to its column, shorter cells padded below."""
    wrapped = [wrap_cell(cell, size) for cell, size in zip(row, widths, strict=True)]
    height = max(len(cell) for cell in wrapped)
    return [
        GAP.join(
            ljust(cell[index] if index < len(cell) else "", size)
            for cell, size in zip(wrapped, widths, strict=True)
        ).rstrip()
        for index in range(height)
    ]


def wrap_cell(text: str, size: int) -> list[str]:
    """``text`` in lines at most ``size`` display columns wide, broken at spaces where it can
    (a word wider than the column is broken where it must); never loses a character."""
    if display_width(text) <= size:
        return [text]
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        joined = f"{current} {word}" if current else word
        if display_width(joined) <= size:
            current = joined
            continue
        if current:
            lines.append(current)
        current = word
        while display_width(current) > size:
            head = clip(current, 0, size) or current[0]  # (a character wider than the column)
            lines.append(head)
            current = current[len(head) :]
    lines.append(current)
    return lines


def _one_line(value: str) -> str:
    return "".join(char if char.isprintable() else " " for char in value)


def _counted(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _results(task: Task) -> str:
    """The first result link, and how many more there are."""
    more = len(task.result_urls) - 1
    return (task.result_url or "") + (f" (+{more} more)" if more > 0 else "")
