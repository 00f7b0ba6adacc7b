"""Pushed answers on the page: a small fragment that takes in what webhooks confirmed.

While webhooks are on (``A2E_WEBHOOK_TOKEN``) and the page shows tasks that may still change,
looked up with the server's token, a fragment runs every ``CHECK_SECONDS``: it asks the
process's push notices what was confirmed since its last look (no I/O), reads those answers
from the cache (no upstream call), merges them into the board as a refresh would, toasts
each task that finished, and redraws the page. Nothing else is drawn: a check with no news
costs the viewer nothing visible.
"""

from __future__ import annotations

import streamlit as st

from a2e.ui.cached import shared_client, shared_notices, shared_task_cache
from a2e.ui.connection_model import Connection, TokenSource
from a2e.ui.plain import plain
from a2e.ui.session import current_board
from a2e.ui.settings import webhooks_on
from a2e.views.live import announcement
from a2e.views.pushed import take_pushed, watched_keys
from a2e.views.tables import MATERIAL_ICONS

CHECK_SECONDS = 1.0
_TOASTS = "_pushed_toasts"


def pushed_updates(connection: Connection, name: str) -> None:
    """Take pushed answers into the named board about once a second (see the docstring)."""
    # Toasts raised in the fragment would be lost to the rerun that redraws the page.
    for message, icon in st.session_state.pop(_TOASTS, []):
        st.toast(message, icon=icon)
    board = current_board(connection, name)
    if connection.source is not TokenSource.SERVER or not webhooks_on():
        return
    if board is None or not board.pollable():
        return

    @st.fragment(run_every=CHECK_SECONDS)
    def check() -> None:
        if _take_news(connection, name):
            st.rerun()

    check()


def _take_news(connection: Connection, name: str) -> bool:
    """Merge what was pushed since this viewer's last look; True when the page must redraw."""
    board = current_board(connection, name)
    if board is None:
        return False
    notices, cursor_key = shared_notices(), f"_pushed_cursor_{name}"
    cursor = st.session_state.get(cursor_key, 0)
    st.session_state[cursor_key], names = notices.since(cursor if isinstance(cursor, int) else 0)
    if names is not None and not names:
        return False
    cache = shared_task_cache()
    origin = shared_client(connection.base_url, connection.scope).origin
    watched = watched_keys(board, origin, cache.fingerprint(connection.token))
    result = take_pushed(board, watched, names, cache.store.get_many)
    if result is None:
        return False
    st.session_state[_TOASTS] = [
        (plain(announcement(transition)), MATERIAL_ICONS[transition.task.outcome])
        for transition in result.finished
    ]
    return True
