"""Which tasks an archive run is about: ``--since``, ``--status``, and the account's lists.

Without ids, a run archives the account's tasks of the chosen kinds created since a moment
(``3d`` ago by default, or a date), read from each kind's list newest first until the list
passes that moment, ends, or reaches a cap (``LIST_CAPS``). A listed completed task whose row
has no result link is asked once by id (its record then has one, or says why not). Only final
tasks are archived: ``--status completed`` (the default), ``failed`` (their ``task.json``: the
reason is what matters) or ``all``. No I/O of its own beyond the client it is given.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from a2e.api.client import A2EClient
from a2e.api.errors import LookupFailed
from a2e.api.lists import TaskPage
from a2e.cache.fetch import TaskCache
from a2e.core.kinds import get_kind
from a2e.core.model import Task, TaskOutcome
from a2e.views.listing import needs_detail
from a2e.views.paging import Caps, read_pages

DEFAULT_SINCE = "3d"
STATUSES = {
    "completed": frozenset({TaskOutcome.COMPLETED}),
    "failed": frozenset({TaskOutcome.FAILED}),
    "all": frozenset({TaskOutcome.COMPLETED, TaskOutcome.FAILED}),
}
LIST_CAPS = Caps(max_calls=100, max_tasks=10_000, page_size=100, concurrency=2)
DETAIL_MAX_AGE = 30.0
SINCE_RULE = "use a number and a unit (30m, 24h, 3d, 2w) or a date (2026-12-01)"
_RELATIVE = re.compile(r"([0-9]{1,6})\s*(m|min|h|d|w)", re.IGNORECASE)
_UNIT_SECONDS = {"m": 60, "min": 60, "h": 3_600, "d": 86_400, "w": 604_800}


def parse_since(text: str, now: datetime) -> datetime:
    """The moment ``3d``, ``24h`` or ``2026-12-01`` (UTC) names; ``ValueError`` otherwise."""
    cleaned = text.strip()
    relative = _RELATIVE.fullmatch(cleaned)
    if relative is not None:
        return now - timedelta(seconds=int(relative[1]) * _UNIT_SECONDS[relative[2].lower()])
    try:
        moment = datetime.fromisoformat(cleaned.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(SINCE_RULE) from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@dataclass(frozen=True)
class Wanted:
    """The tasks a run is about: final ones of these outcomes, created since a moment."""

    outcomes: frozenset[TaskOutcome]
    since: datetime | None = None

    def matches(self, task: Task) -> bool:
        """True for a task of a wanted outcome created since the moment (when one is set)."""
        if task.outcome not in self.outcomes:
            return False
        return self.since is None or (task.created_at is not None and task.created_at >= self.since)


@dataclass(frozen=True)
class Listed:
    """The tasks the lists gave, and what went wrong reading them (one line per trouble)."""

    tasks: tuple[Task, ...]
    troubles: tuple[str, ...]


def listed_tasks(client: A2EClient, token: str, kinds: Sequence[str], wanted: Wanted) -> Listed:
    """The wanted tasks of ``kinds`` from their lists (each kind read until ``since``)."""
    cache, found, troubles = TaskCache(), list[Task](), list[str]()
    for kind in kinds:
        label = get_kind(kind).label
        try:
            read = read_pages(cache, client, token, kind, _past(wanted.since), LIST_CAPS)
        except LookupFailed as exc:
            troubles.append(f"{label}: the list could not be read: {exc.message}")
            continue
        found += [task for task in read.tasks if wanted.matches(task)]
        if read.cut_short:
            troubles.append(f"{label}: {read.cut_short}")
    completed = _with_details(cache, client, token, found)
    return Listed(tuple(completed), tuple(troubles))


def _past(since: datetime | None) -> Callable[[TaskPage, list[Task]], bool]:
    def enough(page: TaskPage, tasks: list[Task]) -> bool:
        if since is None or not page.is_newest_first:
            return False
        return any(task.created_at and task.created_at < since for task in page.tasks)

    return enough


def _with_details(cache: TaskCache, client: A2EClient, token: str, tasks: list[Task]) -> list[Task]:
    """Listed rows that lack what the archive needs (a result link), asked once by id."""
    lacking = [task for task in tasks if needs_detail(task)]
    asked: dict[str, Task] = {}
    for kind in {task.kind for task in lacking}:
        ids = [task.id for task in lacking if task.kind == kind]
        asked |= {t.id: t for t in cache.fetch(client, token, kind, ids, max_age=DETAIL_MAX_AGE)}
    return [asked.get(task.id, task) for task in tasks]
