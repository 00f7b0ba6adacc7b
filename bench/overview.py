"""Benchmark: the 30-day overview of an account with 2,000 image-to-video tasks, 50 ms latency.

The emulator runs in its own process (``python -m a2e.sandbox``, so its work does not share
this process's interpreter), with a history making the account's image-to-video list exactly
``--tasks`` long. Each run reads the window with a fresh cache (``read_window``, the caps of
``OVERVIEW_CAPS``: 2,000 tasks / 40 calls, pages of 50), once one page after another and once
with the overview's waves of concurrent pages, then builds the overview. Prints list calls
made, tasks read, seconds to read and seconds to count.

    .venv/bin/python -m bench.overview [--tasks 2000] [--latency 0.05] [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from dataclasses import replace

from a2e.api.client import A2EClient
from a2e.cache.fetch import TaskCache
from a2e.sandbox import DEMO_TOKEN, Emulator
from a2e.views.eta import typical_run
from a2e.views.overview import OVERVIEW_CAPS, WINDOWS, build_overview, read_window

SEEDED = len(Emulator().demo_ids())


def start_emulator(tasks: int, latency: float) -> tuple[subprocess.Popen[str], str]:
    """The emulator in a process of its own, and its base URL."""
    command = [sys.executable, "-m", "a2e.sandbox", "--port", "0", "--latency", str(latency)]
    command += ["--history", str(tasks - SEEDED)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    first_line = process.stdout.readline() if process.stdout else ""
    if "running at" not in first_line:
        process.kill()
        raise SystemExit(f"the emulator did not start: {first_line!r}")
    return process, first_line.split()[-1]


def one_run(base_url: str, concurrency: int) -> tuple[int, int, float, float, tuple[str, ...]]:
    """Calls, tasks, seconds reading and seconds counting, and any cut, for one overview."""
    caps = replace(OVERVIEW_CAPS, concurrency=concurrency)
    with A2EClient(base_url) as client:
        started = time.perf_counter()
        read = read_window(
            TaskCache(), client, DEMO_TOKEN, ["image2video"], WINDOWS["30d"], caps=caps
        )
        reading = time.perf_counter() - started
        started = time.perf_counter()
        build_overview(read, typical_run(None, read.tasks))
        counting = time.perf_counter() - started
    return read.calls, len(read.tasks), reading, counting, read.cut_short


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=2000)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    process, base_url = start_emulator(args.tasks, args.latency)
    try:
        print(
            f"account:   {args.tasks:,} image-to-video tasks over 30 days, "
            f"{args.latency * 1000:.0f} ms latency, emulator in its own process"
        )
        for concurrency in (1, OVERVIEW_CAPS.concurrency):
            runs = [one_run(base_url, concurrency) for _ in range(args.runs)]
            calls, tasks, _, _, cut = runs[-1]
            reading = statistics.median(run[2] for run in runs)
            counting = statistics.median(run[3] for run in runs)
            print(
                f"pages at once {concurrency}: {calls} list calls, {tasks:,} tasks, "
                f"read in {reading:.2f} s (median of {args.runs}), overview built in "
                f"{counting * 1000:.0f} ms{'; ' + '; '.join(cut) if cut else ''}"
            )
    finally:
        process.terminate()
        process.wait(timeout=10)


if __name__ == "__main__":
    main()
