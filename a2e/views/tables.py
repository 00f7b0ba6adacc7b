"""Tasks as a pandas DataFrame for the dashboard's table, plus its summary and filters. No I/O.

The frame keeps one row per requested id, in the order given, and plain values only: the
UI decides how each column is drawn (thumbnails, links, local times).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from typing import TYPE_CHECKING

from a2e.core.ids import marked_piece
from a2e.core.kinds import KINDS
from a2e.core.model import Task, TaskOutcome, utc_now
from a2e.core.result_links import first_image
from a2e.views.eta import TypicalRun, created_in_future, duration_label, eta_of

if TYPE_CHECKING:  # pandas is imported where a frame is built: the CLI's text needs none
    import pandas as pd

# Symbols that common text fonts carry (DejaVu, Segoe UI Symbol, Apple Symbols): table cells
# and terminals show them without an emoji font. Streamlit widgets use MATERIAL_ICONS instead.
STATUS_SYMBOLS = {
    TaskOutcome.COMPLETED: "✓",
    TaskOutcome.FAILED: "✗",
    TaskOutcome.IN_PROGRESS: "↻",
    TaskOutcome.LOOKUP_ERROR: "⚠",
    TaskOutcome.INVALID_ID: "⊘",
}
MATERIAL_ICONS = {
    TaskOutcome.COMPLETED: ":material/check_circle:",
    TaskOutcome.FAILED: ":material/cancel:",
    TaskOutcome.IN_PROGRESS: ":material/autorenew:",
    TaskOutcome.LOOKUP_ERROR: ":material/warning:",
    TaskOutcome.INVALID_ID: ":material/block:",
}
OUTCOME_LABELS = {
    TaskOutcome.COMPLETED: "Completed",
    TaskOutcome.FAILED: "Failed",
    TaskOutcome.IN_PROGRESS: "Running",
    TaskOutcome.LOOKUP_ERROR: "Lookup error",
    TaskOutcome.INVALID_ID: "Invalid id",
}
TABLE_COLUMNS = (
    "thumbnail",
    "name",
    "status",
    "reason",
    "id",
    "created",
    "age",
    "finished",
    "timing",
    "coins",
    "progress",
    "result",
    "kind",
    "trace_id",
    "outcome",
)


@dataclass(frozen=True)
class Summary:
    """Counts per outcome, coins, and what is still running."""

    counts: dict[TaskOutcome, int]
    total: int
    coins: float
    running: int

    @property
    def tasks(self) -> int:
        """The rows that are tasks: a piece of input that is not a task id is none."""
        return self.total - self.counts[TaskOutcome.INVALID_ID]


def status_label(task: Task) -> str:
    """The status cell: an icon and the raw status word (or what we know instead)."""
    icon = STATUS_SYMBOLS[task.outcome]
    if task.outcome is TaskOutcome.LOOKUP_ERROR:
        last = f" (last seen {task.status})" if task.status else ""
        return f"{icon} lookup error{last}"
    if task.outcome is TaskOutcome.INVALID_ID:
        return f"{icon} invalid id"
    return f"{icon} {task.status}"


@dataclass(frozen=True)
class RowTiming:
    """What the timing columns need beyond the task: typical run times and what was observed."""

    typical: Mapping[str, TypicalRun] = field(default_factory=dict)
    seen_final: Mapping[str, datetime] = field(default_factory=dict)
    tz: tzinfo = UTC


def age_label(created_at: datetime | None, now: datetime) -> str:
    """How long ago, compactly: ``45 s``, ``12 min``, ``3 h 5 min``, ``2 d 4 h`` (nothing for a
    creation time in the future: the Created column shows it as given)."""
    if created_at is None or created_in_future(created_at, now):
        return ""
    return duration_label(max(0.0, (now - created_at).total_seconds()))


def finished_time(task: Task, timing: RowTiming) -> tuple[datetime | None, bool]:
    """When a final task finished, and whether that is only when the dashboard first saw it."""
    if not task.is_final:
        return None, False
    if task.finished_at is not None:
        return task.finished_at, False
    observed = timing.seen_final.get(task.id)
    return observed, observed is not None


def timing_label(task: Task, now: datetime, timing: RowTiming) -> str:
    """How long a final task ran (``5 min``, ``≤ 5 min (observed)``), or a running task's ETA."""
    if task.outcome is TaskOutcome.IN_PROGRESS:
        eta = eta_of(task, timing.typical.get(task.kind), now)
        return eta.label(timing.tz) if eta else ""
    finished, observed = finished_time(task, timing)
    if finished is None or task.created_at is None or finished < task.created_at:
        return ""
    took = duration_label((finished - task.created_at).total_seconds())
    return f"≤ {took} (observed)" if observed else took


