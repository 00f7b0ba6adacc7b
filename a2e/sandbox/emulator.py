"""``Emulator``: A2E's status API on loopback, with seeded demo tasks and test controls.

    with Emulator(clock=fake_clock) as emu:
        httpx.get(f"{emu.base_url}/api/v1/userImage2Video/{emu.demo_ids()[0]}",
                  headers={"Authorization": f"Bearer {DEMO_TOKEN}"})

Every control method is safe to call from the test thread while the server answers.
"""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from a2e.core.kinds import DEFAULT_KIND, KINDS
from a2e.sandbox.accounting import ReceivedRequest
from a2e.sandbox.app import create_app
from a2e.sandbox.batch_answers import BatchBehaviour, BatchShape, Refusal
from a2e.sandbox.credits import CreditsShape
from a2e.sandbox.faults import Fault
from a2e.sandbox.list_answers import (
    DEFAULT_AVG_SECONDS,
    AvgShape,
    AvgTime,
    ListContainer,
    ListShape,
    TotalField,
)
from a2e.sandbox.server import BackgroundServer
from a2e.sandbox.state import AuthFailure, SandboxState
from a2e.sandbox.store import Clock, TaskStore

DEMO_TOKEN = "sk_demo_5f3c9a1e7b2d4c8e9a0b1c2d3e4f5a6b"
DEFAULT_MEDIA_DIR = Path(__file__).resolve().parents[2] / "static" / "demo"
DEFAULT_COINS = 2000


