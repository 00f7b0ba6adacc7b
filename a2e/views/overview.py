"""An account's recent activity: read a window of its task lists, then count it up. pandas, no UI.

``read_window`` (``a2e.views.window_read``) reads the window of each kind's list within caps
shared by the kinds. ``build_overview`` turns the window's tasks into the figures the page
draws: tasks and coins per period (hours for 24 h, else days, in the viewer's time zone) by
outcome, the success rate, the top failure codes with counts and coins, and the running tasks
by age with their ETA and "stuck?" flag (``a2e.views.eta``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta, tzinfo

import pandas as pd

from a2e.core.model import Task, TaskOutcome
from a2e.views.eta import TypicalRun, created_in_future, eta_of
from a2e.views.times import in_zone
from a2e.views.triage import failure_groups
from a2e.views.window_read import OVERVIEW_CAPS, WindowProgress, WindowRead, read_window

__all__ = [
    "OVERVIEW_CAPS",
    "WINDOWS",
    "WINDOW_LABELS",
    "Overview",
    "WindowProgress",
    "WindowRead",
    "build_overview",
    "read_window",
    "with_typical_runs",
]

WINDOWS = {"24h": timedelta(hours=24), "7d": timedelta(days=7), "30d": timedelta(days=30)}
WINDOW_LABELS = {"24h": "Last 24 hours", "7d": "Last 7 days", "30d": "Last 30 days"}
OUTCOMES = {
    TaskOutcome.COMPLETED: "Completed",
    TaskOutcome.FAILED: "Failed",
    TaskOutcome.IN_PROGRESS: "Running",
    TaskOutcome.LOOKUP_ERROR: "Unknown",
}
AGE_BUCKETS = (
    (600.0, "< 10 min"),
    (1_800.0, "10–30 min"),
    (7_200.0, "30 min–2 h"),
    (86_400.0, "2–24 h"),
    (float("inf"), "> 1 day"),
)
HOURLY_UP_TO = timedelta(days=2)
TOP_CODES = 10


@dataclass(frozen=True)
class Overview:
    """The figures of one window: per-period counts and coins, rates, failures, running."""

    period: str
    per_period: pd.DataFrame
    counts: dict[str, int]
    success_rate: float | None
    failure_codes: pd.DataFrame
    running: pd.DataFrame
    running_by_age: pd.DataFrame
    typical: TypicalRun | None


def build_overview(
    read: WindowRead, typical: TypicalRun | None, tz: tzinfo = UTC, top_codes: int = TOP_CODES
) -> Overview:
    """The overview of a window's tasks, with periods in ``tz``."""
    tasks = read.tasks
    counts = {label: sum(t.outcome is o for t in tasks) for o, label in OUTCOMES.items()}
    finished = counts["Completed"] + counts["Failed"]
    running = running_frame(tasks, typical, read.now, tz)
    return Overview(
        period="hour" if read.now - read.start <= HOURLY_UP_TO else "day",
        per_period=per_period_frame(tasks, read.start, read.now, tz),
        counts=counts,
        success_rate=counts["Completed"] / finished if finished else None,
        failure_codes=failure_code_frame(tasks, top_codes),
        running=running,
        running_by_age=running_by_age_frame(running),
        typical=typical,
    )


def per_period_frame(
    tasks: Sequence[Task], start: datetime, now: datetime, tz: tzinfo = UTC
) -> pd.DataFrame:
    """Long form ``period, outcome, tasks, coins``: every period × outcome, zeros included."""
    hourly = now - start <= HOURLY_UP_TO
    periods = _periods(start, now, tz, hourly)
    cells = {(period, label): [0, 0.0] for period in periods for label in OUTCOMES.values()}
    for task in tasks:
        label, created = OUTCOMES.get(task.outcome), task.created_at
        within = created is not None and start <= created <= now  # never a future period
        key = (_floor(created, tz, hourly), label) if created and within and label else None
        if key in cells:
            cells[key][0] += 1
            cells[key][1] += task.coins or 0.0
    rows = [(period, label, n, coins) for (period, label), (n, coins) in cells.items()]
    return pd.DataFrame(rows, columns=["period", "outcome", "tasks", "coins"])