def task_reason(task: Task) -> str | None:
    """Why a task failed (``code: message``), why its lookup failed, or why it is no id."""
    if task.outcome is TaskOutcome.FAILED:
        return ": ".join(part for part in (task.failed_code, task.failed_message) if part) or None
    if task.outcome in (TaskOutcome.LOOKUP_ERROR, TaskOutcome.INVALID_ID):
        return task.error
    return None


def kind_label(key: str) -> str:
    """A kind's name for people (the key itself when it is not registered)."""
    kind = KINDS.get(key)
    return kind.label if kind else key


def thumbnail_url(task: Task) -> str | None:
    """The row's picture: the source image, else (image kinds) the first result image."""
    return task.image_url or first_image(task)


def _found(task: Task) -> bool:
    """True when a server answered for the task as its kind (a failed lookup has no kind)."""
    return task.is_final or task.outcome is TaskOutcome.IN_PROGRESS


def task_row(task: Task, now: datetime, timing: RowTiming | None = None) -> dict[str, object]:
    """One table row of plain values."""
    timing = timing or RowTiming()
    return {
        "thumbnail": thumbnail_url(task),
        # A piece that is no id shows its look-alike characters marked (⟦е⟧).
        "id": marked_piece(task.id) if task.outcome is TaskOutcome.INVALID_ID else task.id,
        "name": task.name,
        "status": status_label(task),
        "reason": task_reason(task),
        "kind": kind_label(task.kind) if _found(task) else None,
        "created": task.created_at,
        "age": age_label(task.created_at, now),
        "finished": finished_time(task, timing)[0],
        "timing": timing_label(task, now, timing) or None,
        "coins": task.coins,
        "progress": task.progress,
        "result": task.result_url,
        "trace_id": task.trace_id,
        "outcome": task.outcome.value,
    }


def tasks_frame(
    tasks: Sequence[Task], now: datetime | None = None, timing: RowTiming | None = None
) -> pd.DataFrame:
    """The table: one row per task, in the given order, with ``TABLE_COLUMNS``."""
    import pandas as pd

    moment = now or utc_now()
    rows = [task_row(task, moment, timing) for task in tasks]
    frame = pd.DataFrame(rows, columns=list(TABLE_COLUMNS))
    frame["created"] = pd.to_datetime(frame["created"], utc=True)
    frame["finished"] = pd.to_datetime(frame["finished"], utc=True)
    frame["coins"] = pd.to_numeric(frame["coins"]).astype("Float64")
    frame["progress"] = pd.to_numeric(frame["progress"]).astype("Float64")
    return frame


def filter_tasks(
    tasks: Sequence[Task], outcomes: Collection[TaskOutcome] | None = None, search: str = ""
) -> list[Task]:
    """Tasks whose outcome is among ``outcomes`` (all when empty) and whose name or id match."""
    needle = search.strip().lower()
    return [
        task
        for task in tasks
        if (not outcomes or task.outcome in outcomes)
        and (not needle or needle in task.id.lower() or needle in (task.name or "").lower())
    ]


def summarise(tasks: Sequence[Task]) -> Summary:
    """Counts per outcome, total coins of the tasks that report them, and how many run."""
    counts = Counter(task.outcome for task in tasks)
    return Summary(
        counts={outcome: counts.get(outcome, 0) for outcome in TaskOutcome},
        total=len(tasks),
        coins=sum(task.coins or 0.0 for task in tasks),
        running=counts.get(TaskOutcome.IN_PROGRESS, 0),
    )
