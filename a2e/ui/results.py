"""A task's results as a person sees them: images as images, videos as players, audio as an
audio player (``a2e.core.result_links`` tells which is which), every one of several results."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from a2e.core.model import Task, TaskOutcome
from a2e.core.result_links import ResultLink, result_links
from a2e.ui.connection_model import Connection
from a2e.ui.keeping import archived_links

NAMES = {"image": "image", "video": "video", "audio": "audio file"}
PER_ROW = 2


def browser_links(connection: Connection, task: Task) -> tuple[ResultLink, ...]:
    """The task's results, each at the URL the viewer's browser must load (the archived copy
    once A2E's link has expired, with ``A2E_ARCHIVE``)."""
    return archived_links(connection, task, result_links(connection.as_browser_sees(task)))


def show_link(link: ResultLink, *, muted: bool = False) -> None:
    """One result, drawn as what it holds."""
    if link.media == "image":
        st.image(link.url)
    elif link.media == "audio":
        st.audio(link.url)
    else:
        st.video(link.url, muted=muted)


def show_results(links: Sequence[ResultLink]) -> None:
    """Every result: one at full width, several in rows of ``PER_ROW``."""
    if len(links) == 1:
        show_link(links[0])
        return
    for start in range(0, len(links), PER_ROW):
        row = links[start : start + PER_ROW]
        for column, link in zip(st.columns(PER_ROW), row, strict=False):
            with column:
                show_link(link)


def results_heading(links: Sequence[ResultLink]) -> str:
    """``Result video``, ``Results: 3 images``, ``Results: 1 image, 1 video``."""
    counts: dict[str, int] = {}
    for link in links:
        counts[link.media] = counts.get(link.media, 0) + 1
    if len(links) == 1:
        return f"Result {NAMES[links[0].media]}"
    parts = [f"{n} {NAMES[media]}{'s' if n > 1 else ''}" for media, n in counts.items()]
    return "Results: " + ", ".join(parts)


def no_result_text(task: Task) -> str:
    """What the result column says when there is nothing to show."""
    if task.outcome is TaskOutcome.IN_PROGRESS:
        return "No result yet."
    if task.outcome is TaskOutcome.LOOKUP_ERROR:
        return "Unknown: the lookup failed."
    if task.outcome is TaskOutcome.COMPLETED:
        return "Completed, but A2E's answer holds no result link."
    return "No result."
