"""Asking many ids of one kind in ``batchDetail`` calls, with every way back to one at a time.

``A2EClient.iter_lookups`` hands two or more ids of a kind that has the call to
``batched_lookups``, which yields ``(id, Task)`` as answers arrive, each id once:

- The ids go in batches of the kind's size (``a2e.api.batching``), several at once, as many as
  the client has connections. While the kind's call is not known to work, the first batch goes
  alone (a *probe*) and the rest wait for its outcome.
- A batch's answer is read by ``a2e.api.batch_read`` (records matched by ``_id``; foreign ones
  ignored and logged once per kind). An id it does not hold is asked through its detail call,
  so "not found" stays exact; while Auto searches (``exact=False``) it is left *omitted*.
- A batch **refused or unreadable** (404 or A2E's "not found", 405 or any other 4xx but 401,
  403 and 429, an A2E error code, an HTML page, a shape nobody reads) marks the kind refused
  (``BatchSupport``) and its ids are asked one at a time (or, searching, left omitted).
- A batch that **failed** (unreachable, timed out, 5xx, 429 after retries) is the failure of
  each id in it: each gets that lookup error, and the breaker counts each, so once a wave's
  worth of ids met a failing server the rest are answered at once, unasked.
- A **rejected token**: the batch's first id is asked alone. Rejected there too (or not sent:
  the caller's meter stops after a rejection), every id of the batch carries the rejection;
  accepted, the batch call itself was what refused.
- A request the caller's budget refuses (``OverBudget``): every id of the batch is "not asked".
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field

from a2e.api.answers import Envelope
from a2e.api.batch_read import BATCH_UNAVAILABLE, omitted, read_batch
from a2e.api.batching import BatchMode, BatchSupport, chunked
from a2e.api.breaker import UnreachableServerBreaker
from a2e.api.errors import BadAnswer, LookupFailed, RateLimited, ServerFailed, TaskNotFound
from a2e.api.meter import not_sent
from a2e.api.metrics import BATCH_CALLS
from a2e.core.kinds import TaskKind
from a2e.core.model import LookupCause, Task

Answers = list[tuple[str, Task]]

logger = logging.getLogger("a2e.api")


@dataclass(frozen=True)
class BatchCalls:
    """How one client asks one kind's ids: its batch call, its detail call, its knowledge."""

    kind: TaskKind
    size: int
    workers: int
    ask_batch: Callable[[list[str]], Envelope]
    ask_one: Callable[[str], Task]
    support: BatchSupport
    exact: bool = True
    on_foreign: Callable[[str, int], None] | None = None


@dataclass
class _Done:
    """One job's answers, and the ids it leaves to be asked one at a time."""

    answers: Answers
    alone: list[str] = field(default_factory=list)


def is_refusal(error: LookupFailed) -> bool:
    """True for a batch call the server refused or answered unreadably (not a failing server)."""
    if isinstance(error, TaskNotFound | BadAnswer):
        return True
    if isinstance(error, RateLimited) or not isinstance(error, ServerFailed):
        return False
    status = error.http_status or 0
    return status == 200 or 400 <= status < 500 or status == 501


def batched_lookups(calls: BatchCalls, task_ids: Sequence[str]) -> Iterator[tuple[str, Task]]:
    """``(id, Task)`` for every id (lower-case task ids, each once), as the answers arrive."""
    yield from _Batcher(calls).run(list(task_ids))


