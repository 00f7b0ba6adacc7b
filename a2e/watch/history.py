"""What the dashboard reads from a watcher's state (``A2E_HISTORY=PATH``): never writes, never
creates the file.

``read_history`` gives the tasks the watcher has seen, as ``Task`` rows (every result link
kept), for windows A2E's lists no longer cover (they keep only non-expired records): 90 days,
or all time; ``status_times`` when it first saw each status of one task. ``watch_summary``
gives the Watch page what is watched, the last poll (and when the next is due), any trouble,
the followed kinds the server cannot list, the last test message asked for (taken by the
watcher yet, or not), and each target's latest announcements with their state and reason.
Targets appear by label only: the state never holds a target's URL.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from a2e.core.model import Task, TaskOutcome

HISTORY_SETTING = "A2E_HISTORY"
LAST_ANNOUNCEMENTS = 10


class HistoryUnavailable(RuntimeError):
    """The history file is missing or unreadable; the message says which and why."""


@dataclass(frozen=True)
class History:
    """Tasks from the watcher's state, and since when and for which server it has kept them."""

    tasks: tuple[Task, ...]
    server: str | None
    kept_since: datetime | None


@dataclass(frozen=True)
class TargetSummary:
    """One target's label, its counts by state, and its latest announcements (newest first)."""

    label: str
    active: bool
    counts: dict[str, int]
    latest: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class WatchSummary:
    """The Watch page's facts."""

    server: str | None
    watching: dict[str, Any]
    last_poll: dict[str, Any] | None
    trouble: dict[str, Any] | None
    targets: tuple[TargetSummary, ...]
    unlisted: tuple[str, ...] = ()
    last_test: dict[str, Any] | None = None


def history_server(path: str | Path) -> str | None:
    """The server whose tasks the history holds (None when unknown)."""
    with _reader(path) as connection:
        server = _meta(connection, "server")
    return str(server) if server else None


def read_history(path: str | Path, kinds: Sequence[str], since: datetime | None = None) -> History:
    """Every task of ``kinds`` the watcher saw, created at or after ``since`` (any time: None)."""
    marks = ", ".join("?" for _ in kinds)
    query = f"SELECT * FROM tasks WHERE kind IN ({marks}) AND outcome != 'unknown'"  # noqa: S608
    params: list[object] = list(kinds)
    if since is not None:
        query += " AND created_at >= ?"
        params.append(since.astimezone(UTC).isoformat())
    with _reader(path) as connection:
        tasks = tuple(_task(row) for row in connection.execute(query, params))
        first = connection.execute("SELECT MIN(first_seen) FROM tasks").fetchone()[0]
        server = _meta(connection, "server")
    kept_since = datetime.fromtimestamp(first, UTC) if first is not None else None
    return History(tasks, server, kept_since)


def status_times(path: str | Path, task_id: str) -> list[tuple[str, datetime]]:
    """When the watcher first saw each status of one task, oldest first."""
    with _reader(path) as connection:
        rows = connection.execute(
            "SELECT status, seen_at FROM statuses WHERE task_id = ? ORDER BY seen_at, status",
            (task_id,),
        ).fetchall()
    return [(row["status"], datetime.fromtimestamp(row["seen_at"], UTC)) for row in rows]


def watch_summary(path: str | Path) -> WatchSummary:
    """What the watcher on ``path`` watches, how its last poll went, and its targets' news."""
    with _reader(path) as connection:
        targets = tuple(
            _target_summary(connection, row)
            for row in connection.execute("SELECT * FROM targets ORDER BY active DESC, label")
        )
        return WatchSummary(
            server=_meta(connection, "server"),
            watching=_meta(connection, "watching") or {},
            last_poll=_meta(connection, "last_poll"),
            trouble=_meta(connection, "trouble"),
            targets=targets,
            unlisted=tuple(_meta(connection, "unlisted") or ()),
            last_test=_last_test(connection),
        )


def _last_test(connection: sqlite3.Connection) -> dict[str, Any] | None:
    row = connection.execute(
        "SELECT created_at, taken_at FROM requests ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    return dict(row) if row else None


def _target_summary(connection: sqlite3.Connection, row: sqlite3.Row) -> TargetSummary:
    counts = dict(
        connection.execute(
            "SELECT state, COUNT(*) FROM announcements WHERE target_id = ? GROUP BY state",
            (row["id"],),
        ).fetchall()
    )
    latest = connection.execute(
        "SELECT title, body, state, attempts, last_error, created_at, delivered_at, "
        "next_attempt_at FROM announcements WHERE target_id = ? ORDER BY seq DESC LIMIT ?",
        (row["id"], LAST_ANNOUNCEMENTS),
    )
    return TargetSummary(row["label"], bool(row["active"]), counts, tuple(dict(r) for r in latest))


class _reader:  # noqa: N801 - used as a context manager, like open()
    """A read-only connection to the state (the file must exist)."""

    def __init__(self, path: str | Path) -> None:
        self._path = Path(path)
        self._connection: sqlite3.Connection | None = None

    def __enter__(self) -> sqlite3.Connection:
        if not self._path.is_file():
            raise HistoryUnavailable(f"no watcher state at {self._path.name}")
        try:
            connection = sqlite3.connect(f"{self._path.resolve().as_uri()}?mode=ro", uri=True)
            connection.row_factory = sqlite3.Row
            connection.execute("SELECT 1 FROM tasks LIMIT 1")
        except sqlite3.Error as exc:
            raise HistoryUnavailable(f"the watcher state could not be read ({exc})") from None
        self._connection = connection
        return connection

    def __exit__(self, *_exc: object) -> None:
        if self._connection is not None:
            self._connection.close()


def _meta(connection: sqlite3.Connection, key: str) -> Any:
    row = connection.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return json.loads(row["value"]) if row else None


def _task(row: sqlite3.Row) -> Task:
    return Task(
        id=row["id"],
        kind=row["kind"],
        outcome=_outcome(row["outcome"]),
        status=row["status"],
        name=row["name"],
        coins=row["coins"],
        created_at=_when(row["created_at"]),
        finished_at=_when(row["finished_at"]),
        failed_code=row["failed_code"],
        failed_message=row["failed_message"],
        result_url=row["result_url"],
        result_urls=_urls(row),
        trace_id=row["trace_id"],
    )


def _urls(row: sqlite3.Row) -> tuple[str, ...]:
    """Every result link kept (a state from before they were kept: none, ``result_url`` only)."""
    kept = row["result_urls"] if "result_urls" in row.keys() else None  # noqa: SIM118
    try:
        urls = json.loads(kept) if kept else []
    except ValueError:
        return ()
    return tuple(url for url in urls if isinstance(url, str)) if isinstance(urls, list) else ()


def _outcome(value: str) -> TaskOutcome:
    try:
        return TaskOutcome(value)
    except ValueError:
        return TaskOutcome.LOOKUP_ERROR


def _when(value: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None
