"""Looking a batch of ids up for the command line, stopping early when the token is rejected.

How early: the batch's first id is looked up alone, before any other request is sent. When
the server rejects the token there, no other id is asked: each is answered at once with
``NOT_ASKED`` (a ``lookup_error`` whose cause is the token), so a rejected token costs one
request. Otherwise the rest run ``concurrency`` at a time, and every lookup checks before it
sends: once any answer rejects the token (revoked mid-batch, or a first answer that could not
tell because the server failed), nothing more is sent, so at most the lookups already in flight
(``concurrency`` at most) carry it. As in ``A2EClient.iter_lookups``, once a whole wave of
lookups met a failing server the rest are answered at once ("not asked: the server …").
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from typing import TYPE_CHECKING

from a2e.api.breaker import UnreachableServerBreaker
from a2e.api.client import A2EClient
from a2e.core.model import LookupCause, Task, lookup_error

if TYPE_CHECKING:  # (the cache is no part of a command line lookup)
    from a2e.cache.fetch import ProgressCallback

NOT_ASKED = "not asked: the token was rejected"


class BatchLookup:
    """Looks ids up with one client and one token; a rejected token stops every later request."""

    def __init__(self, client: A2EClient, token: str) -> None:
        self._client, self._token = client, token
        self._lock = threading.Lock()
        self._first_sent = False
        self.rejection: Task | None = None

    def fetch(
        self, kind: str, task_ids: list[str], on_progress: ProgressCallback | None = None
    ) -> list[Task]:
        """Each id's Task in input order (ids are lower-case task ids); a ``Fetch`` for Auto."""
        unique = list(dict.fromkeys(task_ids))
        count = _Count(len(unique), on_progress)
        breaker = UnreachableServerBreaker(threshold=self._wave(len(unique)))
        found: dict[str, Task] = {}
        if unique and not self._first_sent:
            self._first_sent = True
            found[unique[0]] = count(self._ask(unique[0], kind, breaker))
        found |= self._ask_concurrently(kind, unique[len(found) :], breaker, count)
        return [found[task_id] for task_id in task_ids]

    def _ask_concurrently(
        self, kind: str, ids: list[str], breaker: UnreachableServerBreaker, count: _Count
    ) -> dict[str, Task]:
        if not ids:
            return {}
        with ThreadPoolExecutor(self._wave(len(ids)), thread_name_prefix="a2e-cli") as pool:
            futures = {pool.submit(self._ask, task_id, kind, breaker): task_id for task_id in ids}
            try:
                return {futures[done]: count(done.result()) for done in as_completed(futures)}
            except BaseException:  # Ctrl+C: send nothing more, wait only for what is in flight
                pool.shutdown(wait=False, cancel_futures=True)
                raise

    def _ask(self, task_id: str, kind: str, breaker: UnreachableServerBreaker) -> Task:
        if self.rejection is not None:
            return lookup_error(task_id, kind, NOT_ASKED, LookupCause.TOKEN)
        if breaker.is_open:
            return breaker.skipped(task_id, kind)
        task = breaker.record(self._client.lookup(self._token, task_id, kind))
        if task.error_cause is LookupCause.TOKEN:
            with self._lock:
                self.rejection = self.rejection or task
        return task

    def _wave(self, size: int) -> int:
        return max(1, min(self._client.settings.concurrency, size))


class _Count:
    """Reports each finished lookup of one fetch as ``(done, total)``."""

    def __init__(self, total: int, report: Callable[[int, int], None] | None) -> None:
        self._total, self._report, self._done = total, report, 0

    def __call__(self, task: Task) -> Task:
        self._done += 1
        if self._report is not None:
            self._report(self._done, self._total)
        return task
