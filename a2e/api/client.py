"""The A2E status client: httpx, one connection pool, bounded concurrency, retries, and caps.

Every answer, good or bad, becomes a ``Task``: ``lookup`` and ``lookup_many`` never raise
for a task's sake. The token is passed per call and sent only in the ``Authorization``
header of that request; it is never stored on the client, put in a URL or in a message.
So is a caller's ``Meter`` (``a2e.api.meter``): every HTTP request is charged to it just before
it is sent (retries and every other kind's try included; one request, one call, whatever it
carries), and a request its budget refuses is not sent.

Two or more ids of a kind with a ``batchDetail`` call are asked in batches (``a2e.api.batched``:
sizes, probes and every fallback to one id at a time); the client remembers, for its server,
which kinds' batch calls work (``a2e.api.batching.BatchSupport``).
"""

from __future__ import annotations

import time
import urllib.request
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import datetime
from http.cookiejar import CookieJar, DefaultCookiePolicy

import httpx

from a2e.api.addresses import AddressScope
from a2e.api.answers import Envelope, read_answer, read_capped
from a2e.api.batched import BatchCalls, ForeignLog, batched_lookups
from a2e.api.batching import DEFAULT_BATCH_SIZE, BatchMode, BatchSupport, batch_size
from a2e.api.breaker import UnreachableServerBreaker
from a2e.api.credits import CREDITS_PAGE_SIZE, CreditPage, credit_page, credits_call
from a2e.api.errors import (
    BadAnswer,
    LookupFailed,
    TaskNotFound,
    TokenRejected,
    timed_out,
    translate_httpx_errors,
)
from a2e.api.guard import transport_for
from a2e.api.lists import (
    DEFAULT_PAGE_SIZE,
    AnswerReader,
    TaskPage,
    avg_seconds,
    list_call,
    read_avg,
    read_list,
    server_status,
    task_page,
)
from a2e.api.meter import Meter
from a2e.api.metrics import observed_lookup
from a2e.api.pooled import Pooled
from a2e.api.records import number, task_from_data
from a2e.api.retries import RetryPolicy, retry_after_seconds
from a2e.api.servers import (
    GLOBAL_SERVER,
    USER_AGENT,
    check_token,
    normalise_base_url,
)
from a2e.core.ids import is_task_id
from a2e.core.kinds import DEFAULT_KIND, DetailCall, TaskKind, get_kind
from a2e.core.model import Task, invalid_id


@dataclass(frozen=True)
class ClientSettings:
    """How patient and how parallel the client is."""

    timeout: float = 15.0
    connect_timeout: float = 5.0
    concurrency: int = 24
    max_answer_bytes: int = 1024 * 1024
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    batch_size: int = DEFAULT_BATCH_SIZE
    # A batch answer may be this many times larger than one task's (each record is bounded).
    batch_answer_factor: int = 8


