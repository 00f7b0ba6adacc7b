"""Benchmark: the command line as a person runs it, in a subprocess of its own.

1. ``python -m a2e --help``: the start-up, run ``--runs`` times (min and median);
2. ``python -m a2e status`` with 400 ids against a server at 100 ms latency, in a process of
   its own (so the command's threads never wait for its GIL): wall time of the whole command,
   start-up included, and the speed-up over one lookup at a time (400 x 100 ms = 40 s). The
   server is ``bench.stand_in`` (fast enough never to be the limit) unless ``--server
   emulator`` asks for the project's emulator (about 1 ms a request of its own, which
   stretches each wave of 24). Runs alternate with the start-up runs (interleaved).

``--compare DIR`` runs the same commands from another checkout too (``python -m a2e`` in
``DIR``, e.g. ``/work/main``), interleaved with this one's, and prints both.

    .venv/bin/python -m bench.cli_start [--ids 400] [--latency 0.1] [--runs 10] [--batches 3]
                                        [--compare DIR] [--server stand-in|emulator]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import secrets
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

from a2e.sandbox import DEMO_TOKEN, Emulator
from bench.stand_in import StandIn


def serve(ids: int, latency: float, pipe: Connection) -> None:
    """The emulator's process: ``ids`` completed tasks, then serve until told to stop."""
    with Emulator() as emulator:
        task_ids = [emulator.add_task(status="completed") for _ in range(ids)]
        emulator.latency = latency
        pipe.send((emulator.base_url, task_ids))
        pipe.recv()
        pipe.send(len(emulator.requests))


@dataclass
class Checkout:
    """One copy of the code, and what its commands took."""

    path: Path
    help_times: list[float] = field(default_factory=list)
    batch_times: list[float] = field(default_factory=list)
    answered: int = 0

    def timed(self, arguments: list[str], env: dict[str, str]) -> tuple[float, str]:
        command = [sys.executable, "-m", "a2e", *arguments]
        started = time.perf_counter()
        done = subprocess.run(
            command, env=env, cwd=self.path, capture_output=True, text=True, check=False
        )
        return time.perf_counter() - started, done.stdout

    def report(self, ids: int, latency: float) -> None:
        serial = ids * latency
        best, median = min(self.batch_times), statistics.median(self.batch_times)
        print(f"{self.path}")
        print(
            f"  python -m a2e --help:  min {min(self.help_times):.3f} s, median "
            f"{statistics.median(self.help_times):.3f} s over {len(self.help_times)} runs"
        )
        print(
            f"  status, {ids} ids:     {best:.2f} s best, {median:.2f} s median over "
            f"{len(self.batch_times)} runs (latency {latency * 1000:.0f} ms, start-up included)"
        )
        print(
            f"  vs one at a time ({serial:.0f} s): {serial / best:.1f}x best, "
            f"{serial / median:.1f}x median; answered {self.answered} of {ids} (last run)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ids", type=int, default=400)
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--batches", type=int, default=3)
    parser.add_argument("--compare", type=Path, action="append", default=[])
    parser.add_argument("--server", choices=["stand-in", "emulator"], default="stand-in")
    args = parser.parse_args()
    checkouts = [Checkout(Path(__file__).resolve().parents[1])]
    checkouts += [Checkout(path.resolve()) for path in args.compare]
    if args.server == "emulator":
        ours, theirs = multiprocessing.Pipe()
        server = multiprocessing.Process(target=serve, args=(args.ids, args.latency, theirs))
        server.start()
        base_url, task_ids = ours.recv()
        try:
            run(checkouts, args, base_url, task_ids)
        finally:
            ours.send("stop")
            requests = ours.recv()
            server.join(timeout=10)
    else:
        task_ids = [secrets.token_hex(12) for _ in range(args.ids)]
        with StandIn(args.latency) as stand_in:
            run(checkouts, args, stand_in.base_url, task_ids)
        requests = stand_in.requests
    print(f"server: {args.server}, {args.latency * 1000:.0f} ms latency")
    for checkout in checkouts:
        checkout.report(args.ids, args.latency)
    print(f"requests the server received in all: {requests}")


def run(
    checkouts: list[Checkout], args: argparse.Namespace, base_url: str, task_ids: list[str]
) -> None:
    """The start-up and batch runs, interleaved over the checkouts."""
    env = {**os.environ, "A2E_API_TOKEN": DEMO_TOKEN, "A2E_BASE_URL": base_url}
    for number in range(max(args.runs, args.batches)):
        for checkout in checkouts:
            if number < args.runs:
                checkout.help_times.append(checkout.timed(["--help"], env)[0])
            if number < args.batches:
                elapsed, out = checkout.timed(["status", "--json", *task_ids], env)
                checkout.batch_times.append(elapsed)
                checkout.answered = out.count('"outcome": "completed"')


if __name__ == "__main__":
    main()
