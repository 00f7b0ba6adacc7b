"""The failures page: failed tasks grouped by code, failed lookups grouped by cause."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from a2e.core.ids import marked_piece
from a2e.core.model import Task, TaskOutcome
from a2e.ui.code_links import MAX_BUTTONS, code_buttons, open_code
from a2e.ui.connection_model import Connection
from a2e.ui.lookup import opening_request, run_lookup
from a2e.ui.overview_charts import failure_codes_chart, failure_codes_height, primary_colour
from a2e.ui.plain import plain
from a2e.ui.session import (
    LOOKUP_BOARD,
    RECENT_BOARD,
    current_board,
    last_board_shown,
)
from a2e.ui.table import HEADER_HEIGHT, WRAPPING_ROW_HEIGHT
from a2e.views.board import Board
from a2e.views.export import defuse_frame
from a2e.views.status_text import plural
from a2e.views.support import support_bundle
from a2e.views.triage import FailureGroup, LookupErrorGroup, failure_groups, lookup_error_groups

SOURCES = {LOOKUP_BOARD: "Lookup", RECENT_BOARD: "Recent"}
# The Messages column (290 px) holds about 40 characters a line; rows grow to show them whole.
MESSAGE_CHARACTERS_PER_LINE, LINE_HEIGHT, ROW_PADDING = 40, 20, 16
MAX_GROUP_ROW_HEIGHT = 156


def failures_view(connection: Connection) -> None:
    """Everything that went wrong among the tasks of the Lookup or the Recent page."""
    boards = _boards(connection)
    if not boards:
        st.info(
            "Look up tasks on the Lookup page, or list them on Recent: their failures are "
            "grouped here."
        )
        return
    source = _source(boards)
    rows = boards[source].rows()
    tasks = sum(task.outcome is not TaskOutcome.INVALID_ID for task in rows)
    st.caption(
        f"The failed tasks among the {plural(tasks, 'task')} on the {SOURCES[source]} page, "
        "and the lookups that got no answer. For the account's failures over a day, a week or "
        "a month, see Overview."
    )
    groups, errors = failure_groups(rows), lookup_error_groups(rows)
    _metrics(rows, groups, errors)
    _failed_tasks(connection, groups, len(rows))
    if groups and (code := code_buttons(groups[:MAX_BUTTONS], key=f"failures_{source}")):
        open_code(source, code, query={"status": "failed"} if source == RECENT_BOARD else None)
    _lookup_errors(connection, errors)
    _input_problems(rows)


def _boards(connection: Connection) -> dict[str, Board]:
    """The pages' boards this viewer has (a share link's ids are looked up first)."""
    if current_board(connection) is None and (request := opening_request(connection)):
        run_lookup(connection, request)
    found = {name: current_board(connection, name) for name in SOURCES}
    return {name: board for name, board in found.items() if board is not None}


def _source(boards: dict[str, Board]) -> str:
    """Which page's tasks to show: the only one, else the viewer's choice (the last page seen)."""
    names = list(boards)
    if len(names) == 1:
        return names[0]
    last = last_board_shown()
    chosen = st.radio(
        "Tasks from",
        names,
        index=names.index(last) if last in names else 0,
        key=f"failures_source_{last}",
        format_func=lambda name: f"{SOURCES[name]} ({plural(len(boards[name].rows()), 'task')})",
        horizontal=True,
    )
    return str(chosen)


def _metrics(rows: list[Task], groups: list[FailureGroup], errors: list[LookupErrorGroup]) -> None:
    failed = sum(group.count for group in groups)
    coins = sum(group.coins for group in groups)
    looked_up, failed_col, coins_col, errors_col = st.columns(4)
    looked_up.metric("Tasks", sum(task.outcome is not TaskOutcome.INVALID_ID for task in rows))
    failed_col.metric("Failed tasks", failed)
    coins_col.metric(
        "Coins charged for failed tasks",
        f"{coins:,.0f}",
        help="What A2E charged these tasks when they started. A2E refunds some failures (their "
        "messages may say so); a task does not tell whether it was refunded.",
    )
    errors_col.metric("Failed lookups", sum(len(group.tasks) for group in errors))
    if coins:
        st.caption(
            "Refunds are not known here: the Overview shows what A2E's credits history says the "
            "account was refunded."
        )


def _failed_tasks(connection: Connection, groups: list[FailureGroup], total: int) -> None:
    st.subheader("Failed tasks by failed_code")
    if not groups:
        st.success(f"No failed task among these {plural(total, 'task')}.")
        return
    frame = pd.DataFrame([_group_row(group) for group in groups])
    codes = pd.DataFrame(
        {
            "code": frame["failed_code"],
            "tasks": frame["tasks"],
            "coins": frame["coins"],
            "message": [group.messages[0][0] for group in groups],
        }
    )
    chart = failure_codes_chart(codes, colour=primary_colour(), title=None)
    st.altair_chart(chart, width="stretch", height=failure_codes_height(codes))
    st.dataframe(
        defuse_frame(frame),
        hide_index=True,
        width="stretch",
        column_config=_group_columns(),
        row_height=(row_height := _messages_row_height(frame["messages"])),
        height=len(frame) * row_height + HEADER_HEIGHT,
    )
    for group in groups:
        with st.expander(plain(f"{group.code}: {plural(group.count, 'task')}", limit=120)):
            _messages(group.messages)
            _ids_and_bundles(connection, group.tasks)


def _messages_row_height(messages: pd.Series) -> int:
    """Rows tall enough for the longest messages cell, wrapped in its column (within bounds)."""
    longest = int(messages.astype(str).str.len().max()) if len(messages) else 0
    lines = -(-longest // MESSAGE_CHARACTERS_PER_LINE)
    return min(MAX_GROUP_ROW_HEIGHT, max(WRAPPING_ROW_HEIGHT, lines * LINE_HEIGHT + ROW_PADDING))


def _group_row(group: FailureGroup) -> dict[str, object]:
    return {
        "failed_code": group.code,
        "tasks": group.count,
        "coins": group.coins,
        "messages": " | ".join(message for message, _ in group.messages),
        "first_seen": group.first_seen,
        "last_seen": group.last_seen,
    }


def _group_columns() -> dict[str, Any]:
    config = st.column_config
    return {
        "failed_code": config.TextColumn("Failed code", width=150),
        "tasks": config.NumberColumn("Tasks", width=55),
        "coins": config.NumberColumn(
            "Coins charged", format="%d", width=85, help="Charged when the tasks started"
        ),
        "messages": config.TextColumn("Messages", width=290),
        "first_seen": config.DatetimeColumn("First seen", format="YYYY-MM-DD HH:mm", width=120),
        "last_seen": config.DatetimeColumn("Last seen", format="YYYY-MM-DD HH:mm", width=120),
    }


def _lookup_errors(connection: Connection, groups: list[LookupErrorGroup]) -> None:
    st.subheader("Failed lookups by cause")
    st.caption("We could not learn these tasks' state; they did not necessarily fail.")
    if not groups:
        st.success("Every lookup got an answer.")
        return
    for group in groups:
        label = plain(f"{group.label}: {plural(len(group.tasks), 'task')}")
        with st.expander(label, expanded=True):
            _messages(group.messages)
            _ids_and_bundles(connection, group.tasks)


def _input_problems(rows: list[Task]) -> None:
    invalid = [task for task in rows if task.outcome is TaskOutcome.INVALID_ID]
    if not invalid:
        return
    st.subheader("Input problems")
    are = "is not a task id" if len(invalid) == 1 else "are not task ids"
    st.caption(f"{plural(len(invalid), 'piece')} of the input {are}, so not looked up.")
    st.code("\n".join(marked_piece(task.id) for task in invalid), language=None)


def _messages(messages: tuple[tuple[str, int], ...]) -> None:
    rows = [{"message": message, "tasks": count} for message, count in messages]
    frame = defuse_frame(pd.DataFrame(rows, columns=["message", "tasks"]))
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        row_height=WRAPPING_ROW_HEIGHT,
        column_config={"message": st.column_config.TextColumn("Message", width="large")},
    )


def _ids_and_bundles(connection: Connection, tasks: tuple[Task, ...]) -> None:
    st.caption("Task ids")
    st.code("\n".join(task.id for task in tasks), language=None)
    st.caption("Support bundles")
    st.code("\n".join(support_bundle(task, connection.base_url) for task in tasks), language=None)
