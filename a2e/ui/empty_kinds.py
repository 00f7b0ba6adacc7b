"""The kinds an account has no task of, learnt this session: *All kinds* skips them quietly.

Kept in the viewer's session per (server, token hash). The first reading of several kinds (the
Recent page's *All kinds* or a family, the Overview) asks every kind; the kinds it found empty
are not asked again by later readings of the session, until *Reload list* or *Read again* asks
every kind once more.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import streamlit as st

from a2e.cache.fetch import token_fingerprint
from a2e.ui.connection_model import Connection

_KEPT = "_empty_kinds"


def kinds_to_read(connection: Connection, kinds: Sequence[str], *, every: bool) -> list[str]:
    """``kinds`` without those known empty (all of them when ``every``, or when none is left)."""
    empty = set() if every else known_empty(connection)
    return [kind for kind in kinds if kind not in empty] or list(kinds)


def known_empty(connection: Connection) -> set[str]:
    """The kinds this session found no task of, for this server and token."""
    kept: dict[tuple[str, str], frozenset[str]] = st.session_state.get(_KEPT, {})
    return set(kept.get(_account(connection), frozenset()))


def remember_empty(connection: Connection, read: Iterable[str], empty: Iterable[str]) -> None:
    """A reading of ``read`` kinds found ``empty`` ones without any task."""
    kept: dict[tuple[str, str], frozenset[str]] = st.session_state.setdefault(_KEPT, {})
    earlier = known_empty(connection) - set(read)
    kept[_account(connection)] = frozenset(earlier | set(empty))


def _account(connection: Connection) -> tuple[str, str]:
    return connection.base_url, token_fingerprint(connection.token)
