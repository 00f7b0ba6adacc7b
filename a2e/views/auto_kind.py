"""Looking ids up when their kind is not known ("Auto"): kind by kind, the likeliest first.

An id leaves the search at the first kind that knows it. Only "not found" moves an id on: a
rejected token or an unreachable server would fail the same way as any kind.

- **Order** (``likely_order``): the kinds seen lately for this token (its Recent and Overview
  listings, earlier lookups in this process: ``TaskCache.kinds_seen``, keyed by the token's
  fingerprint), most recent first, then the registry's order.
- **Passes.** The first pass asks the likeliest kind about every id. Then every kind whose
  *search* is cheaper than asking each id (a ``batchDetail`` call answers up to a hundred ids
  at once) is asked about all the ids still unknown, several kinds at once (``WAVE_WIDTH``).
  A search may leave an id *unconfirmed* (not in the batch's answer, which is no proof:
  ``a2e.api.batch_read``); the ids still unknown are then asked exactly, kind by kind in the
  likely order: first as the kinds that have not answered for them at all (kinds without a
  batch call, or whose batch call this server refuses: so a server without batchDetail is asked
  as before, one extra call per kind), then as the kinds whose batch left them out, so that
  "not found as any kind" is proved by each kind's own detail call.
- **Cost**: the passes after the first spend at most ``MAX_SEARCH_CALLS`` calls, counted by the
  ``Asking``'s costs (``A2EClient.calls_to_ask``: a batch is one call, an id asked alone its
  kind's detail calls). A pass the cap can't cover asks as many ids as it can; an id left
  unproved says which kinds it was proved not to be and that the search stopped at its cap.
  A batch call the server refuses (one per kind, then none for 10 minutes) is not counted
  against the cap, and the first kind's ids are then asked exactly as the first pass: a server
  without batchDetail gets the same answers as before, at one extra call per kind.
- **Telling people**: the progress bar moves with each pass, later passes included, and
  ``on_kind`` names each kind as it is asked; an id no kind knows says so in a short reason
  (read whole in a table cell: "not found as any of the 34 kinds tried") and names the kinds
  tried in a note (its detail shows it).
- **Budget**: every request is charged to the caller's ``Meter``; once its budget is spent,
  nothing more is sent and the rows left say "not asked" (never "not found", so they do not
  move on to another kind).
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from a2e.api.batch_read import is_unconfirmed, left_out, unasked
from a2e.api.client import A2EClient
from a2e.api.meter import Meter
from a2e.core.kinds import KINDS
from a2e.core.model import LookupCause, Task, TaskOutcome

if TYPE_CHECKING:  # (the command line asks without a cache)
    from a2e.cache.fetch import ProgressCallback, TaskCache

AUTO_KIND = "auto"
AUTO_LABEL = "Auto (try every kind)"
MAX_SEARCH_CALLS = 1_000
# Kinds searched at once after the first pass (each a batch call or a few).
WAVE_WIDTH = 16
KIND_ORDER = tuple(KINDS)
_FOUND = (TaskOutcome.COMPLETED, TaskOutcome.FAILED, TaskOutcome.IN_PROGRESS)

AskKind = Callable[[str, list[str], "ProgressCallback | None"], list[Task]]
SearchCost = Callable[[str, int], int]
KindAnnounce = Callable[[str, int, int], None]


def one_call_per_id(kind: str, ids: int) -> int:
    """Calls asking ``kind`` about ``ids`` ids costs at most, one id at a time (every detail
    call of the kind, for an id it does not know)."""
    return ids * len(KINDS[kind].detail_calls)


@dataclass(frozen=True)
class Asking:
    """How the search asks one kind about some ids: exactly (every "not found" proved by a
    detail call) and, where a kind can, searching (an id may come back unconfirmed)."""

    ask: AskKind
    cost: SearchCost = one_call_per_id
    search: AskKind | None = None
    search_cost: SearchCost | None = None

    def cheap(self, kind: str, ids: int) -> bool:
        """True when searching ``kind`` for ``ids`` ids costs fewer calls than asking each."""
        return self.search_cost is not None and self.search_cost(kind, ids) < self.cost(kind, ids)

    def search_calls(self, kind: str, ids: int) -> int:
        """The most calls a search of ``kind`` for ``ids`` ids costs."""
        return (self.search_cost or self.cost)(kind, ids)


def likely_order(seen: Sequence[str]) -> tuple[str, ...]:
    """Every registered kind, those in ``seen`` (most recent first) ahead of the rest."""
    known = [kind for kind in dict.fromkeys(seen) if kind in KINDS]
    return (*known, *(kind for kind in KIND_ORDER if kind not in known))


def is_not_found(task: Task) -> bool:
    """True for a lookup the server answered with "no such task" (or that a search left out)."""
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

    def asker(exact: bool) -> AskKind:
        def ask(kind: str, ids: list[str], progress: ProgressCallback | None) -> list[Task]:
            return cache.fetch(
                client,
                token,
                kind,
                ids,
                max_age=max_age,
                on_progress=progress,
                meter=meter,
                exact=exact,
            )

        return ask

    asking = Asking(
        ask=asker(exact=True),
        cost=client.calls_to_ask,
        search=asker(exact=False),
        search_cost=lambda kind, ids: client.calls_to_ask(kind, ids, exact=False),
    )
    order = likely_order(cache.kinds_seen(token))
    if kinds is not None:
        order = tuple(kind for kind in order if kind in kinds)
    tasks = search_kinds(asking, list(task_ids), on_progress, order=order, on_kind=on_kind)
    cache.note_kinds(token, kinds_found(tasks))
    return tasks


def kinds_found(tasks: Sequence[Task]) -> list[str]:
    """The kinds ``tasks`` were found as, the most common first."""
    found = Counter(task.kind for task in tasks if task.outcome in _FOUND)
    return [kind for kind, _ in found.most_common()]


def search_kinds(
    asking: Asking,
    task_ids: list[str],
    on_progress: ProgressCallback | None = None,
    *,
    order: Sequence[str] = KIND_ORDER,
    max_calls: int = MAX_SEARCH_CALLS,
    on_kind: KindAnnounce | None = None,
) -> list[Task]:
    """``fetch_any_kind`` over any ``Asking``: kinds in ``order``, passes within ``max_calls``."""
    progress = _Progress(on_progress)
    search = _Search(tuple(order), max_calls, on_kind)
    search.announce(0)
    first = _first_pass(asking, search.order[0], task_ids, progress)
    search.start(search.order[0], first)
    _wave(asking, search, progress)
    _exact_passes(asking, search, progress, unanswered=True)
    _exact_passes(asking, search, progress, unanswered=False)
    progress.finish()
    return [_settled(task, search) for task in first]


def _first_pass(asking: Asking, kind: str, task_ids: list[str], progress: _Progress) -> list[Task]:
    """Every id as the likeliest kind: searched, and asked exactly where the search could not
    ask (the kind's batch call is not available: as a server without one is asked)."""
    first = (asking.search or asking.ask)(kind, task_ids, progress.step)
    again = [task.id for task in first if unasked(task)]
    if not again:
        return first
    progress.next_pass(later=0)
    answers = {task.id: task for task in asking.ask(kind, again, progress.step)}
    return [answers.get(task.id, task) if unasked(task) else task for task in first]


@dataclass
class _Search:
    """Where the search is: ids still unknown, what each kind said of them, calls left."""

    order: tuple[str, ...]
    max_calls: int
    on_kind: KindAnnounce | None
    pending: list[str] = field(default_factory=list)
    proved: dict[str, list[str]] = field(default_factory=dict)  # id -> kinds that said no
    left_out: dict[str, set[str]] = field(default_factory=dict)  # id -> batches without it
    found: dict[str, Task] = field(default_factory=dict)
    calls_left: int = 0

    def start(self, kind: str, first: list[Task]) -> None:
        """After the first pass (as ``kind``)."""
        unknown = [task.id for task in first if is_not_found(task)]
        self.pending = list(dict.fromkeys(unknown))
        self.proved = {task_id: [] for task_id in self.pending}
        self.left_out = {task_id: set() for task_id in self.pending}
        self.calls_left = self.max_calls
        self._note(kind, [task for task in first if is_not_found(task)])

    def affordable(self, ids: list[str], calls: Callable[[int], int]) -> list[str]:
        """The first of ``ids`` a pass can ask within the calls left (cost grows with ids)."""
        low, high = 0, len(ids)
        while low < high:
            middle = (low + high + 1) // 2
            if calls(middle) <= self.calls_left:
                low = middle
            else:
                high = middle - 1
        return ids[:low]

    def take(self, kind: str, tasks: list[Task], spent: int) -> None:
        """One pass's answers: ids found (or failing) leave the search."""
        self.calls_left -= spent
        for task in tasks:
            if task.id in self.proved and task.id not in self.found and not is_not_found(task):
                self.found[task.id] = task
        self._note(kind, [task for task in tasks if is_not_found(task)])
        self.pending = [task_id for task_id in self.pending if task_id not in self.found]

    def _note(self, kind: str, not_found: list[Task]) -> None:
        for task in not_found:
            if task.id not in self.proved:
                continue
            if not is_unconfirmed(task):
                self.proved[task.id].append(kind)
            elif left_out(task):
                self.left_out[task.id].add(kind)

    def to_ask(self, task_id: str, kind: str, *, unanswered: bool) -> bool:
        """Whether an exact pass of ``kind`` asks the id: when ``unanswered``, if the kind has
        said nothing of it (not asked, or not able to); else if its batch left it out."""
        if kind in self.proved[task_id]:
            return False
        return (
            (kind not in self.left_out[task_id]) if unanswered else kind in self.left_out[task_id]
        )

    def announce(self, position: int) -> None:
        """Say which kind is asked (1-based position among the kinds)."""
        if self.on_kind is not None:
            self.on_kind(self.order[position], position + 1, len(self.order))


def _wave(asking: Asking, search: _Search, progress: _Progress) -> None:
    """Search every kind whose search is cheap for the ids left, several at once."""
    count = len(search.pending)
    charged: dict[str, int] = {}
    for kind in search.order[1:]:
        calls = asking.search_calls(kind, count)
        if count and asking.cheap(kind, count) and calls <= search.calls_left:
            charged[kind] = calls
            search.calls_left -= calls
    kinds = list(charged)
    if not kinds or asking.search is None:
        return
    progress.next_pass(later=len(kinds))
    ask, ids = asking.search, list(search.pending)
    with ThreadPoolExecutor(min(WAVE_WIDTH, len(kinds)), thread_name_prefix="a2e-auto") as pool:
        futures = {pool.submit(ask, kind, ids, None): kind for kind in kinds}
        for done, future in enumerate(as_completed(futures), start=1):
            search.announce(search.order.index(futures[future]))
            progress.step(done, len(kinds))
    answers = {kind: future.result() for future, kind in futures.items()}
    for kind in kinds:  # a kind whose batch call is not available asked nothing: no cost
        if all(unasked(task) for task in answers[kind] if task.id in search.proved):
            search.calls_left += charged[kind]
    for kind in kinds:  # the likeliest kind that knows an id wins
        search.take(kind, [t for t in answers[kind] if t.outcome in _FOUND], 0)
    for kind in kinds:  # then failures, and what each kind left out
        search.take(kind, answers[kind], 0)


def _exact_passes(
    asking: Asking, search: _Search, progress: _Progress, *, unanswered: bool
) -> None:
    """Ask the ids left exactly, kind by kind: those kinds that said nothing of them yet
    (``unanswered``), else those whose batch left them out."""
    for position, kind in enumerate(search.order):
        wanted = [i for i in search.pending if search.to_ask(i, kind, unanswered=unanswered)]
        ids = search.affordable(wanted, functools.partial(asking.cost, kind))
        if not ids:
            continue
        kinds_after = len(search.order) - position - 1
        progress.next_pass(later=min(len(search.pending) * kinds_after, search.calls_left))
        search.announce(position)
        search.take(kind, asking.ask(kind, ids, progress.step), asking.cost(kind, len(ids)))


def _settled(task: Task, search: _Search) -> Task:
    if not is_not_found(task):
        return task
    if task.id in search.found:
        return search.found[task.id]
    proved = search.proved.get(task.id, [])
    labels = ", ".join(KINDS[kind].label for kind in search.order if kind in proved)
    if set(proved) >= set(search.order):
        error = f"not found as any of the {len(search.order)} kinds tried"
        return replace(task, error=error, notes=(*task.notes, f"tried as {labels}"))
    left = len(search.order) - len(set(proved))
    message = (
        f"not found as {labels or 'no kind yet'} (the search stopped at its cap of "
        f"{search.max_calls:,} calls; {left} other kinds were not tried: choose the kind to "
        "ask it)"
    )
    return replace(task, error=message)


class _Progress:
    """One count over several passes, the later passes' steps included."""

    def __init__(self, report: ProgressCallback | None) -> None:
        self._report = report
        self._earlier = self._current = self._later = 0

    def next_pass(self, *, later: int) -> None:
        """A further pass starts; ``later`` steps may follow it."""
        self._earlier += self._current
        self._current, self._later = 0, later

    def finish(self) -> None:
        """No further pass: what was done is the whole."""
        if self._report is not None and self._earlier + self._current:
            self._report(self._earlier + self._current, self._earlier + self._current)

    def step(self, done: int, owned: int) -> None:
        """One step of the current pass finished (``done`` of its ``owned``)."""
        self._current = done
        if self._report is not None:
            total = self._earlier + owned + self._later
            self._report(self._earlier + done, total)
