"""deploy/nginx.conf made runnable on this machine: loopback replicas, a free port, /tmp paths.

The only changes: the upstream hosts (compose service names) become loopback ports, the listen
port and pid file are the test's own, and (when asked) each answer names the replica that
served it, so a test can see that a browser always reaches the same one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from tests.redis_server import free_port

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "deploy" / "nginx.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SERVED_BY = "X-Test-Served-By"


def require_nginx() -> None:
    """Skip without Debian's nginx, but fail under CI (which installs it: scripts/test)."""
    if not Path(NGINX).exists():
        message = "nginx is missing: install Debian's nginx package"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


def local_config(workdir: Path, replica_ports: list[int], *, show_replica: bool = False) -> Path:
    """A copy of deploy/nginx.conf for this machine; returns its path."""
    text = CONFIG.read_text()
    for number, port in enumerate(replica_ports, start=1):
        text = text.replace(f"server app{number}:8501", f"server 127.0.0.1:{port}")
    assert "server app" not in text
    text = text.replace("pid /tmp/nginx.pid;", f"pid {workdir / 'nginx.pid'};")
    text = text.replace("/tmp/nginx-", f"{workdir}/nginx-")
    if show_replica:
        header = f'add_header {SERVED_BY} "$upstream_addr" always;'
        text = text.replace(
            "proxy_pass http://dashboard;", f"proxy_pass http://dashboard; {header}"
        )
    path = workdir / "nginx.conf"
    path.write_text(text)
    return path


def check_config(config: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [NGINX, "-t", "-c", str(config), "-p", str(config.parent)],
        capture_output=True,
        text=True,
    )


class Nginx:
    """nginx in the foreground on a free loopback port, with a config from ``local_config``."""

    def __init__(self, workdir: Path, replica_ports: list[int]) -> None:
        self.port, self.hooks_port = free_port(), free_port()
        config = local_config(workdir, replica_ports, show_replica=True)
        text = config.read_text().replace("listen 8080;", f"listen 127.0.0.1:{self.port};")
        config.write_text(text.replace("listen 8081;", f"listen 127.0.0.1:{self.hooks_port};"))
        self.url = f"http://127.0.0.1:{self.port}"
        self.hooks_url = f"http://127.0.0.1:{self.hooks_port}"
        self._config = config
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> Nginx:
        command = [NGINX, "-c", str(self._config), "-p", str(self._config.parent)]
        self._process = subprocess.Popen(
            [*command, "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                httpx.get(f"{self.url}/_stcore/health", timeout=1)
                return self
            except httpx.HTTPError:
                time.sleep(0.1)  # nginx is starting; nothing to wait on instead
        pytest.fail("nginx did not start")

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            self._process.wait(timeout=10)
            self._process = None