class A2EClient(Pooled):
    """Looks up A2E tasks on one server; safe to share between threads."""

    def __init__(
        self,
        base_url: str = GLOBAL_SERVER,
        *,
        settings: ClientSettings | None = None,
        transport: httpx.BaseTransport | None = None,
        address_scope: AddressScope = AddressScope.ANY,
    ) -> None:
        self.base_url = normalise_base_url(base_url)
        self.settings = settings or ClientSettings()
        self.address_scope = address_scope
        self.batches = BatchSupport()
        self._foreign_log = ForeignLog()
        limit = max(1, self.settings.concurrency)
        limits = httpx.Limits(max_connections=limit, max_keepalive_connections=limit)
        self._http = httpx.Client(
            base_url=self.base_url,
            # Waiting for a free connection of the shared pool is not the server being slow.
            timeout=httpx.Timeout(
                self.settings.timeout, connect=self.settings.connect_timeout, pool=None
            ),
            # Cookies set in answer to one token's request must never ride along with another's.
            cookies=CookieJar(policy=DefaultCookiePolicy(allowed_domains=[])),
            limits=limits,
            headers={"Accept": "application/json", "User-Agent": USER_AGENT},
            # A scope other than ANY is checked at connect time, and no proxy may bypass it.
            transport=transport_for(address_scope, limits, transport),
            trust_env=address_scope is AddressScope.ANY,
            verify=_verifies_tls(self.base_url, address_scope),
            follow_redirects=False,
        )

    @property
    def origin(self) -> str:
        """The server as a cache key part: its URL, and the address scope when it is guarded.

        An answer fetched for a viewer who may reach any address is never served, from a
        cache, to one who may reach only public ones (or the other way round).
        """
        if self.address_scope is AddressScope.ANY:
            return self.base_url
        return f"{self.base_url} [{self.address_scope.value}]"

    @observed_lookup
    def lookup(
        self, token: str, task_id: str, kind: str = DEFAULT_KIND, *, meter: Meter | None = None
    ) -> Task:
        """The state of one task; a failed lookup comes back as a ``lookup_error`` Task."""
        task_kind = get_kind(kind)
        if not is_task_id(task_id):
            return invalid_id(task_id, task_kind.key)
        task_id = task_id.lower()
        try:
            return self._detail_of(token, task_kind, task_id, meter)
        except LookupFailed as exc:
            return exc.row(task_id, task_kind.key)
        except Exception as exc:  # one bad answer must never break the batch
            unexpected = BadAnswer(f"answer could not be read ({type(exc).__name__})")
            return unexpected.row(task_id, task_kind.key)

    def lookup_many(
        self,
        token: str,
        task_ids: Sequence[str],
        kind: str = DEFAULT_KIND,
        *,
        meter: Meter | None = None,
    ) -> list[Task]:
        """The state of many tasks, looked up concurrently, in input order."""
        results: dict[str, Task] = dict(self.iter_lookups(token, task_ids, kind, meter=meter))
        return [
            results[task_id.lower() if is_task_id(task_id) else task_id] for task_id in task_ids
        ]

    def iter_lookups(
        self,
        token: str,
        task_ids: Iterable[str],
        kind: str = DEFAULT_KIND,
        *,
        meter: Meter | None = None,
        exact: bool = True,
    ) -> Iterator[tuple[str, Task]]:
        """``(id, Task)`` pairs as each lookup finishes; each distinct id is asked once.

        Two or more ids of a kind with a batch call go in batches (see the module docstring).
        ``exact=False`` (Auto's search) leaves an id a batch did not hold *omitted*
        (``a2e.api.batch_read``) instead of asking its detail call.
        """
        unique = list(dict.fromkeys(_key(task_id) for task_id in task_ids))
        valid = [task_id for task_id in unique if is_task_id(task_id)]
        task_kind = get_kind(kind)
        size = batch_size(task_kind, self.settings.batch_size)
        if size < 2 or len(valid) < 2:
            yield from self._one_at_a_time(token, unique, kind, meter)
            return
        for task_id in unique:
            if not is_task_id(task_id):
                yield task_id, invalid_id(task_id, task_kind.key)
        calls = self._batch_calls(token, task_kind, size, len(valid), meter, exact)
        yield from batched_lookups(calls, valid)

    def calls_to_ask(self, kind: str, ids: int, *, exact: bool = True) -> int:
        """At most how many requests asking ``ids`` ids of ``kind`` sends now (retries aside)."""
        task_kind = get_kind(kind)
        alone = ids * len(task_kind.detail_calls)
        size = batch_size(task_kind, self.settings.batch_size)
        if size < 2 or ids < 2:
            return alone
        if self.batches.mode(task_kind.key) is BatchMode.SINGLE:
            return alone if exact else 0
        return -(-ids // size) + (alone if exact else 0)

    def _one_at_a_time(
        self, token: str, unique: list[str], kind: str, meter: Meter | None
    ) -> Iterator[tuple[str, Task]]:
        if not unique:
            return
        workers = min(max(1, self.settings.concurrency), len(unique))
        breaker = UnreachableServerBreaker(threshold=workers)

        def guarded_lookup(task_id: str) -> Task:
            if breaker.is_open:
                return breaker.skipped(task_id, kind)
            return breaker.record(self.lookup(token, task_id, kind, meter=meter))

        pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="a2e-lookup")
        finished = False
        try:
            futures: dict[Future[Task], str] = {
                pool.submit(guarded_lookup, task_id): task_id for task_id in unique
            }
            for future in as_completed(futures):
                yield futures[future], future.result()
            finished = True
        finally:  # a caller that stops early (Ctrl+C) waits for nothing more
            pool.shutdown(wait=finished, cancel_futures=True)

    def _batch_calls(
        self, token: str, kind: TaskKind, size: int, ids: int, meter: Meter | None, exact: bool
    ) -> BatchCalls:
        path = kind.batch_path or ""
        limit = self.settings.max_answer_bytes * max(1, self.settings.batch_answer_factor)

        def ask_batch(task_ids: list[str]) -> Envelope:
            body = {"ids": task_ids}
            return self.settings.retry.call(
                lambda: self._call(token, "POST", path, body, meter, limit=limit)
            )

        return BatchCalls(
            kind=kind,
            size=size,
            workers=min(max(1, self.settings.concurrency), ids),
            ask_batch=ask_batch,
            ask_one=lambda task_id: self.lookup(token, task_id, kind.key, meter=meter),
            support=self.batches,
            exact=exact,
            on_foreign=self._foreign_log,
        )

    def remaining_coins(self, token: str, *, meter: Meter | None = None) -> float:
        """The account's coin balance; raises ``LookupFailed`` (e.g. ``TokenRejected``)."""
        envelope = self._call(token, "GET", "/api/v1/user/remainingCoins", None, meter)
        data = envelope.data
        coins = number(data.get("coins")) if isinstance(data, dict) else None
        if coins is None:
            raise BadAnswer("answer had no coin balance", trace_id=envelope.trace_id)
        return coins

    def list_tasks(
        self,
        token: str,
        kind: str = DEFAULT_KIND,
        page: int = 1,
        size: int = DEFAULT_PAGE_SIZE,
        status: str | None = None,
        *,
        meter: Meter | None = None,
    ) -> TaskPage:
        """One page (1-based) of the account's tasks of ``kind``; raises ``LookupFailed``.

        ``status`` asks the server for one outcome's tasks where the kind's list can filter
        (``TaskPage.status`` says whether it did); elsewhere the whole list is asked.
        """
        task_kind = get_kind(kind)
        path = list_call(task_kind, page, size, status)
        answer = self.settings.retry.call(
            lambda: self._call(token, "GET", path, None, meter, read_list)
        )
        applied = status if server_status(task_kind, status) else None
        return task_page(task_kind, page, size, answer, applied)

    def credits_history(
        self,
        token: str,
        page: int,
        start: datetime,
        end: datetime,
        size: int = CREDITS_PAGE_SIZE,
        *,
        meter: Meter | None = None,
    ) -> CreditPage:
        """One page (1-based) of the account's credits history from ``start`` to ``end`` (see
        ``a2e.api.credits``); raises ``LookupFailed``."""
        path = credits_call(page, size, start, end)
        answer = self.settings.retry.call(
            lambda: self._call(token, "GET", path, None, meter, read_list)
        )
        return credit_page(answer)

    def avg_processing_time(
        self, token: str, kind: str = DEFAULT_KIND, *, meter: Meter | None = None
    ) -> float | None:
        """The kind's average processing time in seconds (see ``a2e.api.lists``), if known."""
        path = get_kind(kind).avg_time_path
        if path is None:
            return None
        answer = self.settings.retry.call(
            lambda: self._call(token, "GET", path, None, meter, read_avg)
        )
        return avg_seconds(answer.data)

    def mark_downloaded(self, token: str, task_id: str, kind: str = DEFAULT_KIND) -> None:
        """Tell A2E the task's result was downloaded (``markDownloaded``); raises
        ``LookupFailed``, or ``ValueError`` for a kind without the call or a bad id."""
        path = get_kind(kind).mark_downloaded_path
        if path is None or not is_task_id(task_id):
            raise ValueError("no markDownloaded call is known for this task")
        call = path.format(id=task_id.lower())
        self.settings.retry.call(lambda: self._call(token, "POST", call, {}, None))

    def _detail_of(self, token: str, kind: TaskKind, task_id: str, meter: Meter | None) -> Task:
        """The kind's detail call; when it says "not found", each older call in turn."""
        *newer, oldest = kind.detail_calls
        for call in newer:
            try:
                return self._ask_detail(token, kind, call, task_id, meter)
            except TaskNotFound:
                continue
        return self._ask_detail(token, kind, oldest, task_id, meter)

    def _ask_detail(
        self, token: str, kind: TaskKind, call: DetailCall, task_id: str, meter: Meter | None
    ) -> Task:
        path, body = call.target(task_id), call.body(task_id)
        answer = self.settings.retry.call(lambda: self._call(token, call.method, path, body, meter))
        return task_from_data(kind, task_id, answer.data, answer.trace_id)

    def _call(
        self,
        token: str,
        method: str,
        path: str,
        body: object,
        meter: Meter | None,
        read: AnswerReader = read_answer,
        *,
        limit: int | None = None,
    ) -> Envelope:
        """One HTTP request (charged to ``meter`` first: one request, one call); its answer
        at most ``limit`` bytes (default: ``max_answer_bytes``)."""
        headers = {"Authorization": f"Bearer {check_token(token)}"}
        if meter is not None:
            meter.charge()
        with (
            translate_httpx_errors(self.settings.timeout, f"server {self.base_url}"),
            self._http.stream(method, path, json=body, headers=headers) as response,
        ):
            # The answer's body gets one timeout too, however slowly a server drips it.
            deadline = time.monotonic() + self.settings.timeout
            content = read_capped(response, limit or self.settings.max_answer_bytes, deadline)
            retry_after = retry_after_seconds(response.headers.get("Retry-After"))
        if time.monotonic() > deadline:
            raise timed_out(self.settings.timeout)
        try:
            return read(response.status_code, content, retry_after)
        except TokenRejected:
            if meter is not None:
                meter.token_rejected()
            raise


def _verifies_tls(base_url: str, scope: AddressScope) -> bool:
    """Whether the client loads certificates: always, unless it can make no TLS connection.

    A plain-http server, with no proxy from the environment, is all such a client ever talks to
    (redirects are not followed): loading the certificate store would only cost start-up time
    (about 50 ms of a command line's). A guarded scope brings its own transport and context.
    """
    plain = base_url.startswith("http://") and not urllib.request.getproxies()
    return not (plain and scope is AddressScope.ANY)


def _key(task_id: str) -> str:
    return task_id.lower() if is_task_id(task_id) else task_id
