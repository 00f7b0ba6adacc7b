"""The Overview's windows beyond A2E's lists: 90 days and all time, from the watcher's history.

Offered only when ``A2E_HISTORY`` names a watcher's state, the viewer uses the server's token
(the watcher watches that account) and the history is of the server the viewer uses. The
reading is a ``WindowRead`` like any other (no list call); the page says which source each
window came from.
"""

from __future__ import annotations

from datetime import timedelta

from a2e.core.model import utc_now
from a2e.ui.connection_model import Connection, TokenSource
from a2e.ui.settings import server_setting
from a2e.views.overview import WindowRead
from a2e.watch.history import HISTORY_SETTING, HistoryUnavailable, history_server, read_history

HISTORY_WINDOWS: dict[str, timedelta | None] = {"90d": timedelta(days=90), "all": None}
HISTORY_CHOICES = {"90d": "90 days", "all": "All time"}
LISTS_SOURCE = "A2E's task lists"


def history_path() -> str | None:
    """The watcher state named by ``A2E_HISTORY``, if set."""
    return server_setting(HISTORY_SETTING)


def history_offered(connection: Connection) -> bool:
    """True when this viewer's Overview may read the watcher's history."""
    path = history_path()
    if path is None or connection.source is not TokenSource.SERVER:
        return False
    try:
        return history_server(path) == connection.base_url
    except HistoryUnavailable:
        return False


def read_history_window(kinds: list[str], window: str) -> WindowRead:
    """The window's tasks from the history (raises ``HistoryUnavailable``)."""
    path = history_path()
    if path is None:
        raise HistoryUnavailable(f"{HISTORY_SETTING} is not set")
    now, span = utc_now(), HISTORY_WINDOWS[window]
    history = read_history(path, kinds, now - span if span else None)
    dated = [task.created_at for task in history.tasks if task.created_at is not None]
    start = (
        now - span if span else min([*dated, history.kept_since or now, now - timedelta(days=1)])
    )
    tasks = tuple(sorted(history.tasks, key=lambda t: t.created_at or now, reverse=True))
    return WindowRead(tasks, start, now, calls=0)


def source_note(window: str) -> str:
    """Where a window's tasks came from, for the page's reading line."""
    if window in HISTORY_WINDOWS:
        return f"the watcher's history ({HISTORY_SETTING}), beyond what A2E's lists keep"
    return LISTS_SOURCE
