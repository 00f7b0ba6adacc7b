"""When a kind's ids go in ``batchDetail`` calls, how many in one, and which kinds' calls work.

- **Size.** ``A2E_BATCH_SIZE`` ids in one call (default 100, at most 200), never more than the
  kind's own maximum (``TaskKind.batch_max``: 200 where documented, else 100); ``1`` turns
  batches off (every id asked alone). ``parse_batch_size`` reads the setting.
- **Which kinds.** A kind's batch call is *unknown* until its first call of this process
  answers: one that answers in a shape we read makes it *working*; one refused or unreadable
  (404, 405, an HTML page, a shape nobody reads: ``refused``) makes it *refused* for
  ``RETRY_REFUSED_SECONDS`` (10 minutes), when one call tries it again. While a kind is unknown,
  its first batch is sent alone, a *probe*, and every other batch of that kind (this caller's or
  another thread's) waits for its outcome, so a server without batchDetail costs one extra
  call per kind (per 10 minutes), never one per batch. A failing server (unreachable, 5xx)
  teaches nothing: the kind stays unknown.

One ``BatchSupport`` per client: its knowledge is about that client's server.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum

from a2e.core.kinds import TaskKind

BATCH_SIZE_SETTING = "A2E_BATCH_SIZE"
DEFAULT_BATCH_SIZE = 100
MAX_BATCH_SIZE = 200
RETRY_REFUSED_SECONDS = 600.0
# How long a batch waits for another thread's probe of the same kind before probing itself.
PROBE_WAIT_SECONDS = 30.0


class BatchMode(StrEnum):
    """How a kind's ids are asked now."""

    BATCH = "batch"  # its batch call works: batches, several at once
    PROBE = "probe"  # not known yet (or retried): one batch first, the rest after its outcome
    SINGLE = "single"  # refused lately, or the kind has none: one id at a time


def parse_batch_size(value: str | None) -> int:
    """``A2E_BATCH_SIZE`` as a number of ids (unset: 100); raises ``ValueError`` saying why."""
    text = (value or "").strip().replace("_", "")
    if not text:
        return DEFAULT_BATCH_SIZE
    if not text.isdigit() or not 1 <= int(text) <= MAX_BATCH_SIZE:
        raise ValueError(
            f"{BATCH_SIZE_SETTING} must be a whole number from 1 (batches off) to {MAX_BATCH_SIZE}"
        )
    return int(text)


def batch_size(kind: TaskKind, setting: int) -> int:
    """How many ids one batch call of ``kind`` carries (0: the kind has no batch call)."""
    if kind.batch_path is None:
        return 0
    return max(1, min(setting, kind.batch_max or setting, MAX_BATCH_SIZE))


def chunked(ids: Sequence[str], size: int) -> list[list[str]]:
    """``ids`` in consecutive pieces of at most ``size``."""
    step = max(1, size)
    return [list(ids[start : start + step]) for start in range(0, len(ids), step)]


class BatchSupport:
    """Which kinds' batch calls work on one server (see the module docstring); thread-safe."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._working: set[str] = set()
        self._refused_at: dict[str, float] = {}
        self._probes: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    def mode(self, kind: str) -> BatchMode:
        """How ``kind``'s ids are to be asked now."""
        with self._lock:
            refused_at = self._refused_at.get(kind)
            if refused_at is not None:
                retry = self._clock() - refused_at >= RETRY_REFUSED_SECONDS
                return BatchMode.PROBE if retry else BatchMode.SINGLE
            return BatchMode.BATCH if kind in self._working else BatchMode.PROBE

    def worked(self, kind: str) -> None:
        """A batch call of ``kind`` answered in a shape we read."""
        with self._lock:
            self._working.add(kind)
            self._refused_at.pop(kind, None)

    def refused(self, kind: str) -> None:
        """A batch call of ``kind`` was refused or unreadable: one id at a time for a while."""
        with self._lock:
            self._working.discard(kind)
            self._refused_at[kind] = self._clock()

    @contextmanager
    def probing(self, kind: str) -> Iterator[BatchMode]:
        """Hold ``kind``'s probe: the mode once any other thread's probe has ended."""
        with self._lock:
            probe = self._probes.setdefault(kind, threading.Lock())
        acquired = probe.acquire(timeout=PROBE_WAIT_SECONDS)
        try:
            yield self.mode(kind)
        finally:
            if acquired:
                probe.release()
