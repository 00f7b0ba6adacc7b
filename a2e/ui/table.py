"""The summary, filters and table of tasks."""

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

TABLE_HEIGHT_ROWS = 14
ROW_HEIGHT = 35
# Above 64 px Streamlit's grid wraps text: a row that has a reason gets room for three lines.
WRAPPING_ROW_HEIGHT = 72
HEADER_HEIGHT = 38
ALWAYS_SHOWN = ("name", "status", "id")


def summary_metrics(tasks: Sequence[Task]) -> None:
    """Counts per outcome, coins, and how many still run."""
    summary = summarise(tasks)
    shown: list[tuple[str, int | str]] = [
        ("Tasks", summary.total),
        ("Completed", summary.counts[TaskOutcome.COMPLETED]),
        ("Failed", summary.counts[TaskOutcome.FAILED]),
        ("Running", summary.running),
        ("Lookup errors", summary.counts[TaskOutcome.LOOKUP_ERROR]),
        ("Invalid ids", summary.counts[TaskOutcome.INVALID_ID]),
        ("Coins", f"{summary.coins:,.0f}"),
    ]
    for column, (label, value) in zip(st.columns(len(shown)), shown, strict=True):
        column.metric(label, value)


def outcome_filter(tasks: Sequence[Task], key_prefix: str = "") -> tuple[list[TaskOutcome], str]:
    """The outcome pills and the search box; what the viewer chose."""
    present = [outcome for outcome in TaskOutcome if any(t.outcome is outcome for t in tasks)]
    left, right = st.columns([3, 2])
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
    row_height = WRAPPING_ROW_HEIGHT if frame["reason"].notna().any() else ROW_HEIGHT
    event = st.dataframe(
        defuse_frame(frame),
        hide_index=True,
        key=key,
        on_select="rerun",
        selection_mode="multi-row",
        column_order=shown_columns(frame),
        column_config=_column_config(),
        height=min(len(frame), TABLE_HEIGHT_ROWS) * row_height + HEADER_HEIGHT,
        row_height=row_height,
        placeholder="–",
    )
    rows = event.selection.rows if event is not None else []
    return [int(row) for row in rows if int(row) < len(tasks)]


def shown_columns(frame: pd.DataFrame) -> list[str]:
    """Columns with a value in some row; never ``outcome``.

    Kind only when kinds differ, and then right after Name, where a 1280 px window shows it.
    """
    shown = [
        column
        for column in frame.columns
        if column not in ("outcome", "kind")
        and (column in ALWAYS_SHOWN or frame[column].notna().any())
    ]
    if frame["kind"].dropna().nunique() > 1:
        shown.insert(shown.index("name") + 1, "kind")
    return shown


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


def _column_config() -> dict[str, Any]:
    config = st.column_config
    return {
        "thumbnail": config.ImageColumn(
            "Image", width=52, help="The source image, else the first result image"
        ),
        "name": config.TextColumn("Name", width=140),
        "status": config.TextColumn("Status", width=100),
        "reason": config.TextColumn(
            "Reason", width=250, help="Why the task failed, or why we could not learn its state"
        ),
        "kind": config.TextColumn("Kind", width=110),
        "id": config.TextColumn("Task id", width=116, help="Copy a cell for the whole id"),
        "created": config.DatetimeColumn("Created (local)", format="YYYY-MM-DD HH:mm", width=120),
        "age": config.TextColumn("Age", width=66),
        "finished": config.DatetimeColumn("Finished (local)", format="YYYY-MM-DD HH:mm", width=120),
        "timing": config.TextColumn(
            "Run time / ETA",
            width=150,
            help="How long it ran; for a running task, when it "
            "should be done, or stuck? when it has run 3× longer than usual",
        ),
        "coins": config.NumberColumn("Coins", format="%d", width=52),
        "progress": config.ProgressColumn("Progress", min_value=0, max_value=100, format="%d%%"),
        "result": config.LinkColumn("Result", display_text="▶ Open", width=70),
        "saved": config.TextColumn("Saved", width=60, help="Kept in the archive (A2E_ARCHIVE)"),
        "trace_id": config.TextColumn("Trace id", width="medium"),
    }
