"""Every task the watcher has seen: its last known state, and when it first showed each status.

``observe`` records what one poll learnt (inside the caller's transaction) and returns the
finishes to announce; a task's row keeps every result link (``result_urls``, a JSON list). A
task is *settled* once its final state was dealt with: announced, taken as the baseline (final
when the watcher first read its kind), or left out by ``--only failed``; a settled task is
never announced again, so a restart re-reads without repeating itself. A lookup that failed
changes nothing, except that an id named on the command line and found as no kind is a finish
of its own ("not found"), announced once.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from a2e.core.model import LookupCause, Task, TaskOutcome

UNKNOWN_OUTCOME = "unknown"
FIELDS = (
    "kind",
    "outcome",
    "status",
    "name",
    "coins",
    "created_at",
    "finished_at",
    "failed_code",
    "failed_message",
    "result_url",
    "result_urls",
    "trace_id",
)
_UPSERT = (
    f"INSERT INTO tasks (id, {', '.join(FIELDS)}, first_seen, last_seen, settled) "  # noqa: S608
    f"VALUES (?, {', '.join('?' for _ in FIELDS)}, ?, ?, ?) "
    "ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, outcome = excluded.outcome, "
    "status = excluded.status, last_seen = excluded.last_seen, settled = excluded.settled, "
    + ", ".join(
        f"{name} = COALESCE(excluded.{name}, tasks.{name})"
        for name in FIELDS
        if name not in ("kind", "outcome", "status")
    )
)


@dataclass(frozen=True)
class Rules:
    """What a poll's findings mean: the kind's first reading is a baseline; which finishes."""

    baseline: bool = False
    only_failed: bool = False

    def announces(self, task: Task) -> bool:
        """True when this finish is to be announced."""
        if self.baseline:
            return False
        return task.outcome is TaskOutcome.FAILED or not self.only_failed


def observe(
    connection: sqlite3.Connection, tasks: Iterable[Task], now: float, rules: Rules
) -> list[Task]:
    """Record ``tasks`` as seen at ``now``; the finishes among them to announce."""
    finishes: list[Task] = []
    for task in tasks:
        row = connection.execute(
            "SELECT settled, watched FROM tasks WHERE id = ?", (task.id,)
        ).fetchone()
        settled = bool(row and row["settled"])
        if task.outcome is TaskOutcome.LOOKUP_ERROR:
            if row and row["watched"] and not settled and _not_found(task):
                _settle_not_found(connection, task, now)
                finishes.append(task)
            continue
        if task.outcome is TaskOutcome.INVALID_ID:
            continue
        newly_final = task.is_final and not settled
        _upsert(connection, task, now, settled=settled or task.is_final)
        if newly_final and rules.announces(task):
            finishes.append(task)
    return finishes


def watch_ids(connection: sqlite3.Connection, ids: Sequence[str], kind: str, now: float) -> None:
    """Name ``ids`` as watched: each one's final state is announced once, even if final now."""
    for task_id in ids:
        connection.execute(
            "INSERT INTO tasks (id, kind, outcome, first_seen, last_seen, watched, settled) "
            "VALUES (?, ?, ?, ?, ?, 1, 0) ON CONFLICT (id) DO UPDATE SET watched = 1, "
            "settled = CASE WHEN tasks.watched = 1 THEN tasks.settled ELSE 0 END",
            (task_id, kind, UNKNOWN_OUTCOME, now, now),
        )


def open_tasks(
    connection: sqlite3.Connection, kinds: Sequence[str] | None = None
) -> list[tuple[str, str]]:
    """``(id, kind)`` of every task whose finish is still to come (or to be announced): the
    named ids, and the tasks of ``kinds`` (every kind when None)."""
    query = "SELECT id, kind FROM tasks WHERE settled = 0"
    params: list[str] = []
    if kinds is not None:
        marks = ", ".join("?" for _ in kinds) or "NULL"
        query += f" AND (watched = 1 OR kind IN ({marks}))"
        params = list(kinds)
    rows = connection.execute(query + " ORDER BY id", params)
    return [(row["id"], row["kind"]) for row in rows]


def watched_left(connection: sqlite3.Connection) -> int:
    """How many ids named on the command line are not settled yet."""
    row = connection.execute("SELECT COUNT(*) FROM tasks WHERE watched = 1 AND settled = 0")
    return int(row.fetchone()[0])


def known_ids(connection: sqlite3.Connection, ids: Iterable[str]) -> set[str]:
    """Which of ``ids`` the state has seen before."""
    wanted = list(ids)
    found: set[str] = set()
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        rows = connection.execute(f"SELECT id FROM tasks WHERE id IN ({marks})", chunk)  # noqa: S608
        found |= {row["id"] for row in rows}
    return found


def _not_found(task: Task) -> bool:
    return task.error_cause is LookupCause.NOT_FOUND


def _settle_not_found(connection: sqlite3.Connection, task: Task, now: float) -> None:
    connection.execute(
        "UPDATE tasks SET settled = 1, error = ?, last_seen = ? WHERE id = ?",
        (task.error, now, task.id),
    )


def _upsert(connection: sqlite3.Connection, task: Task, now: float, *, settled: bool) -> None:
    values = [_cell(getattr(task, name)) for name in FIELDS]
    connection.execute(_UPSERT, (task.id, *values, now, now, int(settled)))
    if task.status is not None:
        connection.execute(
            "INSERT OR IGNORE INTO statuses (task_id, status, seen_at) VALUES (?, ?, ?)",
            (task.id, task.status[:100], now),
        )


def _cell(value: object) -> object:
    if isinstance(value, tuple):  # result_urls: kept as a JSON list (none: keep what was known)
        return json.dumps(list(value)) if value else None
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, TaskOutcome):
        return value.value
    return value
