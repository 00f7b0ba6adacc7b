"""Looking ids up for the command line, stopping early when the token is rejected.

How early: the run's first id is looked up alone, before any other request is sent. When the
server rejects the token there, no other id is asked: each is answered at once with
``NOT_ASKED`` (a ``lookup_error`` whose cause is the token), so a rejected token costs one
request. Otherwise the rest go through the client (``A2EClient.iter_lookups``: in
``batchDetail`` calls where the kind has one, else ``concurrency`` at a time), and every request
checks before it is sent (the client charges a ``Meter`` made to stop after a rejected token):
once any answer rejects the token (revoked mid-run, or a first answer that could not tell
because the server failed), nothing more is sent, so at most the requests already in flight
carry it. As in the client, once a whole wave of lookups met a failing server the rest are
answered at once ("not asked: the server …").
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from a2e.api.client import A2EClient
from a2e.api.meter import NOT_ASKED as METER_NOT_ASKED
from a2e.api.meter import TOKEN_WAS_REJECTED, Meter, not_sent
from a2e.core.model import LookupCause, Task
from a2e.views.auto_kind import Asking

if TYPE_CHECKING:  # (the cache is no part of a command line lookup)
    from a2e.cache.fetch import ProgressCallback

NOT_ASKED = METER_NOT_ASKED + TOKEN_WAS_REJECTED


class BatchLookup:
    """Looks ids up with one client and one token; a rejected token stops every later request."""

    def __init__(self, client: A2EClient, token: str) -> None:
        self._client, self._token = client, token
        self._lock = threading.Lock()
        self._first_sent = False
        self._meter = Meter(stop_after_rejected_token=True)
        self.rejection: Task | None = None

    def fetch(
        self,
        kind: str,
        task_ids: list[str],
        on_progress: ProgressCallback | None = None,
        *,
        exact: bool = True,
    ) -> list[Task]:
        """Each id's Task in input order (ids are lower-case task ids); an ``AskKind`` for Auto.

        ``exact=False``: Auto's search (an id a batch did not hold may come back unconfirmed).
        """
        unique = list(dict.fromkeys(task_ids))
        count = _Count(len(unique), on_progress)
        found: dict[str, Task] = {}
        if unique and self._take_first():
            found[unique[0]] = count(self._note(self._ask_one(unique[0], kind)))
        rest = unique[len(found) :]
        answers = self._client.iter_lookups(self._token, rest, kind, meter=self._meter, exact=exact)
        for task_id, task in answers:
            found[task_id] = count(self._note(task))
        return [found[task_id] for task_id in task_ids]

    def search(
        self, kind: str, task_ids: list[str], on_progress: ProgressCallback | None = None
    ) -> list[Task]:
        """``fetch`` as Auto's search."""
        return self.fetch(kind, task_ids, on_progress, exact=False)

    def asking(self) -> Asking:
        """How Auto asks through this lookup, with the client's costs."""
        client = self._client
        return Asking(
            ask=self.fetch,
            cost=client.calls_to_ask,
            search=self.search,
            search_cost=lambda kind, ids: client.calls_to_ask(kind, ids, exact=False),
        )

    def _take_first(self) -> bool:
        with self._lock:
            first, self._first_sent = not self._first_sent, True
        return first

    def _ask_one(self, task_id: str, kind: str) -> Task:
        return self._client.lookup(self._token, task_id, kind, meter=self._meter)

    def _note(self, task: Task) -> Task:
        """Remember a rejection; a request it stopped reads as the token's doing."""
        if task.error_cause is LookupCause.TOKEN:
            with self._lock:
                self.rejection = self.rejection or task
        if not_sent(task) and task.error == NOT_ASKED:
            return replace(task, error_cause=LookupCause.TOKEN)
        return task


class _Count:
    """Reports each finished lookup of one fetch as ``(done, total)``."""

    def __init__(self, total: int, report: Callable[[int, int], None] | None) -> None:
        self._total, self._report, self._done = total, report, 0

    def __call__(self, task: Task) -> Task:
        self._done += 1
        if self._report is not None:
            self._report(self._done, self._total)
        return task
