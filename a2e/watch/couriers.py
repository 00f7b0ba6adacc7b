"""Couriers: one thread per target delivering its due announcements, oldest first.

A courier has its own SQLite connection. For each due announcement it counts the attempt
(``ledger.start_attempt``, which already schedules the next one), sends outside any
transaction, and records what the attempt taught (``ledger.finish_attempt``). A slow or dead
target holds up only its own courier, and an unexpected error ends no courier. Outcomes are
logged by the target's label, never its URL.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from standardwebhooks.webhooks import Webhook

from a2e.notify.message import Attempt, GiveUp, Message, Sent
from a2e.notify.send import send
from a2e.notify.targets import Target
from a2e.watch import ledger
from a2e.watch.db import open_state, transaction

LOG = logging.getLogger("a2e.watch")
IDLE_WAIT_SECONDS = 0.5

Sender = Callable[[Target, Message, Webhook | None], Attempt]


class Courier(threading.Thread):
    """Delivers one target's announcements until stopped."""

    def __init__(
        self,
        state_path: str | Path,
        target: Target,
        target_id: str,
        *,
        signer: Webhook | None,
        delays: Sequence[float],
        clock: Callable[[], float],
        sender: Sender = send,
    ) -> None:
        super().__init__(name=f"a2e-courier-{target_id[:6]}", daemon=True)
        self._path, self._target, self._target_id = state_path, target, target_id
        self._signer, self._delays, self._clock, self._send = signer, delays, clock, sender
        self.wake = threading.Event()
        self.stopping = threading.Event()

    def run(self) -> None:
        connection = open_state(self._path)
        try:
            while not self.stopping.is_set():
                if not self._deliver_safely(connection):
                    self.wake.wait(IDLE_WAIT_SECONDS)
                    self.wake.clear()
        finally:
            connection.close()

    def _deliver_safely(self, connection: sqlite3.Connection) -> int:
        """``deliver_due``; an unexpected error is logged by its type (its text may hold the
        URL) and the courier carries on: the attempt it cut short is due again on schedule."""
        try:
            return self.deliver_due(connection)
        except Exception as exc:
            LOG.error(
                "delivery to %s failed unexpectedly (%s)", self._target.label, type(exc).__name__
            )
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            return 0

    def deliver_due(self, connection: sqlite3.Connection) -> int:
        """Try each due announcement once; how many were tried."""
        tried = 0
        for seq in ledger.due(connection, self._target_id, self._clock()):
            if self.stopping.is_set():
                break
            self._deliver(connection, seq)
            tried += 1
        return tried

    def _deliver(self, connection: sqlite3.Connection, seq: int) -> None:
        with transaction(connection):
            message = ledger.start_attempt(connection, seq, self._clock(), self._delays)
        attempt = self._send(self._target, message, self._signer)
        with transaction(connection):
            state = ledger.finish_attempt(connection, seq, attempt, self._clock(), self._delays)
        self._log(message, attempt, state)

    def _log(self, message: Message, attempt: Attempt, state: str) -> None:
        label = self._target.label
        if isinstance(attempt, Sent):
            LOG.info("delivered %s to %s", message.message_id, label)
        elif isinstance(attempt, GiveUp) or state == ledger.GIVEN_UP:
            LOG.warning("gave up %s to %s: %s", message.message_id, label, _reason(attempt))
        else:
            LOG.info("will retry %s to %s: %s", message.message_id, label, _reason(attempt))


def _reason(attempt: Attempt) -> str:
    return getattr(attempt, "reason", "")
