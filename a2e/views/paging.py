"""Reading page after page of one kind's task list until the caller has enough, within caps.

Pages are asked in waves of ``concurrency`` (1: one after another) and read in page order;
reading stops at the last page (by the answer's total, else a short or empty page), when the
caller's ``enough`` says so, at a cap (calls or tasks), or at a page with more rows than asked
(the server ignores the page size, so later page numbers can't be trusted), and the result
says which. Rows a page repeated (``duplicates``) and rows without a valid id are counted. A task
seen twice (the list shifted while we read) is kept once. Every page warms the fetch cache
(``list_page``). A failure on the first page raises ``LookupFailed``; a later one ends the
reading and is reported, keeping what was read.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from a2e.api.client import A2EClient
from a2e.api.errors import LookupFailed
from a2e.api.lists import DEFAULT_PAGE_SIZE, TaskPage
from a2e.api.meter import Meter
from a2e.cache.fetch import TaskCache
from a2e.core.model import Task
from a2e.views.listing import list_page, more_rows_than_asked

MAX_CALLS = 40
MAX_TASKS = 2000

Enough = Callable[[TaskPage, list[Task]], bool]
PageProgress = Callable[[int, int], None]


@dataclass(frozen=True)
class Caps:
    """How far one reading may go, and how many list calls it may have in flight."""

    max_calls: int = MAX_CALLS
    max_tasks: int = MAX_TASKS
    page_size: int = DEFAULT_PAGE_SIZE
    concurrency: int = 1


@dataclass(frozen=True)
class PagesRead:
    """What a reading found: tasks in list order, calls made, why it stopped early (if so)."""

    tasks: tuple[Task, ...]
    calls: int
    total: int | None = None
    skipped: int = 0
    cut_short: str | None = None
    failed: bool = False
    duplicates: int = 0


@dataclass
class _Reading:
    kind: str
    caps: Caps
    enough: Enough
    tasks: dict[str, Task] = field(default_factory=dict)
    calls: int = 0
    total: int | None = None
    skipped: int = 0
    duplicates: int = 0
    done: bool = False
    cut_short: str | None = None
    failed: bool = False

    def take(self, page: TaskPage) -> None:
        """Add one page (pages arrive in order) and decide whether reading is over."""
        self.total = page.total if page.total is not None else self.total
        self.skipped += page.skipped
        self.duplicates += page.duplicates
        for task in page.tasks:
            self.tasks.setdefault(task.id, task)
        if page.is_last or not page.tasks or self.enough(page, list(self.tasks.values())):
            self.done = True
        elif (too_many := more_rows_than_asked(page)) is not None:
            self._cut(too_many)
        elif page.looks_capped:  # later page numbers would skip tasks
            sent, asked = page.rows, page.size
            self._cut(f"the server sent {sent} tasks for a page of {asked}: use pages of {sent}")
        elif len(self.tasks) >= self.caps.max_tasks:
            self._cut(f"stopped at the cap of {self.caps.max_tasks:,} tasks")

    def check_calls(self) -> None:
        """End the reading once it has made as many calls as it may."""
        if not self.done and self.calls >= self.caps.max_calls:
            self._cut(f"stopped at the cap of {self.caps.max_calls} list calls")

    def fail(self, page_number: int, error: LookupFailed) -> None:
        """End the reading at a page that could not be read."""
        self._cut(f"page {page_number} could not be read: {error.message}")
        self.failed = True

    def _cut(self, reason: str) -> None:
        self.done, self.cut_short = True, reason

    def next_wave(self) -> range:
        """The page numbers to ask next: as many at once as allowed and worth asking."""
        start = self.calls + 1
        worth = self.expected_calls() - self.calls  # within the cap and the known total
        return range(start, start + max(0, min(max(1, self.caps.concurrency), worth)))

    def expected_calls(self) -> int:
        """Calls the reading will make at most, as far as we know now."""
        if self.total is None:
            return self.caps.max_calls
        return max(1, min(self.caps.max_calls, math.ceil(self.total / self.caps.page_size)))

    def result(self) -> PagesRead:
        """The reading as a ``PagesRead``."""
        tasks = tuple(self.tasks.values())[: self.caps.max_tasks]
        return PagesRead(
            tasks,
            self.calls,
            self.total,
            self.skipped,
            self.cut_short,
            failed=self.failed,
            duplicates=self.duplicates,
        )


def read_pages(
    cache: TaskCache,
    client: A2EClient,
    token: str,
    kind: str,
    enough: Enough,
    caps: Caps | None = None,
    on_progress: PageProgress | None = None,
    meter: Meter | None = None,
    *,
    first_page: TaskPage | None = None,
) -> PagesRead:
    """Pages 1, 2, … of ``kind`` until ``enough(page, tasks so far)``, the end, or a cap.

    Every list call sent (retries included) is charged to ``meter``. ``first_page``: page 1,
    already read (it counts as one of the calls, but is not asked again).
    """
    reading = _Reading(kind, caps or Caps(), enough)
    ask = _asker(cache, client, token, kind, reading.caps.page_size, meter)
    first = first_page if first_page is not None else ask(1)
    if isinstance(first, LookupFailed):
        raise first
    _take_wave(reading, range(1, 2), [first], on_progress)
    workers = max(1, reading.caps.concurrency)
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="a2e-pages") as pool:
        while not reading.done and (wave := reading.next_wave()):
            _take_wave(reading, wave, list(pool.map(ask, wave)), on_progress)
    return reading.result()


def _asker(
    cache: TaskCache, client: A2EClient, token: str, kind: str, size: int, meter: Meter | None
) -> Callable[[int], TaskPage | LookupFailed]:
    def ask(number: int) -> TaskPage | LookupFailed:
        try:
            return list_page(cache, client, token, kind, number, size, meter)
        except LookupFailed as exc:
            return exc

    return ask


def _take_wave(
    reading: _Reading,
    wave: range,
    answers: list[TaskPage | LookupFailed],
    on_progress: PageProgress | None,
) -> None:
    reading.calls += len(wave)
    for number, answer in zip(wave, answers, strict=True):
        if not reading.done:
            _take(reading, number, answer)
    reading.check_calls()
    _report(on_progress, reading)


def _take(reading: _Reading, number: int, answer: TaskPage | LookupFailed) -> None:
    if isinstance(answer, LookupFailed):
        reading.fail(number, answer)
    else:
        reading.take(answer)


def _report(on_progress: PageProgress | None, reading: _Reading) -> None:
    if on_progress is not None:
        on_progress(reading.calls, max(reading.calls, reading.expected_calls()))
