"""The fetch layer: the only cache of task lookups, shared by every viewer of one process.

A cached answer is keyed by everything that selects it: server, token (as a keyed hash,
never the token itself), kind and id, so one token's results are never served to another.
Final tasks (completed, failed) are kept for hours and never asked again while cached;
anything else is reused only while younger than the caller's ``max_age``. When several
viewers ask for the same key at once, one upstream request answers all of them.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass

from cachetools import TLRUCache

from a2e.api.client import A2EClient
from a2e.core.ids import is_task_id
from a2e.core.model import LookupCause, Task, TaskOutcome, invalid_id, lookup_error

FINAL_TTL_SECONDS = 6 * 3600
RUNNING_TTL_SECONDS = 300.0
MAX_ENTRIES = 200_000

CacheKey = tuple[str, str, str, str]
ProgressCallback = Callable[[int, int], None]
_FINGERPRINT_KEY = secrets.token_bytes(32)


def token_fingerprint(token: str) -> str:
    """A per-process keyed hash of the token: a cache key part that reveals nothing."""
    return hmac.new(_FINGERPRINT_KEY, token.strip().encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class _Entry:
    task: Task
    stored_at: float


@dataclass(frozen=True)
class _Plan:
    hits: dict[str, Task]
    owned: dict[str, Future[Task]]
    waiting: dict[str, Future[Task]]


def _answer(future: Future[Task], task_id: str, kind: str) -> Task:
    """The looked-up Task, or a lookup error if the lookup that owned it broke off."""
    try:
        return future.result()
    except Exception as exc:  # the owner's lookup crashed: this viewer gets a row, not a crash
        return lookup_error(task_id, kind, f"lookup broke off ({exc})", LookupCause.NETWORK)


class TaskCache:
    """Lookups cached per (server, token, kind, id), with single-flight upstream requests."""

    def __init__(
        self,
        *,
        final_ttl: float = FINAL_TTL_SECONDS,
        running_ttl: float = RUNNING_TTL_SECONDS,
        max_entries: int = MAX_ENTRIES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._final_ttl, self._running_ttl, self._clock = final_ttl, running_ttl, clock
        self._entries: TLRUCache[CacheKey, _Entry] = TLRUCache(
            maxsize=max_entries, ttu=self._expiry, timer=clock
        )
        self._inflight: dict[CacheKey, Future[Task]] = {}
        self._lock = threading.Lock()
        self.upstream_lookups = 0

    def fetch(
        self,
        client: A2EClient,
        token: str,
        kind: str,
        task_ids: Sequence[str],
        *,
        max_age: float,
        on_progress: ProgressCallback | None = None,
    ) -> list[Task]:
        """Every id's Task in input order, asking upstream only for what is stale or missing."""
        scope = (client.base_url, token_fingerprint(token), kind)
        wanted = [task_id.lower() for task_id in task_ids if is_task_id(task_id)]
        plan = self._plan(scope, list(dict.fromkeys(wanted)), max_age)
        self._fetch_owned(client, token, kind, scope, plan, on_progress)
        found = plan.hits | {i: _answer(f, i, kind) for i, f in plan.waiting.items()}
        found |= {i: _answer(f, i, kind) for i, f in plan.owned.items()}
        return [found.get(task_id.lower()) or invalid_id(task_id, kind) for task_id in task_ids]

    def remember(self, base_url: str, token: str, kind: str, tasks: Iterable[Task]) -> None:
        """Keep tasks learnt another way (a task list) as if each had just been looked up."""
        scope = (base_url, token_fingerprint(token), kind)
        for task in tasks:
            if is_task_id(task.id) and task.outcome is not TaskOutcome.LOOKUP_ERROR:
                self._store((*scope, task.id.lower()), task, upstream=False)

    def clear(self) -> None:
        """Forget every cached answer."""
        with self._lock:
            self._entries.clear()

    def _plan(self, scope: tuple[str, str, str], ids: list[str], max_age: float) -> _Plan:
        plan = _Plan(hits={}, owned={}, waiting={})
        now = self._clock()
        with self._lock:
            for task_id in ids:
                key = (*scope, task_id)
                entry = self._entries.get(key)
                if entry and (entry.task.is_final or now - entry.stored_at < max_age):
                    plan.hits[task_id] = entry.task
                elif key in self._inflight:
                    plan.waiting[task_id] = self._inflight[key]
                else:
                    plan.owned[task_id] = self._inflight[key] = Future()
        return plan

    def _fetch_owned(
        self,
        client: A2EClient,
        token: str,
        kind: str,
        scope: tuple[str, str, str],
        plan: _Plan,
        on_progress: ProgressCallback | None,
    ) -> None:
        total, done = len(plan.owned), 0
        interrupted: BaseException | None = None
        try:
            for task_id, task in client.iter_lookups(token, list(plan.owned), kind):
                self._store((*scope, task_id), task)
                done += 1
                if on_progress and interrupted is None:
                    try:
                        on_progress(done, total)
                    except BaseException as exc:  # e.g. the viewer left: finish for the others
                        interrupted = exc
        finally:
            self._abandon(scope, plan)
        if interrupted is not None:
            raise interrupted

    def _store(self, key: CacheKey, task: Task, *, upstream: bool = True) -> None:
        with self._lock:
            self.upstream_lookups += upstream
            self._entries[key] = _Entry(task=task, stored_at=self._clock())
            future = self._inflight.pop(key, None)
        if future is not None:
            future.set_result(task)

    def _abandon(self, scope: tuple[str, str, str], plan: _Plan) -> None:
        """Release waiters on anything left unanswered (only if the lookup itself crashed)."""
        with self._lock:
            left = [(i, f) for i, f in plan.owned.items() if self._inflight.get((*scope, i)) is f]
            for task_id, _ in left:
                del self._inflight[(*scope, task_id)]
        for _, future in left:
            if not future.done():
                future.set_exception(RuntimeError("the lookup was interrupted"))

    def _expiry(self, _key: CacheKey, entry: _Entry, now: float) -> float:
        return now + (self._final_ttl if entry.task.is_final else self._running_ttl)
