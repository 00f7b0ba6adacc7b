"""The gallery of completed tasks' results (videos, images, audio), paged."""

from __future__ import annotations

import math
from collections.abc import Sequence

import streamlit as st

from a2e.core.model import Task, TaskOutcome
from a2e.core.result_links import ResultLink
from a2e.ui.connection_model import Connection
from a2e.ui.results import browser_links, show_link

PER_PAGE = 6
COLUMNS = 3

Tile = tuple[Task, ResultLink, int, int]


def gallery(connection: Connection, tasks: Sequence[Task], key: str = "gallery_page") -> None:
    """Every result of the completed tasks, captioned with name and id, in a section drawn when
    open (a task with several results gives several tiles).

    Players load their media as soon as they are drawn, even out of view, and slow the table a
    viewer came for: the section opens (and stays open for the session) on a click.
    """
    done = [task for task in tasks if task.outcome is TaskOutcome.COMPLETED]
    tiles = _tiles(connection, done)
    if not tiles:
        st.subheader("Results (0)")
        st.text(_nothing(done))
        return
    section = st.expander(
        f"Results ({len(tiles)})",
        expanded=False,
        icon=":material/perm_media:",
        key=f"{key}_open",
        on_change="rerun",
    )
    if section.open:
        with section:
            _show(tiles, key)


def _tiles(connection: Connection, done: Sequence[Task]) -> list[Tile]:
    tiles: list[Tile] = []
    for task in done:
        links = browser_links(connection, task)
        tiles += [(task, link, n, len(links)) for n, link in enumerate(links, start=1)]
    return tiles


def _nothing(done: Sequence[Task]) -> str:
    if not done:
        return "No completed task with a result yet."
    return f"The {len(done)} completed tasks' answers hold no result link."


def _show(tiles: Sequence[Tile], key: str) -> None:
    pages = math.ceil(len(tiles) / PER_PAGE)
    page = st.pagination(pages, key=key) if pages > 1 else 1
    shown = tiles[(page - 1) * PER_PAGE : page * PER_PAGE]
    for start in range(0, len(shown), COLUMNS):
        row = shown[start : start + COLUMNS]
        for column, (task, link, number, of) in zip(st.columns(COLUMNS), row, strict=False):
            with column:
                show_link(link, muted=True)
                place = f" ({number} of {of})" if of > 1 else ""
                st.text(f"{task.name or '(no name)'}{place}\n{task.id}")
