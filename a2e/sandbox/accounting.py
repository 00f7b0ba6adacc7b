"""The log of API calls the emulator received, so tests can count what a client sent.

Only the method, the path and the task id are kept (and, for ``batchDetail`` calls, the ids
asked): never headers, so never a token.
"""

from __future__ import annotations

import threading
from typing import NamedTuple


class ReceivedRequest(NamedTuple):
    """One API call: its method, its path, and the task id it asked about (if one)."""

    method: str
    path: str
    task_id: str | None


class RequestLog:
    """Thread-safe list of the API calls received, oldest first."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._received: list[ReceivedRequest] = []

    def record(self, method: str, path: str, task_id: str | None) -> None:
        """Note one API call."""
        with self._lock:
            self._received.append(ReceivedRequest(method, path, task_id))

    def entries(self) -> list[ReceivedRequest]:
        """A copy of the calls received so far."""
        with self._lock:
            return list(self._received)

    def count(self, task_id: str | None = None, path: str | None = None) -> int:
        """How many calls matched ``task_id`` and ``path`` (``None`` matches anything)."""
        return sum(
            1
            for entry in self.entries()
            if (task_id is None or entry.task_id == task_id)
            and (path is None or entry.path == path)
        )

    def clear(self) -> None:
        """Forget every call received so far."""
        with self._lock:
            self._received.clear()


class BatchLog:
    """Thread-safe list of the ``batchDetail`` calls received: (kind, ids asked), oldest first."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._calls: list[tuple[str, list[str]]] = []

    def record(self, kind_key: str, task_ids: list[str]) -> None:
        """Note one batch call."""
        with self._lock:
            self._calls.append((kind_key, list(task_ids)))

    def calls(self, kind_key: str | None = None) -> list[list[str]]:
        """The ids each batch call asked (of ``kind_key``, or of every kind), oldest first."""
        with self._lock:
            return [list(ids) for kind, ids in self._calls if kind_key in (None, kind)]

    def clear(self) -> None:
        """Forget every batch call received so far."""
        with self._lock:
            self._calls.clear()
