"""Looking ids up when their kind is not known ("Auto"): as the likeliest kind, then the others.

"Not found" is the likeliest beginner mistake when the kind is wrong, so an id not found as
the first kind is asked as each other kind in registry order until one knows it. That costs
up to one request per other kind per unknown id, so only the first ``MAX_RETRIED_IDS`` unknown
ids are tried; the rest, and ids no kind knows, say which kinds were tried. Only "not found"
moves on to another kind: a rejected token or an unreachable server would fail the same way.
Every request, each other kind's included, is charged to the caller's ``Meter``; once its
budget is spent, nothing more is sent and the rows left say "not asked" (never "not found").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from a2e.api.client import A2EClient
from a2e.api.meter import Meter
from a2e.cache.fetch import ProgressCallback, TaskCache
from a2e.core.kinds import KINDS
from a2e.core.model import LookupCause, Task

AUTO_KIND = "auto"
AUTO_LABEL = "Auto (try every kind)"
MAX_RETRIED_IDS = 100
KIND_ORDER = tuple(KINDS)

Fetch = Callable[[str, list[str], ProgressCallback | None], list[Task]]


def is_not_found(task: Task) -> bool:
    """True for a lookup the server answered with "no such task"."""
    return task.error_cause is LookupCause.NOT_FOUND


def fetch_any_kind(
    cache: TaskCache,
    client: A2EClient,
    token: str,
    task_ids: Sequence[str],
    *,
    max_age: float,
    on_progress: ProgressCallback | None = None,
    meter: Meter | None = None,
) -> list[Task]:
    """Each id's Task as the first kind that knows it, in input order."""

    def fetch(kind: str, ids: list[str], progress: ProgressCallback | None) -> list[Task]:
        return cache.fetch(
            client, token, kind, ids, max_age=max_age, on_progress=progress, meter=meter
        )

    return look_up_any_kind(fetch, list(task_ids), on_progress)


def look_up_any_kind(
    fetch: Fetch, task_ids: list[str], on_progress: ProgressCallback | None = None
) -> list[Task]:
    """``fetch_any_kind`` over any fetch function (kind, ids, progress) → tasks."""
    progress = _Progress(on_progress)
    first = fetch(KIND_ORDER[0], task_ids, progress.step)
    unknown = [task.id for task in first if is_not_found(task)]
    tried, untried = unknown[:MAX_RETRIED_IDS], set(unknown[MAX_RETRIED_IDS:])
    found = _other_kinds(fetch, tried, progress)
    progress.finish()
    return [_settled(task, found, untried) for task in first]


def _other_kinds(fetch: Fetch, ids: list[str], progress: _Progress) -> dict[str, Task]:
    found: dict[str, Task] = {}
    others = KIND_ORDER[1:]
    for position, kind in enumerate(others):
        if not ids:
            break
        progress.next_pass(later=len(ids) * (len(others) - position - 1))
        tasks = fetch(kind, ids, progress.step)
        found |= {task.id: task for task in tasks if not is_not_found(task)}
        ids = [task_id for task_id in ids if task_id not in found]
    return found


def _settled(task: Task, found: dict[str, Task], untried: set[str]) -> Task:
    if not is_not_found(task):
        return task
    if task.id in found:
        return found[task.id]
    labels = [KINDS[kind].label for kind in KIND_ORDER]
    if task.id in untried:
        message = (
            f"not found as {labels[0]} (only the first {MAX_RETRIED_IDS} unknown ids "
            "are tried as the other kinds)"
        )
    else:
        message = "not found as any kind (tried: " + ", ".join(labels) + ")"
    return replace(task, error=message)


class _Progress:
    """One count of requests over several fetches, the later kinds' requests included."""

    def __init__(self, report: ProgressCallback | None) -> None:
        self._report = report
        self._earlier = self._current = self._later = 0

    def next_pass(self, *, later: int) -> None:
        """A further fetch starts; ``later`` requests may follow it."""
        self._earlier += self._current
        self._current, self._later = 0, later

    def finish(self) -> None:
        """No further fetch: what was done is the whole."""
        if self._report is not None and self._earlier + self._current:
            self._report(self._earlier + self._current, self._earlier + self._current)

    def step(self, done: int, owned: int) -> None:
        """One request of the current fetch finished (``done`` of its ``owned``)."""
        self._current = done
        if self._report is not None:
            total = self._earlier + owned + self._later
            self._report(self._earlier + done, total)