class _Batcher:
    def __init__(self, calls: BatchCalls) -> None:
        self.calls = calls
        self.kind = calls.kind.key
        self.breaker = UnreachableServerBreaker(threshold=calls.workers)

    def run(self, task_ids: list[str]) -> Iterator[tuple[str, Task]]:
        pieces = chunked(task_ids, self.calls.size)
        pool = ThreadPoolExecutor(self.calls.workers, thread_name_prefix="a2e-batch")
        finished = False
        try:
            first = self._probe(pieces) if self._mode() is BatchMode.PROBE else []
            pending = self._start(pool, pieces[len(first) :])
            for done in first:
                yield from done.answers
                pending |= {pool.submit(self._one, task_id) for task_id in done.alone}
            while pending:
                ready, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in ready:
                    done = future.result()
                    yield from done.answers
                    pending |= {pool.submit(self._one, task_id) for task_id in done.alone}
            finished = True
        finally:  # a caller that stops early (Ctrl+C) waits for nothing more
            pool.shutdown(wait=finished, cancel_futures=True)

    def _mode(self) -> BatchMode:
        return self.calls.support.mode(self.kind)

    def _probe(self, pieces: list[list[str]]) -> list[_Done]:
        """Batches sent one by one while the kind's call is not known to work."""
        done: list[_Done] = []
        with self.calls.support.probing(self.kind) as mode:
            while mode is BatchMode.PROBE and len(done) < len(pieces):
                done.append(self._batch(pieces[len(done)]))
                mode = self._mode()
        return done

    def _start(self, pool: ThreadPoolExecutor, pieces: list[list[str]]) -> set[Future[_Done]]:
        if self._mode() is BatchMode.SINGLE:
            return {pool.submit(self._unavailable, piece) for piece in pieces}
        return {pool.submit(self._batch, piece) for piece in pieces}

    def _batch(self, piece: list[str]) -> _Done:
        if self.breaker.is_open:
            return _Done([(i, self.breaker.skipped(i, self.kind)) for i in piece])
        try:
            read = read_batch(self.calls.kind, piece, self.calls.ask_batch(piece))
        except LookupFailed as exc:
            return self._failed(piece, exc)
        except Exception as exc:  # an answer we could not handle: never a wrong answer
            unreadable = BadAnswer(f"batch answer could not be read ({type(exc).__name__})")
            return self._failed(piece, unreadable)
        self.calls.support.worked(self.kind)
        BATCH_CALLS.labels(self.kind, "ok").inc()
        if read.foreign and self.calls.on_foreign is not None:
            self.calls.on_foreign(self.kind, read.foreign)
        answers = [(task_id, self.breaker.record(task)) for task_id, task in read.found.items()]
        if self.calls.exact:
            return _Done(answers, read.missing)
        return _Done(answers + [(i, omitted(i, self.kind)) for i in read.missing])

    def _failed(self, piece: list[str], error: LookupFailed) -> _Done:
        if is_refusal(error):
            self.calls.support.refused(self.kind)
            return self._unavailable(piece)
        if error.cause is LookupCause.TOKEN:
            return self._rejected(piece, error)
        BATCH_CALLS.labels(self.kind, error.cause.value).inc()
        return _Done([(i, self.breaker.record(error.row(i, self.kind))) for i in piece])

    def _unavailable(self, piece: list[str]) -> _Done:
        """The kind's batch call is not available: one id at a time (searching: none)."""
        BATCH_CALLS.labels(self.kind, "unavailable").inc()
        if self.calls.exact:
            return _Done([], piece)
        return _Done([(i, omitted(i, self.kind, BATCH_UNAVAILABLE)) for i in piece])

    def _rejected(self, piece: list[str], error: LookupFailed) -> _Done:
        first = self._one(piece[0])
        checked = first.answers[0][1]
        if checked.error_cause is LookupCause.TOKEN or not_sent(checked):
            BATCH_CALLS.labels(self.kind, LookupCause.TOKEN.value).inc()
            return _Done(first.answers + [(i, error.row(i, self.kind)) for i in piece[1:]])
        self.calls.support.refused(self.kind)  # the token works: the batch call refused it
        rest = self._unavailable(piece[1:])
        return _Done(first.answers + rest.answers, rest.alone)

    def _one(self, task_id: str) -> _Done:
        if self.breaker.is_open:
            return _Done([(task_id, self.breaker.skipped(task_id, self.kind))])
        return _Done([(task_id, self.breaker.record(self.calls.ask_one(task_id)))])


class ForeignLog:
    """Logs, once per kind, that a batch answer held records of ids not asked (ignored)."""

    def __init__(self) -> None:
        self._logged: set[str] = set()

    def __call__(self, kind: str, count: int) -> None:
        if kind in self._logged:
            return
        self._logged.add(kind)
        logger.warning(
            "batchDetail of %s answered %d record(s) of ids not asked: ignored (said once)",
            kind,
            count,
        )
