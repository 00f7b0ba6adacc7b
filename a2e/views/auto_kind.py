"""Looking ids up when their kind is not known ("Auto"): kind by kind, the likeliest first.

Every id is asked as the likeliest kind. An id that kind does not know ("not found") is asked
as the next likeliest, and so on: each *pass* asks one kind about every id still unknown, and an
id leaves the search at the first kind that knows it. Only "not found" moves an id on: a
rejected token or an unreachable server would fail the same way as any kind.

- **Order** (``likely_order``): the kinds seen lately for this token (its Recent and Overview
  listings, earlier lookups in this process: ``TaskCache.kinds_seen``, keyed by the token's
  fingerprint), most recent first, then the registry's order.
- **Cost**: the passes after the first spend at most ``MAX_SEARCH_CALLS`` calls, counted by a
  ``SearchCost`` (today ``one_call_per_id``: each id costs its kind's detail calls). A pass the
  cap can't cover asks as many ids as it can; ids left untried say which kinds were tried and
  that the search stopped at its cap.
- **Seams**: a pass is one call of an ``AskKind`` function (kind, ids, progress) → tasks, today
  the fetch layer's per-id lookups. A kind with batchDetail can answer a pass in one call: swap
  the ``AskKind`` (or teach the fetch layer to batch) and the ``SearchCost``, and nothing here
  changes.
- **Telling people**: the progress bar counts the requests, later passes' included, and
  ``on_kind`` names each kind as its pass starts; an id no kind knows says so in a short
  reason (read whole in a table cell: "not found as any of the 34 kinds tried") and names
  the kinds tried in a note (its detail shows it).
- **Budget**: every request, each later pass's included, is charged to the caller's ``Meter``;
  once its budget is spent, nothing more is sent and the rows left say "not asked" (never "not
  found", so they do not move on to another kind).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from a2e.api.client import A2EClient
from a2e.api.meter import Meter
from a2e.core.kinds import KINDS
from a2e.core.model import LookupCause, Task, TaskOutcome

if TYPE_CHECKING:  # (the command line asks without a cache)
    from a2e.cache.fetch import ProgressCallback, TaskCache

AUTO_KIND = "auto"
AUTO_LABEL = "Auto (try every kind)"
MAX_SEARCH_CALLS = 1_000
KIND_ORDER = tuple(KINDS)
_FOUND = (TaskOutcome.COMPLETED, TaskOutcome.FAILED, TaskOutcome.IN_PROGRESS)

AskKind = Callable[[str, list[str], "ProgressCallback | None"], list[Task]]
SearchCost = Callable[[str, int], int]
KindAnnounce = Callable[[str, int, int], None]


def one_call_per_id(kind: str, ids: int) -> int:
    """Calls asking ``kind`` about ``ids`` ids costs at most, one id at a time (every detail
    call of the kind, for an id it does not know)."""
    return ids * len(KINDS[kind].detail_calls)


def likely_order(seen: Sequence[str]) -> tuple[str, ...]:
    """Every registered kind, those in ``seen`` (most recent first) ahead of the rest."""
    known = [kind for kind in dict.fromkeys(seen) if kind in KINDS]
    return (*known, *(kind for kind in KIND_ORDER if kind not in known))


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
    on_kind: KindAnnounce | None = None,
    meter: Meter | None = None,
    kinds: Sequence[str] | None = None,
) -> list[Task]:
    """Each id's Task as the first kind that knows it, in input order (through the cache).

    ``kinds``: only these (a family's), the likeliest first; every kind by default.
    """

    def ask(kind: str, ids: list[str], progress: ProgressCallback | None) -> list[Task]:
        return cache.fetch(
            client, token, kind, ids, max_age=max_age, on_progress=progress, meter=meter
        )

    order = likely_order(cache.kinds_seen(token))
    if kinds is not None:
        order = tuple(kind for kind in order if kind in kinds)
    tasks = look_up_any_kind(ask, list(task_ids), on_progress, order=order, on_kind=on_kind)
    cache.note_kinds(token, kinds_found(tasks))
    return tasks


def kinds_found(tasks: Sequence[Task]) -> list[str]:
    """The kinds ``tasks`` were found as, the most common first."""
    found = Counter(task.kind for task in tasks if task.outcome in _FOUND)
    return [kind for kind, _ in found.most_common()]


def look_up_any_kind(
    ask: AskKind,
    task_ids: list[str],
    on_progress: ProgressCallback | None = None,
    *,
    order: Sequence[str] = KIND_ORDER,
    cost: SearchCost = one_call_per_id,
    max_calls: int = MAX_SEARCH_CALLS,
    on_kind: KindAnnounce | None = None,
) -> list[Task]:
    """``fetch_any_kind`` over any ``AskKind``, kinds in ``order``, passes within ``max_calls``."""
    progress = _Progress(on_progress)
    search = _Search(tuple(order), cost, max_calls, on_kind)
    search.announce(0)
    first = ask(search.order[0], task_ids, progress.step)
    search.start([task.id for task in first if is_not_found(task)])
    _other_kinds(ask, search, progress)
    progress.finish()
    return [_settled(task, search) for task in first]


@dataclass
class _Search:
    """Where the search is: ids still unknown, the kinds each was asked as, calls left."""

    order: tuple[str, ...]
    cost: SearchCost
    max_calls: int
    on_kind: KindAnnounce | None
    pending: list[str] = field(default_factory=list)
    tried: dict[str, list[str]] = field(default_factory=dict)
    found: dict[str, Task] = field(default_factory=dict)
    calls_left: int = 0

    def start(self, unknown: list[str]) -> None:
        """After the first pass: these ids are unknown as the first kind."""
        self.pending = list(dict.fromkeys(unknown))
        self.tried = {task_id: [self.order[0]] for task_id in self.pending}
        self.calls_left = self.max_calls

    def affordable(self, kind: str) -> list[str]:
        """The pending ids (in input order) a pass of ``kind`` can ask within the calls left."""
        low, high = 0, len(self.pending)
        while low < high:  # the most ids whose cost fits (cost grows with the ids)
            middle = (low + high + 1) // 2
            if self.cost(kind, middle) <= self.calls_left:
                low = middle
            else:
                high = middle - 1
        return self.pending[:low]

    def take(self, kind: str, asked: list[str], tasks: list[Task]) -> None:
        """One pass's answers: ids it found leave the search."""
        self.calls_left -= self.cost(kind, len(asked))
        for task_id in asked:
            self.tried[task_id].append(kind)
        self.found |= {task.id: task for task in tasks if not is_not_found(task)}
        self.pending = [task_id for task_id in self.pending if task_id not in self.found]

    def announce(self, position: int) -> None:
        """Say which kind's pass starts (1-based position among the kinds)."""
        if self.on_kind is not None:
            self.on_kind(self.order[position], position + 1, len(self.order))


def _other_kinds(ask: AskKind, search: _Search, progress: _Progress) -> None:
    for position, kind in enumerate(search.order[1:], start=1):
        ids = search.affordable(kind) if search.pending else []
        if not ids:
            return
        kinds_after = len(search.order) - position - 1
        progress.next_pass(later=min(len(search.pending) * kinds_after, search.calls_left))
        search.announce(position)
        search.take(kind, ids, ask(kind, ids, progress.step))


def _settled(task: Task, search: _Search) -> Task:
    if not is_not_found(task):
        return task
    if task.id in search.found:
        return search.found[task.id]
    tried = search.tried.get(task.id, list(search.order[:1]))
    labels = ", ".join(KINDS[kind].label for kind in tried if kind in KINDS)
    if len(tried) >= len(search.order):
        error = f"not found as any of the {len(tried)} kinds tried"
        return replace(task, error=error, notes=(*task.notes, f"tried as {labels}"))
    left = len(search.order) - len(tried)
    message = (
        f"not found as {labels} (the search stopped at its cap of {search.max_calls:,} calls; "
        f"{left} other kinds were not tried: choose the kind to ask it)"
    )
    return replace(task, error=message)


class _Progress:
    """One count of requests over several passes, the later passes' requests included."""

    def __init__(self, report: ProgressCallback | None) -> None:
        self._report = report
        self._earlier = self._current = self._later = 0

    def next_pass(self, *, later: int) -> None:
        """A further pass starts; ``later`` requests may follow it."""
        self._earlier += self._current
        self._current, self._later = 0, later

    def finish(self) -> None:
        """No further pass: what was done is the whole."""
        if self._report is not None and self._earlier + self._current:
            self._report(self._earlier + self._current, self._earlier + self._current)

    def step(self, done: int, owned: int) -> None:
        """One request of the current pass finished (``done`` of its ``owned``)."""
        self._current = done
        if self._report is not None:
            total = self._earlier + owned + self._later
            self._report(self._earlier + done, total)
