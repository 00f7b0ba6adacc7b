"""Benchmark the requests a failing server and eager viewers can cause (issue 7, §3).

    .venv/bin/python -m bench.storms [--tasks 500] [--batch-size 100]

Drives the same tick the live fragment runs (``a2e.views.polling.poll_once``) against the
in-process emulator with the production client settings (24 at a time, 3 attempts for a
5xx, ``batchDetail`` calls of ``--batch-size`` ids: ``1`` asks every id alone, as for a kind
without batchDetail), and prints the upstream requests of each scenario:

1. ``--tasks`` running tasks while every answer is a 500: four ticks, then the server
   recovers (the backoff's interval and note after each tick);
2. the same while the server hangs (timeouts of 1 s);
3. ten *Refresh now* clicks by two viewers of 8 running tasks within the floor.
"""

from __future__ import annotations

import argparse
import time

from a2e.api.client import A2EClient, ClientSettings
from a2e.cache.fetch import TaskCache
from a2e.core.model import Task, TaskOutcome
from a2e.sandbox import Emulator, Fault
from a2e.views.board import Board
from a2e.views.polling import REFRESH_NOW_MAX_AGE, poll_once

INTERVAL = 10.0


def running_board(emulator: Emulator, count: int) -> Board:
    """A board of ``count`` tasks the emulator shows as running."""
    ids = tuple(emulator.add_task(status="pending") for _ in range(count))
    board = Board(scope=("emulator", "token", "image2video"), kind="image2video")
    board.show(
        ids, (), [Task(id=i, kind="image2video", outcome=TaskOutcome.IN_PROGRESS) for i in ids]
    )
    return board


def ticks(emulator: Emulator, client: A2EClient, board: Board, count: int, label: str) -> None:
    """Run ``count`` ticks (each as if the interval had passed) and print their requests."""
    for number in range(1, count + 1):
        before, started = emulator.count_requests(), time.monotonic()
        poll_once(TaskCache(), client, emulator.token, board, max_age=0.0)
        made, took = emulator.count_requests() - before, time.monotonic() - started
        note = board.backoff.note(INTERVAL) or f"asking every {INTERVAL:g} s"
        print(f"  {label} tick {number}: {made:5d} requests in {took:4.1f} s; then {note}")


def failing_server(tasks: int, batch_size: int) -> None:
    """Scenario 1: every answer a 500, then recovery."""
    print(f"{tasks} running tasks, every answer HTTP 500 (was 1,500 requests per tick):")
    settings = ClientSettings(batch_size=batch_size)
    with Emulator() as emulator, A2EClient(emulator.base_url, settings=settings) as client:
        board = running_board(emulator, tasks)
        emulator.inject(Fault.SERVER_ERROR)
        ticks(emulator, client, board, 4, "500s")
        emulator.clear_faults()
        ticks(emulator, client, board, 2, "recovered")


def hung_server(tasks: int, batch_size: int) -> None:
    """Scenario 2: every request hangs."""
    print(f"{tasks} running tasks, the server hangs (1 s timeout):")
    settings = ClientSettings(timeout=1.0, batch_size=batch_size)
    with Emulator() as emulator, A2EClient(emulator.base_url, settings=settings) as client:
        board = running_board(emulator, tasks)
        emulator.inject(Fault.HANG)
        ticks(emulator, client, board, 3, "hung")


def refresh_clicks() -> None:
    """Scenario 3: ten clicks by two viewers within the floor."""
    with Emulator() as emulator, A2EClient(emulator.base_url) as client:
        cache = TaskCache()
        viewers = [running_board(emulator, 8)]
        viewers.append(Board(scope=viewers[0].scope, kind="image2video"))
        viewers[1].show(viewers[0].order, (), list(viewers[0].tasks.values()))
        poll_once(cache, client, emulator.token, viewers[0], max_age=REFRESH_NOW_MAX_AGE)
        before = emulator.count_requests()
        for click in range(10):
            poll_once(
                cache, client, emulator.token, viewers[click % 2], max_age=REFRESH_NOW_MAX_AGE
            )
        made = emulator.count_requests() - before
    print(f"10 Refresh-now clicks, 2 viewers, 8 running tasks: {made} requests (was 80)")


def main() -> None:
    """Run the three scenarios and print their figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=500)
    parser.add_argument("--batch-size", type=int, default=ClientSettings.batch_size)
    args = parser.parse_args()
    failing_server(args.tasks, args.batch_size)
    hung_server(args.tasks, args.batch_size)
    refresh_clicks()


if __name__ == "__main__":
    main()
