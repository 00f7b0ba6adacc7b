"""A batch's circuit breaker: once a whole wave of lookups met a failing server, the rest of
the batch is answered at once instead of each waiting out its timeouts and retries.

A lookup *met a failing server* when it could not reach it, timed out, or got an error
status (5xx, 429, anything unexpected) or was skipped for one (``is_server_failure``); a
rejected token, an unknown id or an A2E error code in a 200 answer is an answer, and resets
the count.
"""

from __future__ import annotations

import threading

from a2e.core.model import LookupCause, Task, lookup_error


def is_server_failure(task: Task) -> bool:
    """True when a lookup failed because the server could not be reached or is failing."""
    if task.error_cause is LookupCause.NETWORK:
        return True
    # A2E's own error codes come in 200 answers: the server is working, the task is not.
    return task.error_cause is LookupCause.SERVER and task.http_status != 200


class UnreachableServerBreaker:
    """Counts consecutive lookups that met a failing server; opens after ``threshold``."""

    def __init__(self, threshold: int) -> None:
        self._threshold = max(1, threshold)
        self._consecutive = 0
        self._last_cause = LookupCause.NETWORK
        self._lock = threading.Lock()

    @property
    def is_open(self) -> bool:
        """True once ``threshold`` lookups in a row met a failing server."""
        with self._lock:
            return self._consecutive >= self._threshold

    def record(self, task: Task) -> Task:
        """Note one lookup's result (and hand it back)."""
        with self._lock:
            failing = is_server_failure(task)
            self._consecutive = self._consecutive + 1 if failing else 0
            if failing and task.error_cause is not None:
                self._last_cause = task.error_cause
        return task

    def skipped(self, task_id: str, kind: str) -> Task:
        """The row for a lookup not attempted because the server stopped answering."""
        with self._lock:
            cause = self._last_cause
        did = "did not answer" if cause is LookupCause.NETWORK else "failed"
        message = f"not asked: the server {did} the {self._threshold} lookups before it"
        return lookup_error(task_id, kind, message, cause)
