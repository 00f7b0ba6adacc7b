"""When to confirm each webhook id: at most once per ``MIN_GAP_SECONDS``, no state missed.

- An id waits ``GATHER_SECONDS`` after it arrives, so the ids of a burst of webhooks are
  confirmed together (one call per kind once the fetch layer batches them).
- An id already waiting is not added twice, however many webhooks name it.
- An id that arrives within ``MIN_GAP_SECONDS`` of its last confirmation (or while one is
  under way) waits for the rest of the gap, then is confirmed again: a webhook that follows
  a confirmation may tell of a later state, and that state is never lost.
- At most ``MAX_WAITING`` ids wait; a webhook that would pass it is refused (``add`` answers
  None) and the dashboard's polling finds those tasks instead.

A ``Receipt`` follows one webhook to the end of the confirmations of all its ids, for the
metrics (its result, and the delay from receipt to confirmed state). Plain data, not
thread-safe: ``Confirmer`` holds the lock.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

MIN_GAP_SECONDS = 2.0
GATHER_SECONDS = 0.05
MAX_WAITING = 5000


@dataclass(eq=False)
class Receipt:
    """One webhook: when it came, the ids still to confirm, whether one was not found."""

    received_at: float
    waiting: set[str]
    unknown: bool = False

    @property
    def done(self) -> bool:
        """True once every id it named was confirmed."""
        return not self.waiting


@dataclass
class ConfirmSchedule:
    """Which ids to confirm when (see the module docstring)."""

    min_gap: float = MIN_GAP_SECONDS
    gather: float = GATHER_SECONDS
    max_waiting: int = MAX_WAITING
    _due: dict[str, float] = field(default_factory=dict)
    _last: dict[str, float] = field(default_factory=dict)
    _waiting: dict[str, list[Receipt]] = field(default_factory=dict)
    _asking: dict[str, list[Receipt]] = field(default_factory=dict)

    def add(self, ids: Iterable[str], now: float) -> Receipt | None:
        """Schedule a webhook's ids; its receipt, or None when too many ids already wait."""
        named = list(dict.fromkeys(ids))
        new = [task_id for task_id in named if task_id not in self._due]
        if len(self._due) + len(new) > self.max_waiting:
            return None
        receipt = Receipt(received_at=now, waiting=set(named))
        for task_id in named:
            self._waiting.setdefault(task_id, []).append(receipt)
        for task_id in new:
            last = self._last.get(task_id, -math.inf)
            self._due[task_id] = max(now + self.gather, last + self.min_gap)
        return receipt

    def next_due(self) -> float | None:
        """When the earliest waiting id may be confirmed; None when none waits."""
        return min(self._due.values(), default=None)

    def take_due(self, now: float, limit: int) -> list[str]:
        """The ids to confirm now (earliest first, at most ``limit``), marked as asked."""
        ready = sorted((due, task_id) for task_id, due in self._due.items() if due <= now)
        taken = [task_id for _, task_id in ready[:limit]]
        self._last = {i: t for i, t in self._last.items() if t + self.min_gap > now}
        for task_id in taken:
            del self._due[task_id]
            self._last[task_id] = now
            self._asking[task_id] = self._waiting.pop(task_id, [])
        return taken

    def settle(self, found: Mapping[str, bool]) -> list[Receipt]:
        """Record confirmations (id → whether it was found); the receipts now complete."""
        complete: list[Receipt] = []
        for task_id, was_found in found.items():
            for receipt in self._asking.pop(task_id, []):
                receipt.waiting.discard(task_id)
                receipt.unknown |= not was_found
                if receipt.done:
                    complete.append(receipt)
        return complete
