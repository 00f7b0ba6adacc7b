"""A real ``redis-server`` (Debian's package) on a free loopback port, for the cache's tests.

No persistence, nothing on disk but its working directory; it can be killed and started again
on the same port to test what the dashboard does while Redis is down.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
STARTUP_TIMEOUT = 10.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def require_redis_server() -> None:
    """Skip (or, under CI, fail) when Debian's redis-server is not installed."""
    if Path(REDIS_SERVER).exists():
        return
    message = "redis-server is missing: install Debian's redis-server package"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


class RedisServer:
    """One redis-server process; ``url`` stays the same across ``kill`` and ``start``."""

    def __init__(self, workdir: Path, password: str | None = None) -> None:
        self.port = free_port()
        self.password = password
        self._workdir = workdir
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        auth = f":{self.password}@" if self.password else ""
        return f"redis://{auth}127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        command = [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no", "--dir", str(self._workdir)]
        if self.password:
            command += ["--requirepass", self.password]
        log = (self._workdir / "redis.log").open("ab")
        self._process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        self._wait_until_ready()
        return self

    def kill(self) -> None:
        """Stop it at once (SIGKILL), as a crash or a network cut would."""
        if self._process is not None:
            self._process.kill()
            self._process.wait(timeout=10)
            self._process = None

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
            self._process = None

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            assert self._process is not None
            if self._process.poll() is not None:
                pytest.fail("redis-server exited at start")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as conn:
                    conn.sendall(b"PING\r\n")
                    if conn.recv(64):
                        return
            except OSError:
                time.sleep(0.05)  # the server is starting; nothing to wait on instead
        pytest.fail(f"redis-server did not answer in {STARTUP_TIMEOUT} s")
