"""What the watcher tests share: real receivers on loopback, a watcher run in a thread or a
process, and waiting for what a receiver got (never sleeping a fixed time)."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from standardwebhooks.webhooks import Webhook

from a2e.sandbox import Emulator
from tests.conftest import FAST_RETRIES

ROOT = Path(__file__).resolve().parents[1]
SECRET = "whsec_" + base64.b64encode(b"a2e-watch-test-secret-0123456789").decode()


@dataclass
class Received:
    """One request a receiver got: its path, headers (lower-case) and body."""

    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    """An HTTP receiver on a free loopback port: records each POST, answers ``statuses`` in
    turn (then ``status``), may hold its first ``hold_first`` answers ``hold`` seconds each,
    and may go down (``stop``) and up again on the same port (``start``)."""

    status: int = 200
    statuses: list[int] = field(default_factory=list)
    hold: float = 0.0
    hold_first: int = 0
    got: list[Received] = field(default_factory=list)
    port: int = 0
    _server: ThreadingHTTPServer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> Receiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                headers = {k.lower(): v for k, v in self.headers.items()}
                with receiver._lock:
                    receiver.got.append(Received(self.path, headers, body))
                    status = receiver.statuses.pop(0) if receiver.statuses else receiver.status
                    held = receiver.hold_first > 0
                    receiver.hold_first = max(0, receiver.hold_first - 1)
                if held:
                    time.sleep(receiver.hold)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        server.daemon_threads = True
        self.port = server.server_address[1]
        self._server = server
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def json_url(self) -> str:
        return f"json://127.0.0.1:{self.port}/notify"

    @property
    def webhook_url(self) -> str:
        return f"webhook+http://127.0.0.1:{self.port}/hooks"

    def bodies(self) -> list[Any]:
        with self._lock:
            return [request.json() for request in self.got]

    def verified(self, secret: str = SECRET) -> list[tuple[str, Any]]:
        """``(webhook-id, payload)`` of each request, each signature checked by the library."""
        with self._lock:
            got = list(self.got)
        return [(r.headers["webhook-id"], Webhook(secret).verify(r.body, r.headers)) for r in got]


def state_number(state: Path, sql: str) -> int:
    """One number read from a watcher's state (e.g. how many announcements were delivered)."""
    from a2e.watch.db import open_state

    connection = open_state(state)
    try:
        return int(connection.execute(sql).fetchone()[0])
    finally:
        connection.close()


def wait_for(check: Callable[[], bool], timeout: float = 30.0, what: str = "condition") -> None:
    """Wait until ``check()`` holds, polling; fail the test with ``what`` after ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def watch_process(
    emulator: Emulator, state: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.Popen[str]:
    """``python -m a2e watch`` as a process of its own, against ``emulator``."""
    environment = {
        **os.environ,
        "A2E_API_TOKEN": emulator.token,
        "A2E_NOTIFY_WEBHOOK_SECRET": SECRET,
        **(env or {}),
    }
    command = [sys.executable, "-m", "a2e", "watch", "--base-url", emulator.base_url]
    return subprocess.Popen(
        [*command, "--state", str(state), *args],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@dataclass
class ThreadedWatcher:
    """A started watcher running its loop in a thread until ``stop``."""

    watcher: Any
    stopping: threading.Event = field(default_factory=threading.Event)
    thread: threading.Thread | None = None
    exit_code: int | None = None

    def start(self) -> ThreadedWatcher:
        self.watcher.start()

        def run() -> None:
            self.exit_code = self.watcher.run(self.stopping)

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        if self.thread is not None:
            self.thread.join(timeout=30)
        self.watcher.stop()


@contextmanager
def started(watcher: Any) -> Iterator[Any]:
    """The watcher started (its state locked, its couriers running) until the block ends."""
    watcher.start()
    try:
        yield watcher
    finally:
        watcher.stop()


def run_until_done(watcher: Any) -> int:
    """Start the watcher, run it until it is done (``--until-done``); its exit status."""
    with started(watcher):
        return int(watcher.run(threading.Event()))


__all__ = [
    "FAST_RETRIES",
    "SECRET",
    "Receiver",
    "run_until_done",
    "started",
    "wait_for",
    "watch_process",
]
