"""A failure code opens its tasks: the Lookup (or Recent) table, filtered to that code.

The Overview and Failures pages draw one button per failure code (``code_buttons``). On
Failures, the tasks are already on the Lookup or Recent page: the button filters that page's
table to the code. On the Overview, the window's tasks of the code are put on the Lookup
page as they were read (nothing is asked again), filtered the same way, with a note saying
where they came from. A filtered table says so above it, with a button that shows every row.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from a2e.core.model import Task, TaskOutcome
from a2e.ui.connection_model import Connection
from a2e.ui.lookup import fill_form
from a2e.ui.plain import plain
from a2e.ui.session import LOOKUP_BOARD, RECENT_BOARD, new_board
from a2e.views.auto_kind import AUTO_KIND
from a2e.views.status_text import plural
from a2e.views.triage import NO_CODE, FailureGroup, failure_groups

PAGES = {LOOKUP_BOARD: "pages/lookup.py", RECENT_BOARD: "pages/recent.py"}
_FILTER, _NOTE = "_{}_code_filter", "_{}_code_note"
MAX_BUTTONS = 10


def code_of(task: Task) -> str:
    """The code a failed task is grouped under (as the Failures page and the Overview do)."""
    return task.failed_code or NO_CODE


def code_buttons(groups: Sequence[FailureGroup], *, key: str) -> str | None:
    """One button per code (``face_not_detected · 7``); the code whose button was pressed."""
    st.caption("Open the tasks of a failure code:")
    pressed = None
    with st.container(horizontal=True, gap="small"):
        for group in groups:
            label = plain(f"{group.code} · {group.count}", limit=80)
            if st.button(label, key=f"{key}_{group.code}", icon=":material/filter_alt:"):
                pressed = group.code
    return pressed


def open_code(board: str, code: str, *, query: dict[str, str] | None = None) -> None:
    """Show the page of ``board`` with its table filtered to the tasks that failed with ``code``."""
    st.session_state[_FILTER.format(board)] = code
    st.session_state.pop(_NOTE.format(board), None)
    st.switch_page(PAGES[board], query_params=query or {})


def open_codes_on_lookup(
    connection: Connection, tasks: Sequence[Task], *, key: str, note: str
) -> None:
    """The code buttons of ``tasks`` (already read); a pressed one puts its failed tasks on
    the Lookup page as they are (nothing is asked again), filtered to it, and goes there."""
    groups = failure_groups(tasks)[:MAX_BUTTONS]
    if not groups or (code := code_buttons(groups, key=key)) is None:
        return
    failed = [t for t in tasks if t.outcome is TaskOutcome.FAILED and code_of(t) == code]
    ids = tuple(task.id for task in failed)
    new_board(connection, AUTO_KIND, LOOKUP_BOARD).show(ids, (), failed)
    fill_form(ids)
    st.session_state[_FILTER.format(LOOKUP_BOARD)] = code
    st.session_state[_NOTE.format(LOOKUP_BOARD)] = note
    st.switch_page(PAGES[LOOKUP_BOARD])


def code_filter(board: str, rows: Sequence[Task]) -> list[Task]:
    """The rows the board's code filter keeps (all when there is none), saying so above."""
    code = st.session_state.get(_FILTER.format(board))
    if not isinstance(code, str):
        return list(rows)
    kept = [t for t in rows if t.outcome is TaskOutcome.FAILED and code_of(t) == code]
    note = st.session_state.get(_NOTE.format(board))
    text, clear = st.columns([4, 1], vertical_alignment="center")
    words = f"Only the {plural(len(kept), 'task')} that failed with {code}"
    text.info(plain(f"{note} {words}." if note else f"{words}."), icon=":material/filter_alt:")
    if clear.button("Show every row", key=f"{board}_clear_code", icon=":material/close:"):
        st.session_state.pop(_FILTER.format(board), None)
        st.session_state.pop(_NOTE.format(board), None)
        st.rerun()
    return kept
