"""Run the A2E emulator in the foreground until Ctrl+C: ``python -m a2e.sandbox``.

Exit status: 0 when stopped (Ctrl+C or SIGTERM); 2 when the address cannot be used (a port in
use or out of range, a host that is not this machine's or does not resolve), with one line on
stderr that names it and no traceback; 1 when the HTTP server did not start.
"""

from __future__ import annotations

import argparse
import errno
import signal
import socket
import sys
import textwrap
import threading
from collections.abc import Sequence
from typing import NoReturn

from a2e.core.kinds import KINDS
from a2e.sandbox.emulator import DEMO_TOKEN, Emulator
from a2e.sandbox.history import DEMO_HISTORY
from a2e.sandbox.server import ServerStartFailed

PROG = "python -m a2e.sandbox"


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line's options."""
    parser = argparse.ArgumentParser(
        prog=PROG, description="Run the A2E API emulator with its demo tasks."
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default loopback)")
    parser.add_argument("--port", type=_port, default=8765, help="port to bind (0: any free port)")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to each call")
    parser.add_argument(
        "--history",
        type=int,
        default=DEMO_HISTORY,
        help=f"past image-to-video tasks the demo account has (default {DEMO_HISTORY})",
    )
    parser.add_argument(
        "--auth-failure",
        choices=["http_401", "code_200"],
        default="http_401",
        help="how a wrong token is answered",
    )
    return parser.parse_args(argv)


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port {port} is out of range (0 to 65535)")
    return port


def bind_problem(host: str, port: int, exc: OSError) -> str:
    """One line saying why ``host:port`` cannot be listened on, and which option to change."""
    shown = host if host.isprintable() and host else repr(host)
    if isinstance(exc, socket.gaierror):
        return f"host {shown} is not a known name or address: choose another with --host"
    if exc.errno == errno.EADDRINUSE:
        return f"port {port} is in use: choose another with --port"
    if exc.errno == errno.EACCES:
        return f"port {port} needs privileges this user lacks: choose another with --port"
    reason = exc.strerror or type(exc).__name__
    return f"cannot listen on host {shown} ({reason}): choose another with --host"


def banner(emulator: Emulator) -> str:
    """What to tell a person: where the emulator is, its token, and the demo ids per kind."""
    lines = [
        f"A2E emulator running at {emulator.base_url}",
        f"Token: {emulator.token}",
        "Demo task ids:",
    ]
    for key in KINDS:
        ids = " ".join(emulator.demo_ids(key))
        lines += textwrap.wrap(ids, 100, initial_indent=f"  {key:<16}", subsequent_indent=" " * 18)
    lines.append("Press Ctrl+C to stop.")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    """Run the emulator until interrupted."""
    args = parse_args(argv)
    emulator = Emulator(
        token=DEMO_TOKEN,
        host=args.host,
        port=args.port,
        latency=args.latency,
        auth_failure=args.auth_failure,
        history=max(0, args.history),
    )
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    _start(emulator, args.host, args.port)
    try:
        print(banner(emulator), flush=True)
        while not done.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        emulator.stop()


def _start(emulator: Emulator, host: str, port: int) -> None:
    try:
        emulator.start()
    except OSError as exc:
        _fail(bind_problem(host, port, exc), status=2)
    except ServerStartFailed as exc:
        _fail(str(exc), status=1)


def _fail(message: str, *, status: int) -> NoReturn:
    print(f"{PROG}: {message}", file=sys.stderr)
    sys.exit(status)


if __name__ == "__main__":
    main()
