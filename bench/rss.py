"""Sampling a process's resident memory while something runs: its growth over a baseline."""

from __future__ import annotations

import os
import threading
import time
from types import TracebackType

MIB = 1024 * 1024


def resident_bytes(pid: int | str = "self") -> int:
    """The process's resident set size now (``/proc/<pid>/statm``)."""
    with open(f"/proc/{pid}/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


class PeakGrowth:
    """A context that samples a process's RSS every ``every`` seconds; ``growth`` is the peak
    minus the RSS when the context was entered."""

    def __init__(self, pid: int | str = "self", every: float = 0.01) -> None:
        self._pid, self._every = pid, every
        self._stop = threading.Event()
        self.baseline = self.peak = 0
        self._thread = threading.Thread(target=self._sample, daemon=True)

    @property
    def growth(self) -> int:
        """Bytes the peak rose above the baseline."""
        return max(0, self.peak - self.baseline)

    def __enter__(self) -> PeakGrowth:
        self.baseline = self.peak = resident_bytes(self._pid)
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, resident_bytes(self._pid))
            time.sleep(self._every)
