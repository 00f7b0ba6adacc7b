"""The Overview's coins, said truly: what the window's tasks were charged, and what A2E's
credits history says the account spent and got back.

A task's ``coins`` is what it was charged when it started; a failed task may have been
refunded since (its message may say so), which the task itself does not tell. Where the
credits history can be read (``a2e.views.credits``), the account's coins spent, refunded and
spent net over the window are shown; where it cannot, the page says refunds are not known.
The history is read once for the widest window yet (at least ``SPAN``) and kept in the session
for ``KEEP_SECONDS`` (or until *Read again*): switching windows asks nothing more.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta

import streamlit as st

from a2e.api.errors import LookupFailed
from a2e.ui.account_calls import READ_CREDITS, account_call
from a2e.ui.connection_model import Connection
from a2e.ui.plain import plain
from a2e.views.credits import CreditsHistory, covers, read_history, window_totals
from a2e.views.overview import WindowRead

CHARGED_HELP = "What A2E charged the window's tasks when they started; refunds not counted"
SPAN = timedelta(days=30)
KEEP_SECONDS = 600.0
_KEPT = "_overview_credits"


@dataclass(frozen=True)
class KeptCredits:
    """The credits history of one server and token, or why it could not be read."""

    owner: object
    read_at: float
    history: CreditsHistory | None = None
    error: str | None = None


def forget_credits() -> None:
    """Read the history anew next time (*Read again*)."""
    st.session_state.pop(_KEPT, None)


def credits_figures(connection: Connection, owner: object, read: WindowRead) -> None:
    """Spent, refunded and net over the window (the credits history), or why not known.

    ``owner`` selects the reading (server and token hash): another one is read anew."""
    kept = st.session_state.get(_KEPT)
    if not _usable(kept, owner, read.start):
        kept = _read(connection, owner, read)
        st.session_state[_KEPT] = kept
    assert isinstance(kept, KeptCredits)
    if kept.history is None:
        st.caption(
            plain(
                "Refunds are not known: A2E's credits history could not be read "
                f"({kept.error}). Coins above are what the tasks were charged.",
                limit=400,
            )
        )
        return
    window = window_totals(kept.history, read.start, read.now)
    st.caption("A2E's credits history, for the whole account (every kind) over the window:")
    spent, refunded, net, _ = st.columns([1, 1, 1, 3])
    help_text = "From A2E's credits history: the account's own record of its coins"
    spent.metric("Spent", f"{window.spent:,.0f}", help=help_text)
    refunded.metric("Refunded", f"{window.refunded:,.0f}", help=help_text)
    net.metric("Net of refunds", f"{window.net:,.0f}", help=help_text)
    if not window.complete:
        st.caption("The credits history had more entries than were read: these are a part.")


def _usable(kept: object, owner: object, start: datetime) -> bool:
    if not isinstance(kept, KeptCredits) or kept.owner != owner:
        return False
    if time.time() - kept.read_at >= KEEP_SECONDS:
        return False
    return kept.history is None or covers(kept.history, start)


def _read(connection: Connection, owner: object, read: WindowRead) -> KeptCredits:
    start = min(read.start, read.now - SPAN)
    try:
        history = account_call(
            connection,
            READ_CREDITS,
            lambda _cache, client, token, meter: read_history(
                client, token, start, read.now, meter=meter
            ),
        )
    except LookupFailed as exc:
        return KeptCredits(owner, time.time(), error=exc.message)
    return KeptCredits(owner, time.time(), history=history)
