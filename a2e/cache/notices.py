"""Push notices: which cached answers were just confirmed, for viewers to take in cheaply.

A webhook's confirmation stores the new answer in the task cache, then ``announce``s its
cache key here. Each viewer whose page may change checks ``since(cursor)`` about once a
second: a lock and a slice of a list, no I/O and no upstream call. A viewer whose board shows
one of the named keys reads that answer from the cache.

- Notices are a numbered log, per process, of the last ``KEEP`` names announced. ``since``
  answers the cursor to keep and the names announced after the given cursor, or ``None`` for
  the names when the cursor is older than the log (anything may have changed: re-read every
  task shown from the cache).
- A name (``notice_name``) is the key as Redis spells it: the server hashed, the keyed token
  hash, the kind and the id; it reveals no token and no server URL.
- With replicas a ``Relay`` (``a2e.cache.redis_notices``: Redis pub/sub) carries each
  announcement to the other processes, which add it to their own log. Delivery is best effort:
  a notice lost while Redis is down only means a viewer waits for its next refresh.
"""

from __future__ import annotations

import hashlib
import threading
from collections import deque
from collections.abc import Iterable, Sequence
from typing import Protocol

from a2e.cache.store import CacheKey

KEEP = 4096


class Relay(Protocol):
    """Carries announced names to the other processes (each adds them to its own log)."""

    def publish(self, names: Sequence[str]) -> None:
        """Send the names; never raises for an unreachable backend."""
        ...


def notice_name(key: CacheKey) -> str:
    """The name a notice gives a cache key (nothing in it reveals a token or a server URL)."""
    server, token_hash, kind, task_id = key
    server_hash = hashlib.sha256(server.encode()).hexdigest()[:16]
    return f"{server_hash}:{token_hash}:{kind}:{task_id}"


class Notices:
    """The numbered log of cache keys whose answers a webhook just confirmed (thread-safe)."""

    def __init__(self, keep: int = KEEP) -> None:
        self._log: deque[str] = deque(maxlen=keep)
        self._count = 0
        self._lock = threading.Lock()
        self._relay: Relay | None = None

    def attach(self, relay: Relay) -> None:
        """Send every later announcement to the other processes through ``relay`` too."""
        self._relay = relay

    def cursor(self) -> int:
        """The cursor of the newest notice (``since`` of it answers nothing new)."""
        with self._lock:
            return self._count

    def announce(self, keys: Iterable[CacheKey]) -> None:
        """Tell this process's viewers, and the other processes', that these keys changed."""
        names = [notice_name(key) for key in keys]
        if not names:
            return
        self.receive(names)
        if self._relay is not None:
            self._relay.publish(names)

    def receive(self, names: Iterable[str]) -> None:
        """Add names announced here or by another process to this process's log."""
        with self._lock:
            for name in names:
                self._log.append(name)
                self._count += 1

    def since(self, cursor: int) -> tuple[int, frozenset[str] | None]:
        """(the cursor to keep, the names announced after ``cursor``, or None: too old)."""
        with self._lock:
            new = self._count - cursor
            if new <= 0:
                return self._count, frozenset()
            if new > len(self._log):
                return self._count, None
            return self._count, frozenset(list(self._log)[-new:])
