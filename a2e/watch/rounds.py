"""One poll's calls to A2E: each followed kind's list, then lookups of what the lists left out.

A followed kind costs one list call per poll (its newest ``PAGE_SIZE`` tasks) in the steady
state. Further pages are read only when the first is entirely new to the watcher (more tasks
started since the last poll than a page holds), or, at the kind's first reading (its
baseline), up to ``MAX_BASELINE_PAGES`` full pages, so running tasks behind newer finished ones
are found; both are capped. Running tasks the lists
did not show, ids named on the command line, and listed finishes that lack what a person needs
(a failure without its message) are looked up through the fetch layer (``TaskCache.fetch``,
many ids per call once the layer batches them), as their kind, or (``auto``) as each of the
kinds ``--kind`` named in turn, the likeliest first. A failed list call is returned, never
raised: one kind's trouble does not stop the others. A list call the server lacks
(``ListCallMissing``) is not the watcher's trouble: it is noted apart, as the kind's own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from a2e.api.client import A2EClient
from a2e.api.errors import ListCallMissing, LookupFailed
from a2e.cache.fetch import TaskCache
from a2e.core.kinds import KINDS
from a2e.core.model import LookupCause, Task, TaskOutcome
from a2e.views.auto_kind import AUTO_KIND, fetch_any_kind
from a2e.views.listing import needs_detail

PAGE_SIZE = 100
MAX_NEW_PAGES = 5
MAX_BASELINE_PAGES = 10
LIST_WORKERS = 8

KnownIds = Callable[[Iterable[str]], set[str]]


@dataclass
class KindRead:
    """What one kind's list taught this poll."""

    kind: str
    tasks: list[Task] = field(default_factory=list)
    calls: int = 0
    error: LookupFailed | None = None


def read_kinds(
    client: A2EClient, token: str, kinds: Iterable[str], baseline: set[str], known: KnownIds
) -> list[KindRead]:
    """Each followed kind's newest tasks, the kinds read at once (``LIST_WORKERS`` at a time)."""
    wanted = list(kinds)
    if not wanted:
        return []
    workers = min(LIST_WORKERS, len(wanted))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="a2e-watch-list") as pool:
        return list(pool.map(lambda k: read_kind(client, token, k, k in baseline, known), wanted))


def read_kind(
    client: A2EClient, token: str, kind: str, baseline: bool, known: KnownIds
) -> KindRead:
    """One kind's newest tasks: one page, or more when the page says more may matter."""
    read = KindRead(kind)
    cap = MAX_BASELINE_PAGES if baseline else MAX_NEW_PAGES
    for page_number in range(1, cap + 1):
        try:
            page = client.list_tasks(token, kind, page_number, PAGE_SIZE)
        except LookupFailed as exc:
            read.calls += 1
            read.error = exc if not read.tasks else None
            break
        read.calls += 1
        read.tasks += page.tasks
        ids = [task.id for task in page.tasks]
        if len(page.tasks) < PAGE_SIZE or not _more_may_matter(ids, baseline, known):
            break
    return read


def _more_may_matter(ids: list[str], baseline: bool, known: KnownIds) -> bool:
    # At the first reading a running task may sit behind newer finished ones: read on.
    return baseline or not known(ids)


def to_look_up(
    listed: Mapping[str, Task], open_tasks: Iterable[tuple[str, str]], unsettled: set[str]
) -> dict[str, list[str]]:
    """Ids to ask by kind: open tasks no list showed, and listed finishes lacking details."""
    wanted: dict[str, list[str]] = {}
    for task_id, kind in open_tasks:
        if task_id not in listed:
            wanted.setdefault(kind if kind in KINDS else AUTO_KIND, []).append(task_id)
    for task in listed.values():
        if task.is_final and needs_detail(task) and task.id in unsettled:
            wanted.setdefault(task.kind, []).append(task.id)
    return wanted


def look_up(
    cache: TaskCache,
    client: A2EClient,
    token: str,
    wanted: Mapping[str, list[str]],
    search: Sequence[str] | None = None,
) -> list[Task]:
    """Every wanted id's Task, asked as its kind (``auto``: as each of ``search``, every kind
    when None, until one knows it)."""
    found: list[Task] = []
    for kind, ids in wanted.items():
        if kind == AUTO_KIND:
            found += fetch_any_kind(cache, client, token, ids, max_age=0.0, kinds=search)
        else:
            found += cache.fetch(client, token, kind, ids, max_age=0.0)
    return found


def trouble_of(reads: Iterable[KindRead], lookups: Iterable[Task]) -> str | None:
    """``token`` or ``unreachable`` when every call of the poll failed; else None. A list call
    the server lacks says nothing either way (``a2e.watch.trouble`` notes it apart)."""
    counted = [read for read in reads if not isinstance(read.error, ListCallMissing)]
    errors = [read.error.cause for read in counted if read.error is not None]
    answered = any(read.error is None for read in counted)
    for task in lookups:
        if task.outcome is TaskOutcome.LOOKUP_ERROR and task.error_cause is not None:
            errors.append(task.error_cause)
            answered = answered or task.error_cause is LookupCause.NOT_FOUND
        else:
            answered = True
    if answered or not errors:
        return None
    return "token" if LookupCause.TOKEN in errors else "unreachable"
