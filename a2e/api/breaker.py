"""A batch's circuit breaker: once a whole wave of lookups could not reach the server, the
rest of the batch is answered at once instead of each waiting out its own timeout."""

from __future__ import annotations

import threading

from a2e.core.model import LookupCause, Task, lookup_error


class UnreachableServerBreaker:
    """Counts consecutive lookups that failed to reach the server; opens after ``threshold``."""

    def __init__(self, threshold: int) -> None:
        self._threshold = max(1, threshold)
        self._consecutive = 0
        self._lock = threading.Lock()

    @property
    def is_open(self) -> bool:
        """True once ``threshold`` lookups in a row could not reach the server."""
        with self._lock:
            return self._consecutive >= self._threshold

    def record(self, task: Task) -> Task:
        """Note one lookup's result (and hand it back)."""
        with self._lock:
            unreachable = task.error_cause is LookupCause.NETWORK
            self._consecutive = self._consecutive + 1 if unreachable else 0
        return task

    def skipped(self, task_id: str, kind: str) -> Task:
        """The row for a lookup not attempted because the server stopped answering."""
        message = f"not asked: the server did not answer the {self._threshold} lookups before it"
        return lookup_error(task_id, kind, message, LookupCause.NETWORK)
