"""Pokes: "ask these ids now", and requests from the dashboard's Watch page.

The dashboard's ``/hooks/a2e`` route, once it has checked an A2E webhook, calls
``poke(state_path, ids, kind)``: the ids go into the state's ``pokes`` table, which the watcher
reads every second (``take_pokes``) and answers at once with one lookup per id (as its known
kind, else ``kind``, else every kind). A webhook only says "ask now": the lookup stays the
source of truth, so a forged or repeated poke costs a lookup and never announces anything by
itself. Ids that are not task ids are dropped. ``ask_for_test`` queues a test message to every
target (the Watch page's button). Both work whether or not the watcher runs; it acts on them
when it next reads the state.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable
from pathlib import Path

from a2e.core.ids import is_task_id
from a2e.core.kinds import KINDS
from a2e.watch.db import open_state, transaction

MAX_POKES = 1_000
TEST_REQUEST = "test"


def poke(state_path: str | Path, ids: Iterable[str], kind: str | None = None) -> int:
    """Ask the watcher on ``state_path`` to look ``ids`` up now; how many ids were queued."""
    wanted = list(dict.fromkeys(i.lower() for i in ids if isinstance(i, str) and is_task_id(i)))
    wanted = wanted[:MAX_POKES]
    kind = kind if kind in KINDS else None
    if not wanted:
        return 0
    connection = open_state(state_path)
    try:
        with transaction(connection):
            connection.executemany(
                "INSERT INTO pokes (task_id, kind, created_at) VALUES (?, ?, ?)",
                [(task_id, kind, time.time()) for task_id in wanted],
            )
    finally:
        connection.close()
    return len(wanted)


def take_pokes(connection: sqlite3.Connection) -> list[tuple[str, str | None]]:
    """The ids poked since the last call, each once, ``(id, kind or None)``; they are removed."""
    if connection.execute("SELECT 1 FROM pokes LIMIT 1").fetchone() is None:
        return []  # the usual answer, read without taking the write lock
    with transaction(connection):
        rows = connection.execute("SELECT task_id, kind FROM pokes ORDER BY seq").fetchall()
        connection.execute("DELETE FROM pokes")
    found: dict[str, str | None] = {}
    for row in rows:
        found[row["task_id"]] = found.get(row["task_id"]) or row["kind"]
    return list(found.items())


def ask_for_test(state_path: str | Path) -> None:
    """Ask the watcher to send a test message to each of its targets."""
    connection = open_state(state_path)
    try:
        connection.execute(
            "INSERT INTO requests (what, created_at) VALUES (?, ?)", (TEST_REQUEST, time.time())
        )
    finally:
        connection.close()


def requests_waiting(connection: sqlite3.Connection) -> bool:
    """True when a test message was asked for and not taken yet (read without a write lock)."""
    waiting = "SELECT 1 FROM requests WHERE taken_at IS NULL LIMIT 1"
    return connection.execute(waiting).fetchone() is not None


def take_requests(connection: sqlite3.Connection, now: float) -> list[int]:
    """Test requests not taken yet (their numbers), marked as taken, in the caller's
    transaction (the one that queues their messages)."""
    rows = connection.execute(
        "SELECT seq FROM requests WHERE taken_at IS NULL AND what = ?", (TEST_REQUEST,)
    ).fetchall()
    connection.execute("UPDATE requests SET taken_at = ? WHERE taken_at IS NULL", (now,))
    return [row["seq"] for row in rows]
