"""The viewer's ``Board`` in ``st.session_state``, scoped to one server, token and kind."""

from __future__ import annotations

import streamlit as st

from a2e.cache.fetch import token_fingerprint
from a2e.ui.connection_model import Connection
from a2e.views.board import Board, Scope

_BOARD_KEY = "board"


def scope_of(connection: Connection, kind: str) -> Scope:
    """What selects the data: the server, the token (hashed) and the kind."""
    return (connection.base_url, token_fingerprint(connection.token), kind)


def current_board(connection: Connection) -> Board | None:
    """The board for this connection, or None (a board made with another token is dropped)."""
    board = st.session_state.get(_BOARD_KEY)
    if not isinstance(board, Board):
        return None
    if board.scope != scope_of(connection, board.kind):
        del st.session_state[_BOARD_KEY]
        return None
    return board


def new_board(connection: Connection, kind: str) -> Board:
    """A fresh, empty board for this connection and kind, replacing any other."""
    board = Board(scope=scope_of(connection, kind), kind=kind)
    st.session_state[_BOARD_KEY] = board
    return board