def _periods(start: datetime, now: datetime, tz: tzinfo, hourly: bool) -> list[datetime]:
    """Every period start from ``start`` to ``now`` (stepping in UTC hours, so DST is safe)."""
    moments = [
        start + timedelta(hours=h) for h in range(int((now - start) / timedelta(hours=1)) + 1)
    ]
    return sorted({_floor(moment, tz, hourly) for moment in [*moments, now]})


def _floor(moment: datetime, tz: tzinfo, hourly: bool) -> datetime:
    local = in_zone(moment, tz)
    floored = local.replace(minute=0, second=0, microsecond=0)
    return floored if hourly else floored.replace(hour=0)


def failure_code_frame(tasks: Sequence[Task], top: int = TOP_CODES) -> pd.DataFrame:
    """The ``top`` failure codes: ``code, tasks, coins, message`` (the most common message)."""
    rows = [
        (group.code, group.count, group.coins, group.messages[0][0] if group.messages else "")
        for group in failure_groups(tasks)[:top]
    ]
    return pd.DataFrame(rows, columns=["code", "tasks", "coins", "message"])


def running_frame(
    tasks: Sequence[Task], typical: TypicalRun | None, now: datetime, tz: tzinfo = UTC
) -> pd.DataFrame:
    """Running tasks, longest running first, with ``running_for`` seconds, ETA and stuck flag."""
    rows = []
    for task in tasks:
        if task.outcome is not TaskOutcome.IN_PROGRESS or task.created_at is None:
            continue
        eta = eta_of(task, typical, now)
        running_for = (now - task.created_at).total_seconds()  # < 0: created in the future
        if not created_in_future(task.created_at, now):
            running_for = max(0.0, running_for)  # a little ahead is the clocks' difference
        label = eta.label(tz) if eta else ""
        rows.append(
            (
                task.id,
                task.kind,
                task.name,
                task.status,
                task.created_at,
                running_for,
                label,
                bool(eta and eta.stuck),
            )
        )
    columns = ["id", "kind", "name", "status", "created", "running_for", "eta", "stuck"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values("running_for", ascending=False, ignore_index=True)


def running_by_age_frame(running: pd.DataFrame) -> pd.DataFrame:
    """``bucket, tasks, stuck``: how long the running tasks have run, in fixed buckets."""
    rows = []
    lower = 0.0
    for upper, label in AGE_BUCKETS:
        inside = running[(running["running_for"] >= lower) & (running["running_for"] < upper)]
        rows.append((label, len(inside), int(inside["stuck"].sum())))
        lower = upper
    return pd.DataFrame(rows, columns=["bucket", "tasks", "stuck"])


def running_by_kind(
    read: WindowRead, typical: Mapping[str, TypicalRun], tz: tzinfo = UTC
) -> pd.DataFrame:
    """``running_frame`` of every kind read, each with its own typical run; longest first."""
    kinds = sorted({task.kind for task in read.tasks})
    frames = [
        running_frame([t for t in read.tasks if t.kind == kind], typical.get(kind), read.now, tz)
        for kind in kinds
    ]
    found = [frame for frame in frames if not frame.empty]
    if not found:
        return running_frame([], None, read.now, tz)
    merged = pd.concat(found, ignore_index=True)
    return merged.sort_values("running_for", ascending=False, ignore_index=True)


def with_typical_runs(
    overview: Overview, read: WindowRead, typical: Mapping[str, TypicalRun], tz: tzinfo = UTC
) -> Overview:
    """``overview`` whose running tasks' ETA and "stuck?" use each kind's typical run."""
    running = running_by_kind(read, typical, tz)
    return replace(overview, running=running, running_by_age=running_by_age_frame(running))
