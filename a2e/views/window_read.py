"""Reading a window (the last 24 h, 7 d or 30 d) of an account's task lists, within caps.

Each kind's list is read newest first until the window is covered: a page whose creation times
fall and reach past the window's start ends a kind. The reading is capped (``OVERVIEW_CAPS``:
2,000 tasks and 40 list calls, shared by the kinds) and goes breadth first, so the cap is shared
fairly: the first page of every kind (``MAX_LISTS_AT_ONCE`` at a time; as many kinds as the cap
allows), then the further pages of the kinds that need them, in order, with what is left. It
says which kinds it covered (``WindowRead.kinds``), which held no task at all (``empty``: a
caller may skip them next time), and what cut it short: a cap, a failed page, or a kind that
could not be listed (named among the cuts). Only when every kind failed does it raise
``LookupFailed``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from a2e.api.client import A2EClient
from a2e.api.errors import LookupFailed
from a2e.api.lists import TaskPage, newest_first
from a2e.api.meter import Meter
from a2e.cache.fetch import TaskCache
from a2e.core.kinds import get_kind
from a2e.core.model import Task, utc_now
from a2e.views.listing import MAX_LISTS_AT_ONCE, list_page
from a2e.views.paging import MAX_CALLS, MAX_TASKS, Caps, read_pages

OVERVIEW_CAPS = Caps(max_calls=MAX_CALLS, max_tasks=MAX_TASKS, page_size=50, concurrency=4)

WindowProgress = Callable[[int, int], None]


@dataclass(frozen=True)
class WindowRead:
    """The tasks created within a window (newest first), the calls it took, and any cut."""

    tasks: tuple[Task, ...]
    start: datetime
    now: datetime
    calls: int
    cut_short: tuple[str, ...] = ()
    skipped: int = 0
    kinds: tuple[str, ...] = ()
    empty: tuple[str, ...] = ()
    duplicates: int = 0


def read_window(
    cache: TaskCache,
    client: A2EClient,
    token: str,
    kinds: Sequence[str],
    window: timedelta,
    *,
    now: datetime | None = None,
    caps: Caps = OVERVIEW_CAPS,
    on_progress: WindowProgress | None = None,
    meter: Meter | None = None,
) -> WindowRead:
    """Every task of ``kinds`` created in the last ``window``, within ``caps`` for all kinds;
    every list call sent is charged to ``meter``."""
    moment = now or utc_now()
    reading = _WindowReading(moment - window, caps, on_progress, meter)
    asked = list(kinds)[: max(0, caps.max_calls)]
    firsts = reading.first_pages(cache, client, token, asked)
    for kind, first in zip(asked, firsts, strict=True):
        reading.read_rest(cache, client, token, kind, first)
    unread = kinds[len(asked) :]
    reading.cuts += [f"{_label(kind)}: not read (the caps were reached)" for kind in unread]
    if reading.errors and len(reading.errors) == len(kinds):
        raise reading.errors[0]
    reading.report(done=True)
    return WindowRead(
        tuple(newest_first(reading.found)),
        reading.start,
        moment,
        reading.calls,
        tuple(reading.cuts),
        reading.skipped,
        tuple(reading.covered),
        tuple(reading.empty),
        reading.duplicates,
    )


@dataclass
class _WindowReading:
    start: datetime
    caps: Caps
    on_progress: WindowProgress | None
    meter: Meter | None = None
    found: list[Task] = field(default_factory=list)
    calls: int = 0
    expected: int = 0
    skipped: int = 0
    duplicates: int = 0
    cuts: list[str] = field(default_factory=list)
    errors: list[LookupFailed] = field(default_factory=list)
    covered: list[str] = field(default_factory=list)
    empty: list[str] = field(default_factory=list)

    def first_pages(
        self, cache: TaskCache, client: A2EClient, token: str, kinds: list[str]
    ) -> list[TaskPage | LookupFailed]:
        """Page 1 of each kind, several at once (each counts as one call); progress is reported
        from the caller's thread (a page's progress bar lives there)."""
        self.expected = len(kinds)

        def ask(kind: str) -> TaskPage | LookupFailed:
            try:
                return list_page(cache, client, token, kind, 1, self.caps.page_size, self.meter)
            except LookupFailed as exc:
                return exc

        if not kinds:
            return []
        pages: list[TaskPage | LookupFailed] = []
        with ThreadPoolExecutor(min(MAX_LISTS_AT_ONCE, len(kinds)), "a2e-window") as pool:
            for answer in pool.map(ask, kinds):
                pages.append(answer)
                self.calls += 1
                self.report()
        return pages

    def read_rest(
        self,
        cache: TaskCache,
        client: A2EClient,
        token: str,
        kind: str,
        first: TaskPage | LookupFailed,
    ) -> None:
        """Read one kind's further pages with what is left of the caps."""
        if isinstance(first, LookupFailed):
            self.errors.append(first)
            self.cuts.append(f"{_label(kind)}: {first.message}")
            return
        self.covered.append(kind)
        if not first.tasks and first.is_last:
            self.empty.append(kind)
        left = replace(
            self.caps,
            max_calls=self.caps.max_calls - self.calls + 1,  # page 1 is read: it counts again
            max_tasks=max(1, self.caps.max_tasks - len(self.found)),
        )
        covered, progress = _covers(self.start), self._progress()
        read = read_pages(
            cache, client, token, kind, covered, left, progress, self.meter, first_page=first
        )
        self.found += [t for t in read.tasks if t.created_at and t.created_at >= self.start]
        self.calls, self.skipped = self.calls + read.calls - 1, self.skipped + read.skipped
        self.duplicates += read.duplicates
        if read.cut_short:
            cut = read.cut_short
            if left.max_calls <= read.calls and "list calls" in cut:
                cut = f"stopped at the cap of {self.caps.max_calls} list calls"
            self.cuts.append(f"{_label(kind)}: {cut}")

    def _progress(self) -> Callable[[int, int], None]:
        before = self.calls - 1

        def progress(done: int, expected: int) -> None:
            self.expected = max(self.expected, before + expected)
            self.report(before + done)

        return progress

    def report(self, calls: int | None = None, *, done: bool = False) -> None:
        """Tell the caller how many calls are done of how many expected."""
        if self.on_progress is None:
            return
        made = self.calls if calls is None else calls
        self.on_progress(made, made if done else max(made, self.expected))


def _covers(start: datetime) -> Callable[[TaskPage, list[Task]], bool]:
    """True once a newest-first page reaches back past ``start``: later pages are older."""

    def covered(page: TaskPage, _tasks: list[Task]) -> bool:
        reached = any(task.created_at and task.created_at < start for task in page.tasks)
        return page.is_newest_first and reached

    return covered


def _label(kind: str) -> str:
    return get_kind(kind).label
