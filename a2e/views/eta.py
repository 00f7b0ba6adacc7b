"""When a running task should be done, and which running tasks look stuck. No I/O but the cache's.

The typical run time is A2E's ``avgProcessingTime`` when the server gives one (seconds, as
``a2e.api.lists`` reads it), else the median run time (creation to finish) of the completed
tasks at hand when at least ``MIN_SAMPLE`` have both times. Either one beyond
``MAX_TYPICAL_SECONDS`` (30 days) is no typical run at all: no task kind takes that long, and
dates moved that far can leave the calendar. A running task is expected by its creation time
plus that typical time, **late** as soon as that time has passed, and flagged "stuck?" once
it has run longer than ``STUCK_FACTOR`` times it; a task created in the future (as the server
gives it, beyond ``CLOCK_SKEW`` of our clock: ``created_in_future``) has no ETA.
``AvgTimeCache`` keeps the server's answer ~10 minutes per (server, token, kind); a failed call
is not kept, so the next view asks again.
"""

from __future__ import annotations

import statistics
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Literal, cast

from cachetools import TTLCache

from a2e.api.client import A2EClient
from a2e.api.errors import LookupFailed, OverBudget
from a2e.api.meter import Meter
from a2e.core.model import Task, TaskOutcome
from a2e.views.times import in_zone

STUCK_FACTOR = 3.0
MIN_SAMPLE = 3
MAX_TYPICAL_SECONDS = 30 * 86_400.0
# The server's clock may run a little ahead of ours: a task created this much "later" is new.
CLOCK_SKEW = timedelta(minutes=5)
AVG_TIME_TTL_SECONDS = 600.0
# A failed call is not asked again for this long: a failing server is not asked every rerun.
AVG_TIME_FAILURE_TTL_SECONDS = 60.0

Source = Literal["api", "observed"]
_NOT_CACHED = object()


@dataclass(frozen=True)
class TypicalRun:
    """How long a task of one kind usually runs, and where that figure comes from."""

    seconds: float
    source: Source
    sample: int = 0

    @property
    def label(self) -> str:
        """The figure and its source, for people."""
        minutes = f"about {duration_label(self.seconds)}"
        if self.source == "api":
            return f"{minutes} (A2E's average processing time)"
        return f"{minutes} (median of {self.sample} finished tasks)"


@dataclass(frozen=True)
class Eta:
    """When a running task should be done, how long it has run, and whether it is late or
    looks stuck."""

    expected_by: datetime
    running_for: float
    stuck: bool
    late: bool = False

    def label(self, tz: tzinfo) -> str:
        """``expected by 14:05`` in ``tz``; once that has passed, ``late (expected by 14:05)``;
        past three times the typical run, ``stuck? (running 1 h 5 min)``."""
        if self.stuck:
            return f"stuck? (running {duration_label(self.running_for)})"
        expected = f"expected by {in_zone(self.expected_by, tz):%H:%M}"
        return f"late ({expected})" if self.late else expected


def observed_run_seconds(tasks: Iterable[Task]) -> list[float]:
    """Run times (creation to finish) of the completed tasks whose times are known."""
    return [
        seconds
        for task in tasks
        if task.outcome is TaskOutcome.COMPLETED and (seconds := task.run_seconds) is not None
    ]


def typical_run(api_seconds: float | None, tasks: Iterable[Task]) -> TypicalRun | None:
    """A2E's average when given, else the median observed run time, else ``None`` (also for
    an average or a median beyond ``MAX_TYPICAL_SECONDS``)."""
    if api_seconds is not None and 0 < api_seconds <= MAX_TYPICAL_SECONDS:
        return TypicalRun(api_seconds, "api")
    observed = observed_run_seconds(tasks)
    if len(observed) < MIN_SAMPLE:
        return None
    median = statistics.median(observed)
    return TypicalRun(median, "observed", len(observed)) if median <= MAX_TYPICAL_SECONDS else None


def eta_of(task: Task, typical: TypicalRun | None, now: datetime) -> Eta | None:
    """The running task's ETA; ``None`` for other tasks, when a time is unknown, or when the
    task was created in the future (by the server's clock)."""
    if task.outcome is not TaskOutcome.IN_PROGRESS or task.created_at is None or not typical:
        return None
    if created_in_future(task.created_at, now) or typical.seconds > MAX_TYPICAL_SECONDS:
        return None
    running_for = max(0.0, (now - task.created_at).total_seconds())
    expected_by = task.created_at + timedelta(seconds=typical.seconds)
    stuck = running_for > STUCK_FACTOR * typical.seconds
    return Eta(expected_by, running_for, stuck, late=now > expected_by)


def created_in_future(created_at: datetime, now: datetime) -> bool:
    """True for a creation time later than ``now`` by more than the clocks may differ."""
    return created_at - now > CLOCK_SKEW


def duration_label(seconds: float) -> str:
    """``45 s``, ``12 min``, ``1 h 5 min``, ``2 d 4 h``."""
    whole = max(0, round(seconds))
    days, rest = divmod(whole, 86_400)
    hours, rest = divmod(rest, 3_600)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {rest // 60} min"
    return f"{rest // 60} min" if rest >= 60 else f"{rest} s"


class AvgTimeCache:
    """A2E's average processing time per (server, token, kind), kept ``ttl`` seconds."""

    def __init__(
        self, ttl: float = AVG_TIME_TTL_SECONDS, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._answers: TTLCache[tuple[str, str, str], float | None] = TTLCache(
            maxsize=1024, ttl=ttl, timer=clock
        )
        self._failures: TTLCache[tuple[str, str, str], bool] = TTLCache(
            maxsize=1024, ttl=min(ttl, AVG_TIME_FAILURE_TTL_SECONDS), timer=clock
        )
        self._lock = threading.Lock()

    def get(
        self, client: A2EClient, token: str, kind: str, meter: Meter | None = None
    ) -> float | None:
        """The cached answer, else one call (charged to ``meter``); ``None`` when unknown or
        the call failed lately."""
        from a2e.cache.fetch import token_fingerprint  # (the CLI's table needs no cache)

        key = (client.origin, token_fingerprint(token), kind)
        with self._lock:
            cached = self._answers.get(key, _NOT_CACHED)
            failed_lately = key in self._failures
        if cached is not _NOT_CACHED:
            return cast(float | None, cached)
        if failed_lately:
            return None
        try:
            seconds = client.avg_processing_time(token, kind, meter=meter)
        except OverBudget:  # this viewer's budget, not the server's failure: not kept
            return None
        except LookupFailed:
            with self._lock:
                self._failures[key] = True
            return None
        with self._lock:
            self._answers[key] = seconds
        return seconds
