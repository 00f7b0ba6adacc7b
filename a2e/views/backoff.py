"""Backing a board off while its server is failing: fewer asks, longer intervals, said plainly.

A refresh *failed* when every lookup it made met a failing server (unreachable, timed out,
5xx, 429: ``a2e.api.breaker.is_server_failure``). After ``n`` failed refreshes in a row the
board waits ``base × 2ⁿ`` seconds (at most ``MAX_INTERVAL_SECONDS``, never less than the
base) and asks only ``SAMPLE_SIZE`` of its unfinished tasks, a different few each time. The
first refresh with any usable answer (even a rejected token or an unknown id) resets it.
Plain Python, no clock: the caller decides when a refresh is due.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from a2e.api.breaker import is_server_failure
from a2e.core.model import Task

SAMPLE_SIZE = 10
MAX_INTERVAL_SECONDS = 300.0


@dataclass
class Backoff:
    """How far one board has backed off (``failures``: failed refreshes in a row)."""

    failures: int = 0
    _next_sample: int = 0

    @property
    def active(self) -> bool:
        """True while the server is failing (the last refresh failed)."""
        return self.failures > 0

    def interval(self, base: float) -> float:
        """Seconds to wait before the next refresh, given the viewer's chosen interval."""
        if not self.active:
            return base
        return min(base * 2.0 ** min(self.failures, 32), max(base, MAX_INTERVAL_SECONDS))

    def sample(self, ids: Sequence[str]) -> list[str]:
        """The ids to ask this time: all of them, or a rotating few while the server fails."""
        if not self.active or len(ids) <= SAMPLE_SIZE:
            return list(ids)
        start = self._next_sample % len(ids)
        self._next_sample = start + SAMPLE_SIZE
        return [*ids[start:], *ids[:start]][:SAMPLE_SIZE]

    def record(self, answers: Iterable[Task]) -> None:
        """Learn from one refresh's answers (no answers: nothing learnt)."""
        asked = list(answers)
        if not asked:
            return
        if all(is_server_failure(task) for task in asked):
            self.failures += 1
        else:
            self.reset()

    def reset(self) -> None:
        """Back to normal: every unfinished task, at the chosen interval."""
        self.failures, self._next_sample = 0, 0

    def note(self, base: float) -> str:
        """What to tell the viewer (empty while the server is fine)."""
        if not self.active:
            return ""
        return (
            f"the server is failing; asking every {self.interval(base):g} s, "
            f"about {SAMPLE_SIZE} unfinished tasks at a time"
        )
