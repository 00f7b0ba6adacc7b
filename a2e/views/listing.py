"""An account's tasks without their ids: one page, every kind's first page, and a row's detail.

Every listed task that is complete enough warms the fetch layer's cache under the same key as
a status lookup (server, token, kind, id), so a later lookup of a listed final task costs no
request. A row that lacks what a person needs (``needs_detail``: a failed task without its
message, say) is not cached: opening its detail (``detail_of``) asks for it once, and that
answer is cached like any lookup. A list call that fails raises ``LookupFailed``: it is never
shown as an empty list.

"All kinds" (``list_all_kinds``) asks the first page of each kind, ``MAX_LISTS_AT_ONCE`` at a
time; a kind that fails is one line of ``MergedPage.failures`` (a server without the kind's
list call: "the list call is not available on this server") and never hides the others, and
the kinds whose first page held no task are named in ``MergedPage.empty`` (a caller may skip
them next time). The kinds a listing showed are noted for the token (``TaskCache.note_kinds``):
*Auto* tries them first.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

from a2e.api.client import A2EClient
from a2e.api.errors import LookupFailed
from a2e.api.lists import TaskPage, newest_first
from a2e.api.meter import Meter
from a2e.cache.fetch import TaskCache
from a2e.core.kinds import KINDS
from a2e.core.model import LookupCause, Task, TaskOutcome
from a2e.views.kind_choice import ALL_KINDS, kinds_of_choice

__all__ = ["ALL_KINDS"]

# What a status answer may omit that its list row told us (never outcome, status or errors).
FILLED_FROM_LIST = (
    "name",
    "image_url",
    "prompt",
    "negative_prompt",
    "coins",
    "created_at",
    "updated_at",
    "finished_at",
    "failed_code",
    "progress",
)
MAX_LISTS_AT_ONCE = 12


def listable_kinds() -> list[str]:
    """The kinds whose tasks can be listed, in registry order."""
    return [kind.key for kind in KINDS.values() if kind.can_list]


def unlistable_kinds() -> list[str]:
    """The kinds with no known list call (their tasks can only be looked up by id)."""
    return [kind.key for kind in KINDS.values() if not kind.can_list]


def list_page(
    cache: TaskCache,
    client: A2EClient,
    token: str,
    kind: str,
    page: int,
    size: int,
    meter: Meter | None = None,
    *,
    status: str | None = None,
) -> TaskPage:
    """One page of ``kind``'s tasks (server order); complete rows warm the cache.

    ``status`` is asked of the server where the kind's list filters (``TaskPage.status``); the
    list call is charged to ``meter``.
    """
    listed = client.list_tasks(token, kind, page, size, status, meter=meter)
    cache.remember(client.origin, token, kind, [t for t in listed.tasks if not needs_detail(t)])
    if listed.tasks:
        cache.note_kinds(token, [kind])
    return listed


@dataclass(frozen=True)
class MergedPage:
    """The first page of several kinds, merged newest first; kinds that failed say why."""

    tasks: tuple[Task, ...]
    pages: tuple[TaskPage, ...]
    failures: tuple[tuple[str, str], ...]
    empty: tuple[str, ...] = ()

    @property
    def total(self) -> int | None:
        """Tasks of every kind together, when each kind's answer gave its total."""
        totals = [page.total for page in self.pages]
        if self.failures or any(total is None for total in totals):
            return None
        return sum(total for total in totals if total is not None)

    @property
    def kinds(self) -> tuple[str, ...]:
        """The kinds listed (whose first page was read)."""
        return tuple(page.kind for page in self.pages)


