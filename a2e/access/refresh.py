"""One viewer's rate of *Refresh now*: at most one refresh per ``REFRESH_GAP_SECONDS``.

The UI keeps one ``RefreshLimiter`` per session; a refused click gets a ``Verdict`` whose
reason says how long to wait. (The shared cache's floor, ``a2e.views.polling``, already makes
clicks within a few seconds free for the server; this keeps one viewer from hammering even a
failing or large board.) Plain Python; the clock is injectable for tests.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from a2e.access.policy import Verdict

REFRESH_GAP_SECONDS = 5.0


class RefreshLimiter:
    """Allows one refresh per ``gap`` seconds."""

    def __init__(
        self, gap: float = REFRESH_GAP_SECONDS, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._gap, self._clock = gap, clock
        self._last: float | None = None

    def request(self) -> Verdict:
        """May a refresh run now? Counts it when it may."""
        now = self._clock()
        if self._last is not None and now - self._last < self._gap:
            wait = math.ceil(self._gap - (now - self._last))
            return Verdict(False, f"Refreshed a moment ago: try again in {wait} s.")
        self._last = now
        return Verdict(True)
