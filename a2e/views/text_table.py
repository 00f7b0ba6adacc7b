"""A plain-text table of tasks for terminals. No I/O."""

from __future__ import annotations

from collections.abc import Sequence

from a2e.core.model import Task

_COLUMNS = ("ID", "OUTCOME", "STATUS", "CREATED (UTC)", "COINS", "NAME", "RESULT / REASON")
_WIDEST_CELL = 60


def render_task_table(tasks: Sequence[Task]) -> str:
    """A header and one aligned line per task, control characters removed from API text."""
    rows = [_COLUMNS, *(_row(task) for task in tasks)]
    widths = [max(len(row[column]) for row in rows) for column in range(len(_COLUMNS))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in rows
    ]
    return "".join(line.rstrip() + "\n" for line in lines)


def _row(task: Task) -> tuple[str, ...]:
    created = task.created_at.strftime("%Y-%m-%d %H:%M") if task.created_at else ""
    coins = "" if task.coins is None else f"{task.coins:g}"
    return tuple(
        _cell(value)
        for value in (
            task.id,
            task.outcome.value,
            task.status or "",
            created,
            coins,
            task.name or "",
            _result_or_reason(task),
        )
    )


def _result_or_reason(task: Task) -> str:
    if task.error and task.outcome.value != "failed":
        return task.error
    if task.failed_code or task.failed_message:
        return ": ".join(part for part in (task.failed_code, task.failed_message) if part)
    return task.result_url or ""


def _cell(value: str) -> str:
    printable = "".join(char if char.isprintable() else " " for char in value)
    return printable if len(printable) <= _WIDEST_CELL else printable[: _WIDEST_CELL - 1] + "…"
