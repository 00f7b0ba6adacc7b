"""uvicorn serving one ASGI app from a daemon thread, on a loopback socket bound up front.

Binding the socket ourselves means port 0 works (the OS picks a free port) and the port is
known before the first request. uvicorn is told not to touch the process's logging setup.
"""

from __future__ import annotations

import socket
import threading
import time

import uvicorn
from starlette.types import ASGIApp

STARTUP_TIMEOUT_SECONDS = 10.0
GRACEFUL_SHUTDOWN_SECONDS = 1


class ServerStartFailed(RuntimeError):
    """uvicorn did not start accepting connections."""


class BackgroundServer:
    """One uvicorn server in a daemon thread; ``start`` returns once it accepts connections."""

    def __init__(self, app: ASGIApp, host: str, port: int) -> None:
        self._app = app
        self._host = host
        self._port = port
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> int:
        """Start serving; returns the bound port."""
        sock = _bound_socket(self._host, self._port)
        port = int(sock.getsockname()[1])
        self._server = uvicorn.Server(_config(self._app))
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, name="a2e-sandbox", daemon=True
        )
        self._thread.start()
        self._wait_until_started(sock)
        return port

    def stop(self) -> None:
        """Ask uvicorn to exit and wait for its thread (a few seconds at most)."""
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=GRACEFUL_SHUTDOWN_SECONDS + 3)
        self._server, self._thread = None, None

    def _wait_until_started(self, sock: socket.socket) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
        while self._server is not None and not self._server.started:
            if self._thread is None or not self._thread.is_alive() or time.monotonic() > deadline:
                sock.close()
                self.stop()
                raise ServerStartFailed("the emulator's HTTP server did not start")
            time.sleep(0.01)


def _config(app: ASGIApp) -> uvicorn.Config:
    return uvicorn.Config(
        app,
        log_config=None,
        log_level="warning",
        access_log=False,
        lifespan="off",
        ws="none",
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
    )


def _bound_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP, not 0: asyncio turns Nagle off (TCP_NODELAY) only on sockets that say TCP,
    # and with it on, each answer waited ~40 ms for a delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.listen(128)
    return sock
