"""Asking A2E about webhook ids on the server's token, as the kinds the cache knows them by.

A webhook does not say which kind of task an id is. The kinds asked, in order:

1. every kind the cache already holds the id under with a task state (a viewer looked it up
   or a list showed it, on this server with this token): the usual case, one call per kind;
2. for an id the cache does not know, Auto (``a2e.views.auto_kind``): the likeliest kind,
   then the others, as a lookup with the kind unknown would ask.

Each answer goes through the fetch layer with ``max_age=0``: it is stored in the shared cache
(a final answer already cached is not asked again, since tasks do not un-finish). An id no
kind knows comes back "not found": it is cached as such and shown nowhere.
"""

from __future__ import annotations

from collections.abc import Sequence

from a2e.api.client import A2EClient
from a2e.api.meter import Meter
from a2e.cache.fetch import TaskCache
from a2e.core.kinds import KINDS
from a2e.core.model import Task, TaskOutcome
from a2e.views.auto_kind import fetch_any_kind

KNOWN = (TaskOutcome.COMPLETED, TaskOutcome.FAILED, TaskOutcome.IN_PROGRESS)


def known_kinds(
    cache: TaskCache, client: A2EClient, token: str, task_ids: Sequence[str]
) -> dict[str, list[str]]:
    """Kind → the ids the cache holds a task state for under that kind (one read)."""
    scope = (client.origin, cache.fingerprint(token))
    keys = [(*scope, kind, task_id) for task_id in task_ids for kind in KINDS]
    by_kind: dict[str, list[str]] = {}
    for key, entry in cache.store.get_many(keys).items():
        if entry.task.outcome in KNOWN:
            by_kind.setdefault(key[2], []).append(key[3])
    return by_kind


def confirm_ids(
    cache: TaskCache,
    client: A2EClient,
    token: str,
    task_ids: Sequence[str],
    *,
    meter: Meter | None = None,
) -> list[Task]:
    """The confirmed Task of each id (one per kind it was asked as), stored in the cache;
    each request sent is charged to ``meter`` (for the audit line's ``calls``)."""
    by_kind = known_kinds(cache, client, token, task_ids)
    tasks: list[Task] = []
    for kind, ids in by_kind.items():
        tasks += cache.fetch(client, token, kind, ids, max_age=0.0, meter=meter)
    known = {task_id for ids in by_kind.values() for task_id in ids}
    unknown = [task_id for task_id in task_ids if task_id not in known]
    if unknown:
        tasks += fetch_any_kind(cache, client, token, unknown, max_age=0.0, meter=meter)
    return tasks
