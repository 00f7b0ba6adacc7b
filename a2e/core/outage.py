"""Whether a shared service (Redis) is down, and when to try it again.

Used by the shared task cache and the shared budgets: while the service answers, every call
goes to it; after a failure, calls go elsewhere and one call every ``retry_seconds`` tries the
service again. ``failed`` and ``succeeded`` say when an outage starts and ends, so each is
logged once. Thread-safe.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

RETRY_SECONDS = 5.0


class Outage:
    """The up/down state of one shared service, with its retry schedule."""

    def __init__(
        self, retry_seconds: float = RETRY_SECONDS, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._retry_seconds, self._clock = retry_seconds, clock
        self._lock = threading.Lock()
        self._down = False
        self._next_try = 0.0

    @property
    def down(self) -> bool:
        """True from a failure until the next success."""
        with self._lock:
            return self._down

    def due(self) -> bool:
        """Whether to call the service now: while it is up, or (one caller) when a retry is due."""
        with self._lock:
            if not self._down:
                return True
            if self._clock() < self._next_try:
                return False
            self._next_try = self._clock() + self._retry_seconds
            return True

    def failed(self) -> bool:
        """Note a failure; True when it starts an outage."""
        with self._lock:
            first = not self._down
            self._down, self._next_try = True, self._clock() + self._retry_seconds
            return first

    def succeeded(self) -> bool:
        """Note a success; True when it ends an outage."""
        with self._lock:
            was_down, self._down = self._down, False
            return was_down
