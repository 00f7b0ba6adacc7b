"""The watcher's SQLite state: one file (WAL), one writer at a time, any number of readers.

``open_state(path)`` opens (and creates) the schema; ``WriterLock`` makes a second watcher on
the same state refuse to start, whatever path it was given (an exclusive ``flock`` on
``PATH.lock`` beside the state's real path, released by the system whatever way the holder
ends, ``kill -9`` included). The dashboard opens the same file
to read the history and to write pokes; SQLite's WAL lets it do so while the watcher writes.
Times are epoch seconds (UTC). ``meta`` keeps small settings between runs as JSON. A state
written by an older watcher gains the columns added since (``ADDED_COLUMNS``) when opened.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import sqlite3
from pathlib import Path
from typing import Any

BUSY_TIMEOUT_MS = 10_000
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tasks (
    id TEXT PRIMARY KEY, kind TEXT NOT NULL, outcome TEXT NOT NULL, status TEXT, name TEXT,
    coins REAL, created_at TEXT, finished_at TEXT, failed_code TEXT, failed_message TEXT,
    result_url TEXT, result_urls TEXT, trace_id TEXT, error TEXT,
    first_seen REAL NOT NULL, last_seen REAL NOT NULL,
    watched INTEGER NOT NULL DEFAULT 0, settled INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS tasks_open ON tasks (settled, kind);
CREATE INDEX IF NOT EXISTS tasks_created ON tasks (created_at);
CREATE TABLE IF NOT EXISTS statuses (
    task_id TEXT NOT NULL, status TEXT NOT NULL, seen_at REAL NOT NULL,
    PRIMARY KEY (task_id, status));
CREATE TABLE IF NOT EXISTS targets (
    id TEXT PRIMARY KEY, label TEXT NOT NULL, kind TEXT NOT NULL, active INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS announcements (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, message_id TEXT NOT NULL, target_id TEXT NOT NULL,
    subject TEXT NOT NULL, title TEXT NOT NULL, body TEXT NOT NULL, payload TEXT NOT NULL,
    tone TEXT NOT NULL, state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at REAL, last_error TEXT, created_at REAL NOT NULL, delivered_at REAL,
    UNIQUE (target_id, subject));
CREATE INDEX IF NOT EXISTS announcements_due ON announcements (target_id, state, next_attempt_at);
CREATE TABLE IF NOT EXISTS pokes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, task_id TEXT NOT NULL, kind TEXT,
    created_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS requests (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, what TEXT NOT NULL, created_at REAL NOT NULL,
    taken_at REAL);
"""
# Columns added since the first states were written: ``open_state`` adds them to an older state.
ADDED_COLUMNS = (("tasks", "result_urls", "TEXT"),)


class StateLocked(RuntimeError):
    """Another watcher holds this state; the message says which file and which process."""


def open_state(path: str | Path) -> sqlite3.Connection:
    """A connection to the state at ``path`` (created with its schema), in WAL mode.

    A new state file is readable by its owner only (SQLite gives its journal files the same).
    """
    if not Path(path).exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    connection = sqlite3.connect(
        str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
    )
    connection.row_factory = sqlite3.Row
    connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = NORMAL")
    connection.executescript(SCHEMA)
    _add_columns(connection)
    return connection


def _add_columns(connection: sqlite3.Connection) -> None:
    for table, column, kind in ADDED_COLUMNS:
        present = {row["name"] for row in connection.execute(f"PRAGMA table_info({table})")}
        if column in present:
            continue
        try:
            connection.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")
        except sqlite3.OperationalError as exc:  # another process added it just now
            if "duplicate column" not in str(exc):
                raise


@contextlib.contextmanager
def transaction(connection: sqlite3.Connection) -> Any:
    """``BEGIN IMMEDIATE`` … ``COMMIT`` (or ``ROLLBACK`` on an error): all of it, or none."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield connection
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


def get_meta(connection: sqlite3.Connection, key: str) -> Any:
    """The JSON value kept under ``key``, or None."""
    row = connection.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return json.loads(row["value"]) if row else None


def set_meta(connection: sqlite3.Connection, key: str, value: Any) -> None:
    """Keep ``value`` (JSON) under ``key``."""
    connection.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, json.dumps(value)),
    )


class WriterLock:
    """The one-watcher-per-state lock: held from ``acquire`` until ``release`` or process end."""

    def __init__(self, state_path: str | Path) -> None:
        # The state's real path: a second watcher given a symlink to it meets the same lock.
        self.path = Path(f"{Path(state_path).resolve()}.lock")
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock, or raise ``StateLocked`` naming the state and the holder's pid."""
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 32).decode(errors="replace").strip() or "unknown"
            os.close(fd)
            state = self.path.name.removesuffix(".lock")
            raise StateLocked(
                f"another watcher (pid {holder}) is already using the state {state}: "
                "stop it first, or give this one another --state file"
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._fd = fd

    def release(self) -> None:
        """Let another watcher take the state."""
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
