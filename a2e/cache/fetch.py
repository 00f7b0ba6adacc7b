"""The fetch layer: the only cache of task lookups, shared by every viewer, with single-flight.

A cached answer is keyed by everything that selects it: server, token (as a keyed hash,
never the token itself), kind and id, so one token's results are never served to another.
Final tasks (completed, failed) are kept for hours and never asked again while cached;
anything else is reused only while younger than the caller's ``max_age``. When several
viewers ask for the same key at once, one upstream request answers all of them: threads of
this process share one in-flight request, and with a shared store (Redis) the replicas share
one too (a short claim per key; a waiter whose claim holder never answers asks itself).

The caller's ``Meter`` (``a2e.api.meter``) goes with the requests this fetch sends: it is charged
for each one, so only the viewer whose request goes upstream pays. A row whose request the
meter stopped (``not_sent``) is handed to whoever waited on it but never stored: it is no
answer. A viewer who waited on another viewer's request and was handed such a row asks
itself, once (the budget that stopped it was the other viewer's).

Beneath the cache, the client asks the ids it must in ``batchDetail`` calls where the kind has one
(``a2e.api.batched``): a batch carries only the ids this fetch owns (neither fresh in the cache
nor being asked by another viewer, here or on another replica). ``exact=False`` (Auto's search)
lets an id a batch did not hold come back *unconfirmed* (``a2e.api.batch_read.is_unconfirmed``)
instead of asking its detail call: such a row is never stored, and a viewer who waited on it
and wanted an exact answer asks itself, once.

The cache also remembers, per token fingerprint, which kinds its tasks were seen as lately
(``a2e.cache.seen_kinds``): the order *Auto* tries kinds in.

Where answers are kept is the store's business (``a2e.cache.store``): in this process by
default (``MemoryStore``, bounded by bytes), or in Redis for replicas (``a2e.cache.stores``).

A finish time, once learnt (a task list's row carries ``updatedAt``; a status answer may
not), is kept for the task: a final answer without one keeps the one the cache held, and
``known`` tells a page what the cache holds (asking no one) so it can show the same.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import Counter as Tally
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, replace

from a2e.api.batch_read import is_unconfirmed
from a2e.api.client import A2EClient
from a2e.api.meter import Meter, not_sent
from a2e.api.metrics import CACHE_LOOKUPS, SINGLE_FLIGHT_WAITS, TASKS_SEEN
from a2e.cache.memory import DEFAULT_MAX_BYTES, MemoryStore
from a2e.cache.seen_kinds import SeenKinds
from a2e.cache.store import (
    FINAL_TTL_SECONDS,
    RUNNING_TTL_SECONDS,
    Cached,
    CacheKey,
    CacheStore,
)
from a2e.core.ids import is_task_id
from a2e.core.model import LookupCause, Task, TaskOutcome, invalid_id, lookup_error

__all__ = [
    "FINAL_TTL_SECONDS",
    "RUNNING_TTL_SECONDS",
    "CacheKey",
    "ProgressCallback",
    "TaskCache",
    "keyed_fingerprint",
    "token_fingerprint",
]

# A key claimed elsewhere is waited for, then claimed again once; after that, asked directly.
CLAIM_ROUNDS = 2

ProgressCallback = Callable[[int, int], None]
_FINGERPRINT_KEY = secrets.token_bytes(32)


def keyed_fingerprint(key: bytes, token: str) -> str:
    """A keyed hash of the token: a cache key part that reveals nothing without ``key``."""
    return hmac.new(key, token.strip().encode(), hashlib.sha256).hexdigest()


def token_fingerprint(token: str) -> str:
    """A per-process keyed hash of the token: a cache key part that reveals nothing."""
    return keyed_fingerprint(_FINGERPRINT_KEY, token)


@dataclass(frozen=True)
class _Plan:
    hits: dict[CacheKey, Task]
    owned: dict[CacheKey, Future[Task]]
    waiting: dict[CacheKey, Future[Task]]


@dataclass(frozen=True)
class _Lookup:
    client: A2EClient
    token: str
    kind: str
    meter: Meter | None = None
    exact: bool = True

    def taught_nothing(self, task: Task) -> bool:
        """True for a row that is no answer for this lookup: not sent, or (when an exact answer
        is wanted) a "not found" nobody proved."""
        return not_sent(task) or (self.exact and is_unconfirmed(task))


class _Progress:
    """Reports answers to the caller; a callback that raises (the viewer left) is kept for later."""

    def __init__(self, total: int, callback: ProgressCallback | None) -> None:
        self.total, self.done, self._callback = total, 0, callback
        self.interrupted: BaseException | None = None

    def step(self) -> None:
        self.done += 1
        if self._callback is None or self.interrupted is not None:
            return
        try:
            self._callback(self.done, self.total)
        except BaseException as exc:  # e.g. the viewer left: finish for the others first
            self.interrupted = exc

    def reraise(self) -> None:
        if self.interrupted is not None:
            raise self.interrupted


def _answer(future: Future[Task], key: CacheKey) -> Task:
    """The looked-up Task, or a lookup error if the lookup that owned it broke off."""
    try:
        return future.result()
    except Exception as exc:  # the owner's lookup crashed: this viewer gets a row, not a crash
        message = f"lookup broke off ({exc})"
        return lookup_error(key[3], key[2], message, LookupCause.NETWORK)


def _seen(tasks: list[Task]) -> list[Task]:
    """``tasks``, counted by outcome for the metrics."""
    for outcome, count in Tally(task.outcome.value for task in tasks).items():
        TASKS_SEEN.labels(outcome).inc(count)
    return tasks


def _usable(entry: Cached, max_age: float) -> bool:
    return entry.task.is_final or entry.age < max_age


class TaskCache:
    """Lookups cached per (server, token, kind, id), with single-flight upstream requests."""

    def __init__(
        self,
        *,
        store: CacheStore | None = None,
        final_ttl: float = FINAL_TTL_SECONDS,
        running_ttl: float = RUNNING_TTL_SECONDS,
        max_bytes: int = DEFAULT_MAX_BYTES,
        clock: Callable[[], float] = time.monotonic,
        fingerprint_key: bytes | None = None,
    ) -> None:
        self._store: CacheStore = store or MemoryStore(
            max_bytes=max_bytes, final_ttl=final_ttl, running_ttl=running_ttl, clock=clock
        )
        self._fingerprint_key = fingerprint_key or _FINGERPRINT_KEY
        self._inflight: dict[CacheKey, Future[Task]] = {}
        self._lock = threading.Lock()
        self.upstream_lookups = 0
        self._seen_kinds = SeenKinds()

    @property
    def store(self) -> CacheStore:
        """Where the answers are kept."""
        return self._store

    def fingerprint(self, token: str) -> str:
        """The token's part of this cache's keys."""
        return keyed_fingerprint(self._fingerprint_key, token)

    def note_kinds(self, token: str, kinds: Iterable[str]) -> None:
        """This token's tasks were just seen as ``kinds`` (likeliest first), for Auto."""
        self._seen_kinds.note(self.fingerprint(token), kinds)

    def kinds_seen(self, token: str) -> tuple[str, ...]:
        """The kinds this token's tasks were seen as lately, most recently first."""
        return self._seen_kinds.kinds(self.fingerprint(token))

    def backend_note(self) -> str | None:
        """A short note for the page when the configured store is not in use, else None."""
        return self._store.note()

    def fetch(
        self,
        client: A2EClient,
        token: str,
        kind: str,
        task_ids: Sequence[str],
        *,
        max_age: float,
        on_progress: ProgressCallback | None = None,
        meter: Meter | None = None,
        exact: bool = True,
    ) -> list[Task]:
        """Every id's Task in input order, asking upstream only for what is stale or missing.

        Each request sent is charged to ``meter``; ``exact=False``: Auto's search (see the module
        docstring).
        """
        scope = (client.origin, self.fingerprint(token), kind)
        wanted = list(dict.fromkeys(i.lower() for i in task_ids if is_task_id(i)))
        lookup = _Lookup(client, token, kind, meter, exact)
        found, waited = self._fetch_once(lookup, scope, wanted, max_age, on_progress)
        # Handed another viewer's refusal (that viewer's budget, not this one's) or its search's
        # unproven "not found": ask, once.
        again = [key[3] for key in waited if lookup.taught_nothing(found[key])]
        if again:
            found |= self._fetch_once(lookup, scope, again, max_age, None)[0]
        return _seen([found.get((*scope, i.lower())) or invalid_id(i, kind) for i in task_ids])

    def _fetch_once(
        self,
        lookup: _Lookup,
        scope: tuple[str, str, str],
        task_ids: list[str],
        max_age: float,
        on_progress: ProgressCallback | None,
    ) -> tuple[dict[CacheKey, Task], list[CacheKey]]:
        """The answers for ``task_ids`` (lower-case ids), and the keys that waited on another."""
        plan = self._plan([(*scope, task_id) for task_id in task_ids], max_age)
        progress = _Progress(len(plan.owned), on_progress)
        try:
            self._resolve(lookup, list(plan.owned), max_age, progress)
        finally:
            self._abandon(plan)
        progress.reraise()
        found = plan.hits | {k: _answer(f, k) for k, f in (plan.waiting | plan.owned).items()}
        return found, list(plan.waiting)

    def remember(self, base_url: str, token: str, kind: str, tasks: Iterable[Task]) -> None:
        """Keep tasks learnt another way (a task list) as if each had just been looked up."""
        scope = (base_url, self.fingerprint(token), kind)
        kept = {
            (*scope, task.id.lower()): task
            for task in tasks
            if is_task_id(task.id) and task.outcome is not TaskOutcome.LOOKUP_ERROR
        }
        for key, task in self._with_known_finish(kept).items():
            self._store.put(key, task)
            self._settle(key, task, None)

    def known(self, origin: str, token: str, tasks: Iterable[Task]) -> dict[str, Task]:
        """What the cache holds for these tasks (each under its own kind), asking no one."""
        fingerprint = self.fingerprint(token)
        keys = [(origin, fingerprint, t.kind, t.id.lower()) for t in tasks if is_task_id(t.id)]
        stored = self._store.get_many(keys) if keys else {}
        return {key[3]: entry.task for key, entry in stored.items()}

    def _with_known_finish(self, answers: dict[CacheKey, Task]) -> dict[CacheKey, Task]:
        """Final answers without a finish time take the one the cache holds, if it has one."""
        lacking = [key for key, task in answers.items() if task.is_final and not task.finished_at]
        stored = self._store.get_many(lacking) if lacking else {}
        for key, entry in stored.items():
            held, task = entry.task, answers[key]
            if held.finished_at is not None and held.outcome is task.outcome:
                answers[key] = replace(task, finished_at=held.finished_at)
        return answers

    def clear(self) -> None:
        """Forget every cached answer."""
        self._store.clear()

    def _plan(self, keys: list[CacheKey], max_age: float) -> _Plan:
        stored = self._store.get_many(keys) if keys else {}
        plan = _Plan(hits={}, owned={}, waiting={})
        with self._lock:
            for key in keys:
                entry = stored.get(key)
                if entry is not None and _usable(entry, max_age):
                    plan.hits[key] = entry.task
                elif key in self._inflight:
                    plan.waiting[key] = self._inflight[key]
                else:
                    plan.owned[key] = self._inflight[key] = Future()
        CACHE_LOOKUPS.labels("hit").inc(len(plan.hits))
        CACHE_LOOKUPS.labels("miss").inc(len(plan.owned) + len(plan.waiting))
        SINGLE_FLIGHT_WAITS.labels("process").inc(len(plan.waiting))
        return plan

    def _resolve(
        self, lookup: _Lookup, keys: list[CacheKey], max_age: float, progress: _Progress
    ) -> None:
        """Answer owned keys: from a claim of our own, from another replica's, or directly."""
        for _ in range(CLAIM_ROUNDS):
            if not keys:
                return
            claimed, busy = self._store.claim(keys)
            try:
                self._answer_claimed(lookup, claimed, max_age, progress)
            finally:
                self._store.release(claimed)
            keys = self._wait_for_others(busy, max_age, progress)
        self._ask_upstream(lookup, keys, progress)

    def _answer_claimed(
        self, lookup: _Lookup, keys: list[CacheKey], max_age: float, progress: _Progress
    ) -> None:
        # Another replica may have stored an answer just before this claim was granted.
        again = self._store.get_many(keys) if keys else {}
        fresh = {key: entry for key, entry in again.items() if _usable(entry, max_age)}
        for key, entry in fresh.items():
            self._settle(key, entry.task, progress)
        self._ask_upstream(lookup, [key for key in keys if key not in fresh], progress)

    def _wait_for_others(
        self, keys: list[CacheKey], max_age: float, progress: _Progress
    ) -> list[CacheKey]:
        """Wait for keys claimed by another replica; the keys still unanswered after."""
        if not keys:
            return []
        SINGLE_FLIGHT_WAITS.labels("replicas").inc(len(keys))
        answered = self._store.wait_for(keys, lambda entry: _usable(entry, max_age))
        for key, entry in answered.items():
            self._settle(key, entry.task, progress)
        return [key for key in keys if key not in answered]

    def _ask_upstream(self, lookup: _Lookup, keys: list[CacheKey], progress: _Progress) -> None:
        if not keys:
            return
        scope = keys[0][:3]
        ids = [key[3] for key in keys]
        answers = lookup.client.iter_lookups(
            lookup.token, ids, lookup.kind, meter=lookup.meter, exact=lookup.exact
        )
        for task_id, task in answers:
            key = (scope[0], scope[1], scope[2], task_id)
            if not not_sent(task) and not is_unconfirmed(task):  # no answer worth keeping
                self._store.put(key, task)
                with self._lock:
                    self.upstream_lookups += 1
            self._settle(key, task, progress)

    def _settle(self, key: CacheKey, task: Task, progress: _Progress | None) -> None:
        """Hand an answer to everyone in this process waiting for the key."""
        with self._lock:
            future = self._inflight.pop(key, None)
        if future is not None and not future.done():
            future.set_result(task)
        if progress is not None:
            progress.step()

    def _abandon(self, plan: _Plan) -> None:
        """Release waiters on anything left unanswered (only if the lookup itself crashed)."""
        with self._lock:
            left = [(k, f) for k, f in plan.owned.items() if self._inflight.get(k) is f]
            for key, _ in left:
                del self._inflight[key]
        for _, future in left:
            if not future.done():
                future.set_exception(RuntimeError("the lookup was interrupted"))
