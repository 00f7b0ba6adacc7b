"""The summary, filters and table of tasks.

At 1280 px the main area (the sidebar open) is about 820 px wide: the columns a person needs
to triage a task come first and fit it, without scrolling sideways: status, why (the reason,
read whole: rows are as tall as the longest one needs), name, kind (when kinds differ), age,
run time or ETA, coins charged, and a narrow task id (a cell copies the whole id; a selected
row offers *Copy task id*). The source thumbnail, exact times, result link and trace id
follow, and every field is in the row's detail. The grid is never taller than
``MAX_TABLE_HEIGHT``, so a long one scrolls inside itself and its header stays in view.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd
import streamlit as st

from a2e.core.model import Task, TaskOutcome
from a2e.ui.connection_model import Connection
from a2e.views.export import defuse_frame
from a2e.views.tables import (
    MATERIAL_ICONS,
    OUTCOME_LABELS,
    RowTiming,
    summarise,
    tasks_frame,
    thumbnail_url,
)

ROW_HEIGHT = 35
# Above 64 px Streamlit's grid wraps text: a row that has a reason gets at least three lines.
WRAPPING_ROW_HEIGHT = 72
LINE_HEIGHT, ROW_PADDING, MAX_LINES = 20, 16, 8
# About how many pixels a character of the grid's font takes (for lines of wrapped text).
CHARACTER_WIDTH = 6.5
HEADER_HEIGHT = 38
# A tall grid scrolls inside itself, its header in view (a 1280×800 window shows it whole).
MAX_TABLE_HEIGHT = 520
ALWAYS_SHOWN = ("name", "status", "id")
# The columns of the 1280 px row, in order; the rest follow. Their widths, without and with a
# Kind column: either row fits 1280 px (with the selection boxes, 804 and 796 px).
FRONT_ROW = (
    "status",
    "reason",
    "saved",
    "name",
    "kind",
    "age",
    "timing",
    "coins",
    "id",
    "thumbnail",
)
WIDTHS = {
    "status": 100,
    "reason": 270,
    "name": 120,
    "age": 58,
    "timing": 110,
    "coins": 50,
    "id": 64,
}
WIDTHS_WITH_KIND = WIDTHS | {
    "status": 96,
    "reason": 200,
    "name": 104,
    "kind": 90,
    "age": 56,
    "timing": 104,
}
WRAPPED = ("reason", "name", "timing")
SAVED_WIDTH = 60


def summary_metrics(tasks: Sequence[Task]) -> None:
    """Counts per outcome, coins charged, and how many still run (pieces that are no ids apart)."""
    summary = summarise(tasks)
    shown: list[tuple[str, int | str]] = [
        ("Tasks", summary.tasks),
        ("Completed", summary.counts[TaskOutcome.COMPLETED]),
        ("Failed", summary.counts[TaskOutcome.FAILED]),
        ("Running", summary.running),
        ("Lookup errors", summary.counts[TaskOutcome.LOOKUP_ERROR]),
        ("Not task ids", summary.counts[TaskOutcome.INVALID_ID]),
        ("Coins charged", f"{summary.coins:,.0f}"),
    ]
    for column, (label, value) in zip(st.columns(len(shown)), shown, strict=True):
        column.metric(label, value)


def outcome_filter(
    tasks: Sequence[Task], key_prefix: str = "", *, pills: bool = True
) -> tuple[list[TaskOutcome], str]:
    """The outcome pills (unless the page filters outcomes itself) and the search box."""
    present = [outcome for outcome in TaskOutcome if any(t.outcome is outcome for t in tasks)]
    left, right = st.columns([3, 2])
    chosen = None
    if pills:
        with left:
            chosen = st.pills(
                "Show",
                present,
                selection_mode="multi",
                format_func=lambda o: f"{MATERIAL_ICONS[o]} {OUTCOME_LABELS[o]}",
                key=f"{key_prefix}outcome_filter",
            )
    search = right.text_input(
        "Search name or id", key=f"{key_prefix}search", placeholder="e.g. sneaker"
    )
    return list(chosen or []), search


def task_table(
    connection: Connection,
    tasks: Sequence[Task],
    *,
    key: str,
    timing: RowTiming | None = None,
    saved: Callable[[Task], bool] | None = None,
) -> list[int]:
    """The table; the positions of the selected rows in ``tasks`` (``saved``: the Saved marks)."""
    frame = _display_frame(connection, tasks, timing)
    if saved is not None:  # beside Status: what a person checks before a link expires
        marks = ["Saved" if saved(task) else None for task in tasks]
        frame.insert(list(frame.columns).index("reason") + 1, "saved", marks)
    columns = shown_columns(frame)
    widths = row_widths(columns)
    row_height = _row_height(frame, widths)
    event = st.dataframe(
        defuse_frame(frame),
        hide_index=True,
        key=key,
        on_select="rerun",
        selection_mode="multi-row",
        column_order=columns,
        column_config=_column_config(widths),
        height=min(len(frame) * row_height + HEADER_HEIGHT, MAX_TABLE_HEIGHT),
        row_height=row_height,
        placeholder="–",
    )
    rows = event.selection.rows if event is not None else []
    return [int(row) for row in rows if int(row) < len(tasks)]


def row_widths(columns: Sequence[str]) -> dict[str, int]:
    """The front row's widths: narrower with a Kind column, the reason narrower with Saved."""
    widths = dict(WIDTHS_WITH_KIND if "kind" in columns else WIDTHS)
    if "saved" in columns:  # (an archive is configured: the Saved mark sits beside the reason)
        widths["reason"] -= SAVED_WIDTH
    return widths


