"""The viewer's boards in ``st.session_state``, each scoped to one server, token and kind.

A page keeps its own board by name (Lookup's ids, Recent's listed page), so one page's work
never replaces another's.
"""

from __future__ import annotations

import streamlit as st

from a2e.cache.fetch import token_fingerprint
from a2e.ui.connection_model import Connection
from a2e.views.board import Board, Scope

LOOKUP_BOARD = "lookup"
RECENT_BOARD = "recent"
_PREFIX = "board:"
_LAST_SHOWN = "_last_board_shown"  # (not under _PREFIX: it is not a board)


def scope_of(connection: Connection, kind: str) -> Scope:
    """What selects the data: the server, the token (hashed) and the kind."""
    return (connection.base_url, token_fingerprint(connection.token), kind)


def current_board(connection: Connection, name: str = LOOKUP_BOARD) -> Board | None:
    """The named board for this connection, or None (one made with another token is dropped)."""
    key = _PREFIX + name
    board = st.session_state.get(key)
    if not isinstance(board, Board):
        return None
    if board.scope != scope_of(connection, board.kind):
        del st.session_state[key]
        return None
    return board


def new_board(connection: Connection, kind: str, name: str = LOOKUP_BOARD) -> Board:
    """A fresh, empty board for this connection and kind, replacing the named one."""
    board = Board(scope=scope_of(connection, kind), kind=kind)
    st.session_state[_PREFIX + name] = board
    return board


def all_boards(connection: Connection) -> list[Board]:
    """Every board of this connection (what *Check token* tells about the token applies to all)."""
    names = [str(key)[len(_PREFIX) :] for key in st.session_state if str(key).startswith(_PREFIX)]
    return [board for name in names if (board := current_board(connection, name)) is not None]


def note_board_shown(name: str) -> None:
    """Remember that the named board was the last one a page showed (for the Failures page)."""
    st.session_state[_LAST_SHOWN] = name


def last_board_shown() -> str | None:
    """The name of the board a page showed last in this session, if any."""
    name = st.session_state.get(_LAST_SHOWN)
    return name if isinstance(name, str) else None
