"""The gallery of completed tasks with inline video players, paged."""

from __future__ import annotations

import math
from collections.abc import Sequence

import streamlit as st

from a2e.core.model import Task, TaskOutcome
from a2e.ui.connection_model import Connection

PER_PAGE = 6
COLUMNS = 3


def gallery(connection: Connection, tasks: Sequence[Task], key: str = "gallery_page") -> None:
    """Completed tasks' result videos, captioned with name and id, in a section drawn when open.

    Video players load their media as soon as they are drawn, even out of view, and slow the
    table a viewer came for: the section opens (and stays open for the session) on a click.
    """
    playable = [t for t in tasks if t.outcome is TaskOutcome.COMPLETED and t.result_url]
    if not playable:
        st.subheader("Results (0)")
        st.text("No completed task with a result video yet.")
        return
    section = st.expander(
        f"Result videos ({len(playable)})",
        expanded=False,
        icon=":material/movie:",
        key=f"{key}_open",
        on_change="rerun",
    )
    if section.open:
        with section:
            _videos(connection, playable, key)


def _videos(connection: Connection, playable: Sequence[Task], key: str) -> None:
    pages = math.ceil(len(playable) / PER_PAGE)
    page = st.pagination(pages, key=key) if pages > 1 else 1
    shown = playable[(page - 1) * PER_PAGE : page * PER_PAGE]
    for start in range(0, len(shown), COLUMNS):
        for column, task in zip(st.columns(COLUMNS), shown[start : start + COLUMNS], strict=False):
            with column:
                st.video(connection.media_url(task.result_url) or "", muted=True)
                st.text(f"{task.name or '(no name)'}\n{task.id}")