def shown_columns(frame: pd.DataFrame) -> list[str]:
    """The 1280 px row first, then the rest; only columns with a value in some row (and Kind
    only when kinds differ); never ``outcome``."""
    kept = [
        column
        for column in frame.columns
        if column not in ("outcome", "kind")
        and (column in ALWAYS_SHOWN or frame[column].notna().any())
    ]
    if frame["kind"].dropna().nunique() > 1:
        kept.append("kind")
    front = [column for column in FRONT_ROW if column in kept]
    return front + [column for column in kept if column not in front]


def _row_height(frame: pd.DataFrame, widths: dict[str, int]) -> int:
    """Tall enough for the longest wrapped cell (a reason read whole), within bounds."""
    lines = max((_lines(frame[column], widths[column]) for column in WRAPPED), default=1)
    if lines <= 1 and frame["reason"].isna().all():
        return ROW_HEIGHT
    height = min(MAX_LINES, lines) * LINE_HEIGHT + ROW_PADDING
    return max(WRAPPING_ROW_HEIGHT, height)


def _lines(cells: pd.Series, width: int) -> int:
    """How many lines the longest cell of a column takes at its width."""
    per_line = max(1, int((width - ROW_PADDING) / CHARACTER_WIDTH))
    longest = int(cells.dropna().astype(str).str.len().max()) if cells.notna().any() else 0
    return -(-longest // per_line)


def _display_frame(
    connection: Connection, tasks: Sequence[Task], timing: RowTiming | None
) -> pd.DataFrame:
    frame = tasks_frame(tasks, timing=timing)
    shown = [connection.as_browser_sees(task) for task in tasks]
    frame["thumbnail"] = [thumbnail_url(task) for task in shown]
    frame["result"] = [task.result_url for task in shown]
    timezone = st.context.timezone
    if timezone:
        # An unknown browser time zone keeps UTC.
        with contextlib.suppress(KeyError, ValueError, TypeError, OSError):
            for column in ("created", "finished"):
                frame[column] = frame[column].dt.tz_convert(timezone)
    return frame


def _column_config(widths: dict[str, int]) -> dict[str, Any]:
    config = st.column_config
    return {
        "thumbnail": config.ImageColumn(
            "Image", width=52, help="The source image, else the first result image"
        ),
        "name": config.TextColumn("Name", width=widths["name"]),
        "status": config.TextColumn("Status", width=widths["status"]),
        "reason": config.TextColumn(
            "Reason",
            width=widths["reason"],
            help="Why the task failed, or why we could not learn its state",
        ),
        "kind": config.TextColumn("Kind", width=widths.get("kind", 90)),
        "id": config.TextColumn(
            "Task id",
            width=widths["id"],
            help="Copy a cell for the whole id, or select the row and press Copy task id",
        ),
        "created": config.DatetimeColumn("Created (local)", format="YYYY-MM-DD HH:mm", width=120),
        "age": config.TextColumn("Age", width=widths["age"], help="How long ago it was created"),
        "finished": config.DatetimeColumn("Finished (local)", format="YYYY-MM-DD HH:mm", width=120),
        "timing": config.TextColumn(
            "Run time / ETA",
            width=widths["timing"],
            help="How long it ran; for a running task, when it should be done, late once that "
            "has passed, or stuck? when it has run 3× longer than usual",
        ),
        "coins": config.NumberColumn(
            "Coins", format="%d", width=widths["coins"], help="What A2E charged for the task"
        ),
        "progress": config.ProgressColumn("Progress", min_value=0, max_value=100, format="%d%%"),
        "result": config.LinkColumn("Result", display_text="▶ Open", width=70),
        "saved": config.TextColumn(
            "Saved", width=SAVED_WIDTH, help="Kept in the archive (A2E_ARCHIVE)"
        ),
        "trace_id": config.TextColumn("Trace id", width="medium"),
    }