def list_all_kinds(
    cache: TaskCache,
    client: A2EClient,
    token: str,
    size: int,
    meter: Meter | None = None,
    *,
    kinds: Sequence[str] | None = None,
    status: str | None = None,
) -> MergedPage:
    """The first page of ``kinds`` (every listable kind by default), asked ``MAX_LISTS_AT_ONCE``
    at a time and merged by creation time; every list call is charged to ``meter``.

    Raises the first kind's ``LookupFailed`` only when every kind failed.
    """
    chosen = list(kinds) if kinds is not None else listable_kinds()
    if not chosen:
        return MergedPage(tasks=(), pages=(), failures=())

    def first_page(kind: str) -> TaskPage | LookupFailed:
        try:
            return list_page(cache, client, token, kind, 1, size, meter, status=status)
        except LookupFailed as exc:
            return exc

    workers = min(MAX_LISTS_AT_ONCE, len(chosen))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="a2e-list") as pool:
        answers = list(pool.map(first_page, chosen))
    pages = tuple(answer for answer in answers if isinstance(answer, TaskPage))
    errors = [(k, a) for k, a in zip(chosen, answers, strict=True) if isinstance(a, Exception)]
    if not pages and errors:
        raise errors[0][1]
    merged = newest_first([task for page in pages for task in page.tasks])
    cache.note_kinds(token, list(dict.fromkeys(task.kind for task in merged)))
    return MergedPage(
        tasks=tuple(merged[:size]),
        pages=pages,
        failures=tuple((kind, error.message) for kind, error in errors),
        empty=tuple(page.kind for page in pages if _holds_nothing(page)),
    )


def _holds_nothing(page: TaskPage) -> bool:
    """True for a whole list (no status filter) whose first page holds no task."""
    return page.status is None and not page.tasks and not page.skipped


def dropped_rows(skipped: int, duplicates: int, *, not_what: str = "shown") -> list[str]:
    """What to say about listed rows left out (``not_what``: "shown", "counted"…): rows with
    no valid task id, and rows repeating a task id already listed."""
    notes = []
    if skipped:
        notes.append(f"{_listed_rows(skipped)} no valid task id and {_are(skipped)} not {not_what}")
    if duplicates:
        notes.append(
            f"{_listed_rows(duplicates)} a task id already listed (duplicates) and "
            f"{_are(duplicates)} not {not_what} again"
        )
    return notes


def more_rows_than_asked(page: TaskPage) -> str | None:
    """What to say when the server sent more rows than the page size asked (None if not)."""
    if not page.extra:
        return None
    return (
        f"the server sent more rows than asked ({page.rows:,} for a page of {page.size}): "
        f"only the first {page.size} are kept"
    )


def _listed_rows(count: int) -> str:
    return f"{count:,} listed row had" if count == 1 else f"{count:,} listed rows had"


def _are(count: int) -> str:
    return "is" if count == 1 else "are"


def needs_detail(task: Task) -> bool:
    """True for a listed row that lacks what a person needs, so its detail asks once more."""
    if task.outcome is TaskOutcome.FAILED:
        return task.failed_message is None
    if task.outcome is TaskOutcome.COMPLETED:
        return task.result_url is None
    return task.outcome is TaskOutcome.LOOKUP_ERROR and task.error_cause is LookupCause.BAD_ANSWER


@dataclass(frozen=True)
class Detail:
    """A task as its detail view shows it, and why it could not be completed (if so)."""

    task: Task
    problem: str | None = None


def detail_of(
    cache: TaskCache,
    client: A2EClient,
    token: str,
    task: Task,
    *,
    max_age: float,
    meter: Meter | None = None,
) -> Detail:
    """The listed ``task`` completed by one (cached) status call when ``needs_detail``."""
    if not needs_detail(task):
        return Detail(task)
    looked_up = cache.fetch(client, token, task.kind, [task.id], max_age=max_age, meter=meter)[0]
    if looked_up.outcome is TaskOutcome.LOOKUP_ERROR:
        return Detail(task, problem=f"details could not be fetched: {looked_up.error}")
    return Detail(fill_missing(looked_up, task))


def fill_missing(task: Task, listed: Task) -> Task:
    """``task`` with the fields it lacks taken from ``listed`` (times a status answer omits)."""
    missing = {
        name: getattr(listed, name)
        for name in FILLED_FROM_LIST
        if getattr(task, name) is None and getattr(listed, name) is not None
    }
    return replace(task, **missing)


def kinds_of(choice: str) -> Sequence[str]:
    """The listable kinds a choice stands for: one kind, a family's, or every one for "all"."""
    return [kind for kind in kinds_of_choice(choice) if KINDS[kind].can_list]
