"""Run the A2E emulator in the foreground until Ctrl+C: ``python -m a2e.sandbox``."""

from __future__ import annotations

import argparse
import signal
import textwrap
import threading
from collections.abc import Sequence

from a2e.core.kinds import KINDS
from a2e.sandbox.emulator import DEMO_TOKEN, Emulator
from a2e.sandbox.history import DEMO_HISTORY


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line's options."""
    parser = argparse.ArgumentParser(
        prog="python -m a2e.sandbox", description="Run the A2E API emulator with its demo tasks."
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default loopback)")
    parser.add_argument("--port", type=int, default=8765, help="port to bind (0: any free port)")
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
    with emulator:
        print(banner(emulator), flush=True)
        try:
            while not done.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
