"""Announcements per target: written with the transition they announce, delivered at most
once each, tried again on the persisted schedule (``a2e.notify.schedule``).

An announcement's ``subject`` (``task:ID:failed``, ``digest:…``, ``trouble:…``) is unique per
target, so one transition can never be queued twice for a target, whatever crashes in
between. Its ``message_id`` is drawn once, at creation: every attempt sends the same id (the
Standard Webhooks ``webhook-id``). ``start_attempt`` counts the attempt and sets the time of
the next one *before* anything is sent, so a watcher killed mid-delivery tries again on
schedule after a restart; ``finish_attempt`` records what the attempt taught.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterable, Sequence

from a2e.notify.message import Attempt, GiveUp, Message, Sent, Tone, TryAgain
from a2e.notify.schedule import next_attempt_at
from a2e.watch.messages import Draft

PENDING, DELIVERED, GIVEN_UP = "pending", "delivered", "given_up"


def queue(
    connection: sqlite3.Connection,
    draft: Draft,
    target_ids: Iterable[str],
    now: float,
) -> int:
    """One announcement of ``draft`` per target (none twice); how many were new."""
    added = 0
    for target_id in target_ids:
        cursor = connection.execute(
            "INSERT OR IGNORE INTO announcements (message_id, target_id, subject, title, body, "
            "payload, tone, state, next_attempt_at, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                f"msg_{uuid.uuid4().hex}",
                target_id,
                draft.subject,
                draft.title,
                draft.body,
                json.dumps(draft.payload, separators=(",", ":"), ensure_ascii=False),
                draft.tone.value,
                PENDING,
                now,
                now,
            ),
        )
        added += cursor.rowcount
    return added


def due(connection: sqlite3.Connection, target_id: str, now: float, limit: int = 20) -> list[int]:
    """The oldest pending announcements of one target whose next try is due."""
    rows = connection.execute(
        "SELECT seq FROM announcements WHERE target_id = ? AND state = ? "
        "AND next_attempt_at <= ? ORDER BY seq LIMIT ?",
        (target_id, PENDING, now, limit),
    )
    return [row["seq"] for row in rows]


def start_attempt(
    connection: sqlite3.Connection, seq: int, now: float, delays: Sequence[float]
) -> Message:
    """Count one attempt (scheduling the next, in case this one never reports); its message."""
    row = connection.execute("SELECT * FROM announcements WHERE seq = ?", (seq,)).fetchone()
    attempts = row["attempts"] + 1
    later = next_attempt_at(now, attempts, delays)
    connection.execute(
        "UPDATE announcements SET attempts = ?, next_attempt_at = ? WHERE seq = ?",
        (attempts, later if later is not None else now + delays[-1], seq),
    )
    return Message(
        row["message_id"], row["title"], row["body"], json.loads(row["payload"]), Tone(row["tone"])
    )


def finish_attempt(
    connection: sqlite3.Connection,
    seq: int,
    attempt: Attempt,
    now: float,
    delays: Sequence[float],
) -> str:
    """Record what one attempt taught; the announcement's state after it."""
    row = connection.execute("SELECT attempts, target_id FROM announcements WHERE seq = ?", (seq,))
    attempts, target_id = row.fetchone()
    if isinstance(attempt, Sent):
        _set(connection, seq, DELIVERED, None, None, delivered_at=now)
        # The target answers again: what waits for it need not wait out its schedule.
        connection.execute(
            "UPDATE announcements SET next_attempt_at = ? WHERE target_id = ? AND state = ? "
            "AND attempts > 0 AND next_attempt_at > ?",
            (now, target_id, PENDING, now),
        )
        return DELIVERED
    if isinstance(attempt, GiveUp):
        _set(connection, seq, GIVEN_UP, None, attempt.reason)
        return GIVEN_UP
    return _again(connection, seq, attempt, attempts, now, delays)


def _again(
    connection: sqlite3.Connection,
    seq: int,
    attempt: TryAgain,
    attempts: int,
    now: float,
    delays: Sequence[float],
) -> str:
    later = next_attempt_at(now, attempts, delays, attempt.after)
    if later is None:
        reason = f"gave up after {attempts} tries: {attempt.reason}"
        _set(connection, seq, GIVEN_UP, None, reason)
        return GIVEN_UP
    _set(connection, seq, PENDING, later, attempt.reason)
    return PENDING


def _set(
    connection: sqlite3.Connection,
    seq: int,
    state: str,
    next_at: float | None,
    error: str | None,
    delivered_at: float | None = None,
) -> None:
    connection.execute(
        "UPDATE announcements SET state = ?, next_attempt_at = ?, last_error = ?, "
        "delivered_at = ? WHERE seq = ?",
        (state, next_at, error, delivered_at, seq),
    )