class Emulator:
    """A2E's API served by uvicorn from a background thread; also a context manager."""

    def __init__(
        self,
        *,
        token: str = DEMO_TOKEN,
        host: str = "127.0.0.1",
        port: int = 0,
        latency: float = 0.0,
        clock: Clock | None = None,
        now: datetime | None = None,
        seed: int = 0,
        auth_failure: AuthFailure = "http_401",
        media_dir: Path | None = None,
        media_base_url: str | None = None,
        coins: int = DEFAULT_COINS,
        history: int = 0,
        keep_alive: bool = False,
        kinds: Iterable[str] | None = None,
    ) -> None:
        """``history``: past image-to-video tasks to add (and a share for each demo kind);
        ``keep_alive``: keep starting new demo tasks, so some always run (``live_demo``);
        ``kinds``: an account that uses only these kinds (no demo task or history of others)."""
        anchor = now or datetime.now(UTC)
        store = TaskStore(
            clock or time.monotonic,
            anchor,
            seed,
            coins,
            history,
            keep_alive=keep_alive,
            kinds=kinds,
        )
        self._state = SandboxState(
            store=store,
            token=token,
            media_dir=media_dir or DEFAULT_MEDIA_DIR,
            auth_failure=auth_failure,
            media_base_url=media_base_url,
            latency=latency,
        )
        self._host, self._port = host, port
        self._server: BackgroundServer | None = None
        self._base_url: str | None = None

    def start(self) -> Emulator:
        """Serve on loopback from a daemon thread; returns once it accepts connections."""
        if self._server is not None:
            raise RuntimeError("the emulator is already running")
        self._state.stopping.clear()
        server = BackgroundServer(create_app(self._state), self._host, self._port)
        port = server.start()
        self._server = server
        self._base_url = f"http://{_url_host(self._host)}:{port}"
        return self

    def stop(self) -> None:
        """Stop serving, ending any request held open by a ``HANG`` fault."""
        self._state.stopping.set()
        if self._server is not None:
            self._server.stop()
        self._server, self._base_url = None, None

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """The running server's URL, e.g. ``http://127.0.0.1:54321``."""
        if self._base_url is None:
            raise RuntimeError("the emulator is not running: call start() first")
        return self._base_url

    @property
    def token(self) -> str:
        """The token the emulator accepts."""
        return self._state.token

    @property
    def latency(self) -> float:
        """Seconds added to every API call (awaited, so calls still overlap)."""
        return self._state.latency

    @latency.setter
    def latency(self, seconds: float) -> None:
        self._state.latency = max(0.0, float(seconds))

    @property
    def remaining_coins(self) -> int:
        """The account balance that ``remainingCoins`` answers."""
        return self._state.store.remaining_coins()

    def demo_ids(self, kind_key: str = DEFAULT_KIND) -> list[str]:
        """The seeded task ids of one kind, in a fixed order."""
        return self._state.store.demo_ids(kind_key)

    def live_ids(self) -> list[str]:
        """The live demo's tasks, newest first (empty unless made with ``keep_alive``)."""
        return self._state.store.live_ids()

    def add_task(
        self,
        kind: str = DEFAULT_KIND,
        status: str = "pending",
        *,
        advance: Iterable[tuple[float, str]] = (),
        **fields: object,
    ) -> str:
        """Add a task showing ``status``; ``advance`` lists later ``(seconds, word)`` steps."""
        return self._state.store.add(kind, status, fields, advance)

    def set_task(self, task_id: str, **fields: object) -> None:
        """Override fields (the kind's own names) of a task, and stop it moving on by itself."""
        self._state.store.update(task_id, fields)

    @property
    def requests(self) -> list[ReceivedRequest]:
        """The API calls received so far (not media), as ``(method, path, task_id)``."""
        return self._state.requests.entries()

    def request_log(self) -> list[ReceivedRequest]:
        """The API calls received so far (not media), as ``(method, path, task_id)``."""
        return self._state.requests.entries()

    def count_requests(self, task_id: str | None = None, path: str | None = None) -> int:
        """How many API calls asked about ``task_id`` and/or went to ``path``."""
        return self._state.requests.count(task_id=task_id, path=path)

    def count_asked(self, task_id: str) -> int:
        """How many API calls asked about ``task_id``: its own calls, and the ``batchDetail``
        calls answered that carried it."""
        batches = sum(task_id.lower() in ids for ids in self._state.batches.calls())
        return self.count_requests(task_id=task_id.lower()) + batches

    def clear_requests(self) -> None:
        """Forget the API calls (batch calls' ids too) and media requests received so far."""
        self._state.requests.clear()
        self._state.media_requests.clear()
        self._state.batches.clear()

    def media_log(self) -> list[ReceivedRequest]:
        """The media requests received so far (``/media/...``), as ``(method, path, None)``."""
        return self._state.media_requests.entries()

    def batch_calls(self, kind: str | None = None) -> list[list[str]]:
        """The ids each ``batchDetail`` call asked (of ``kind``, or any), oldest first."""
        return self._state.batches.calls(kind)

    def set_batch(
        self,
        shape: BatchShape = "list",
        *,
        kind: str | None = None,
        missing: Iterable[str] = (),
        foreign: int = 0,
        refuse: Refusal | None = None,
        delay: float = 0.0,
    ) -> None:
        """Answer ``batchDetail`` (of ``kind``, or every kind) in ``shape``, with these faults:
        ``missing`` ids left out, ``foreign`` records not asked for, the call ``refuse``d
        (``not_found``, ``method_not_allowed``, ``html``), ``delay`` seconds slower."""
        behaviour = BatchBehaviour(
            shape, frozenset(i.lower() for i in missing), foreign, refuse, delay
        )
        for key in [kind] if kind else list(KINDS):
            self._state.batch_behaviours[key] = behaviour

    def inject(
        self,
        fault: Fault,
        *,
        task_id: str | None = None,
        times: int | None = None,
        **params: object,
    ) -> None:
        """Make matching API calls misbehave: one task's or all, the next ``times`` or all."""
        self._state.faults.arm(fault, task_id, times, **params)

    def clear_faults(self) -> None:
        """Make every API call behave again, list, average-time and batch answers in their own
        shape (whole lists and repeated rows undone)."""
        self._state.faults.clear()
        self._state.reset_answers()

    def task_ids(self, kind_key: str = DEFAULT_KIND) -> list[str]:
        """Every task id of one kind, newest first: the order its list call pages through."""
        return self._state.store.ids_newest_first(kind_key)

    def set_list_shape(
        self,
        container: ListContainer,
        total: TotalField | None = "count",
        *,
        kind: str | None = None,
        total_as_text: bool = False,
    ) -> None:
        """Answer list calls (of ``kind``, or every kind) with rows in ``container``."""
        shape = ListShape(container, total, total_as_text)
        for key in [kind] if kind else [k.key for k in KINDS.values() if k.can_list]:
            self._state.list_shapes[key] = shape

    def set_avg_time(
        self,
        seconds: float = DEFAULT_AVG_SECONDS,
        shape: AvgShape = "object",
        *,
        kind: str | None = None,
    ) -> None:
        """Answer ``avgProcessingTime`` (of ``kind``, or all) with ``seconds`` in ``shape``."""
        for key in [kind] if kind else list(KINDS):
            self._state.avg_times[key] = AvgTime(seconds, shape)

    def set_credits_shape(self, shape: CreditsShape) -> None:
        """Answer ``creditsHistory`` in ``shape`` (``a2e.sandbox.credits``; ``absent``: 404)."""
        self._state.credits_shape = shape

    @property
    def max_page_size(self) -> int:
        """The most rows a list call answers, whatever page size it asks for (100)."""
        return self._state.max_page_size

    @max_page_size.setter
    def max_page_size(self, rows: int) -> None:
        self._state.max_page_size = max(1, int(rows))

    def send_whole_lists(self, whole: bool = True) -> None:
        """Answer every list call with all the kind's tasks at once, whatever page size it
        asked for (a server that ignores ``pageSize``)."""
        self._state.whole_lists = whole

    def repeat_in_lists(self, task_id: str, copies: int) -> None:
        """List answers that hold ``task_id``'s row hold it ``copies`` times in a row."""
        self._state.repeated_rows[task_id] = copies

    def without_call(self, path: str) -> None:
        """Answer the call at ``path`` (as the registry spells it: ``/api/v1/veoVideo/allRecords``,
        ``/api/v1/veoVideo/{id}``) with Express's 404, as a server without it does, until
        ``clear_faults``."""
        self._state.missing_calls.add(path.replace("{id}", "{task_id}"))

    def run_long(self, task_id: str, seconds: float = 3600.0) -> None:
        """Make a task one that has been running for ``seconds`` and never finishes."""
        self._state.store.run_long(task_id, seconds)


def _url_host(host: str) -> str:
    """The host to put in URLs: loopback for a wildcard bind, brackets around IPv6."""
    try:
        address = ipaddress.ip_address(host or "0.0.0.0")  # noqa: S104 - only read, never bound
    except ValueError:
        return host
    if address.is_unspecified:
        return "[::1]" if address.version == 6 else "127.0.0.1"
    return f"[{address}]" if address.version == 6 else str(address)
