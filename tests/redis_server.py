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
import redis

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

    def __init__(self, workdir: Path, password: str | None = None, *, tls: bool = False) -> None:
        self.port = free_port()
        self.password = password
        self._workdir = workdir
        self._tls = tls
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        auth = f":{self.password}@" if self.password else ""
        if self._tls:
            return f"rediss://{auth}127.0.0.1:{self.port}/0?ssl_ca_certs={self._cert}"
        return f"redis://{auth}127.0.0.1:{self.port}/0"

    @property
    def _cert(self) -> Path:
        return self._workdir / "redis.crt"

    def start(self) -> RedisServer:
        ports = ["--port", str(self.port)]
        if self._tls:
            ports = ["--port", "0", "--tls-port", str(self.port), *self._tls_options()]
        command = [REDIS_SERVER, *ports, "--bind", "127.0.0.1"]
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

    def _tls_options(self) -> list[str]:
        """A self-signed certificate for 127.0.0.1 (made once), and the options to serve it."""
        key = self._workdir / "redis.key"
        if not self._cert.exists():
            request = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
            names = ["-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"]
            files = ["-keyout", str(key), "-out", str(self._cert)]
            subprocess.run([*request, *names, *files], check=True, capture_output=True)
        files = ["--tls-cert-file", str(self._cert), "--tls-key-file", str(key)]
        return [*files, "--tls-ca-cert-file", str(self._cert), "--tls-auth-clients", "no"]

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            assert self._process is not None
            if self._process.poll() is not None:
                pytest.fail("redis-server exited at start")
            try:
                with redis.Redis.from_url(self.url, socket_timeout=0.5) as client:
                    client.ping()
                    return
            except redis.RedisError:
                time.sleep(0.05)  # the server is starting; nothing to wait on instead
        pytest.fail(f"redis-server did not answer in {STARTUP_TIMEOUT} s")


def assert_one_outage_logged(text_log: list[str], full_log: str, *, never: tuple[str, ...]) -> None:
    """Exactly two warnings (down, then back) and none of the ``never`` strings in the log."""
    assert len(text_log) == 2, text_log
    assert "unavailable" in text_log[0]
    assert "reachable again" in text_log[1]
    for secret in never:
        assert secret not in full_log
