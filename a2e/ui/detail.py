"""The detail of one task: media side by side, every field, raw JSON, the support bundle."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from a2e.core.model import Task, TaskOutcome, utc_now
from a2e.ui.connection_model import Connection
from a2e.ui.plain import plain
from a2e.ui.results import browser_links, no_result_text, results_heading, show_results
from a2e.views.export import defuse_frame, task_record
from a2e.views.support import support_bundle
from a2e.views.tables import (
    MATERIAL_ICONS,
    RowTiming,
    finished_time,
    status_label,
    task_reason,
    timing_label,
)
from a2e.views.times import in_zone

_HIDDEN_FIELDS = {"prompt", "negative_prompt"}
FIELD_ROW_HEIGHT = 35
FIELD_HEADER_HEIGHT = 40


def task_detail(connection: Connection, task: Task, timing: RowTiming | None = None) -> None:
    """Everything about one task, with API text shown as plain text."""
    with st.container(border=True):
        st.subheader("Task detail")
        st.text(f"{task.name or '(no name)'}  ·  {task.id}  ·  {status_label(task)}")
        if times := times_line(task, timing or RowTiming()):
            st.caption(plain(times))
        _callout(task)
        for note in task.notes:
            st.caption(plain(f"Note: {note}."))
        _media(connection, task)
        _prompts(task)
        fields, raw = st.columns(2)
        with fields:
            st.caption("Fields")
            _fields_table(task)
        with raw:
            st.caption("Raw JSON of the last answer")
            st.code(task.raw_json or "(no answer body)", language="json")
        st.caption(
            "Support bundle: paste it into a ticket to A2E support (copy button on the right)"
        )
        st.code(support_bundle(task, connection.base_url), language=None)


def times_line(task: Task, timing: RowTiming) -> str:
    """Created, finished and how long it ran (or its ETA), in the viewer's time zone."""
    parts = []
    if task.created_at is not None:
        parts.append(f"Created {in_zone(task.created_at, timing.tz):%Y-%m-%d %H:%M}")
    finished, observed = finished_time(task, timing)
    if finished is not None:
        seen = " (first seen final by the dashboard)" if observed else ""
        parts.append(f"finished {in_zone(finished, timing.tz):%Y-%m-%d %H:%M}{seen}")
    if label := timing_label(task, utc_now(), timing):
        parts.append(label if task.outcome is TaskOutcome.IN_PROGRESS else f"took {label}")
    return " · ".join(parts)


def _callout(task: Task) -> None:
    """Why it failed, why the lookup failed, or how far it got: the first thing support reads."""
    icon = MATERIAL_ICONS[task.outcome]
    if task.outcome is TaskOutcome.FAILED:
        reason = task_reason(task) or "No reason given."
        st.error(plain(f"Task failed upstream. {reason}", limit=2000), icon=icon)
    elif task.outcome is TaskOutcome.LOOKUP_ERROR:
        message = f"Lookup failed: {task.error}. The task itself may be fine."
        st.warning(plain(message, limit=2000), icon=icon)
    elif task.outcome is TaskOutcome.IN_PROGRESS:
        progress = f" ({task.progress:.0f}%)" if task.progress is not None else ""
        st.info(plain(f"Still running: {task.status}{progress}."), icon=icon)


def _media(connection: Connection, task: Task) -> None:
    source, result = st.columns(2)
    image_url = connection.media_url(task.image_url)
    with source:
        st.caption("Source image")
        if image_url:
            st.image(image_url)
        else:
            st.text("No source image.")
    links = browser_links(connection, task)
    with result:
        st.caption(results_heading(links) if links else "Result")
        if links:
            show_results(links)
        else:
            st.text(no_result_text(task))


def _prompts(task: Task) -> None:
    for label, value in (("Prompt", task.prompt), ("Negative prompt", task.negative_prompt)):
        if value:
            st.caption(label)
            st.text(value)


def _shown(value: object) -> str:
    """A field's value as one cell: a list (every result link) as its items, one per line."""
    return "\n".join(str(item) for item in value) if isinstance(value, list) else str(value)


def _fields_table(task: Task) -> None:
    record = {
        k: v
        for k, v in task_record(task).items()
        if v not in (None, []) and k not in _HIDDEN_FIELDS
    }
    rows = [{"field": key, "value": _shown(value)} for key, value in record.items()]
    # Tall enough for every row: no scroll bar inside the detail.
    height = len(rows) * FIELD_ROW_HEIGHT + FIELD_HEADER_HEIGHT
    frame = defuse_frame(pd.DataFrame(rows, columns=["field", "value"]))
    st.dataframe(frame, hide_index=True, width="stretch", height=height)
