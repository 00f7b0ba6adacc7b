"""Benchmark the dashboard: a rerun of the lookup page with 1,000 cached tasks, and the
requests made by 10 auto-refresh ticks over 1,000 tasks of which 200 are running.

    .venv/bin/python -m bench.dashboard [--tasks 1000] [--reruns 10] [--running 200]

Part 1 runs the real lookup page with Streamlit's AppTest (server token pointing at the
emulator); the time printed is AppTest's whole rerun, an upper bound of the script's time.
Part 2 drives the same tick the live fragment runs (``a2e.views.polling.poll_once`` through the
shared ``TaskCache``), with the cache's clock advanced one interval per tick; the running
tasks finish upstream after tick 5. With batchDetail the goal is at most 3 requests a tick.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

from a2e.api.client import A2EClient
from a2e.cache.fetch import TaskCache, token_fingerprint
from a2e.sandbox import DEMO_TOKEN, Emulator
from a2e.views.board import Board
from a2e.views.polling import poll_once
from tests.apptest_support import entry_point_navigation_remembered

ROOT = Path(__file__).resolve().parents[1]
INTERVAL = 10.0


def page_rerun_times(emulator: Emulator, ids: list[str], reruns: int) -> tuple[float, list[float]]:
    with entry_point_navigation_remembered():
        return _rerun_times(emulator, ids, reruns)


def _rerun_times(emulator: Emulator, ids: list[str], reruns: int) -> tuple[float, list[float]]:
    from streamlit.testing.v1 import AppTest

    os.environ["A2E_BASE_URL"] = emulator.base_url
    os.environ["A2E_API_TOKEN"] = DEMO_TOKEN
    # AppTest has no network peer: its viewer is a stranger, who gets the token only so.
    os.environ["A2E_SERVER_TOKEN_FOR"] = "anyone"
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    app.query_params["ids"] = ",".join(ids)
    app.query_params["kind"] = "image2video"
    started = time.perf_counter()
    app.run()
    first = time.perf_counter() - started
    assert not app.exception, app.exception
    assert len(app.dataframe[0].value) == len(ids)
    times = []
    for _ in range(reruns):
        started = time.perf_counter()
        app.run()
        times.append(time.perf_counter() - started)
    return first, times


class TickClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def tick_requests(emulator: Emulator, done: list[str], running: list[str]) -> list[int]:
    clock = TickClock()
    cache = TaskCache(clock=clock)
    with A2EClient(emulator.base_url) as client:
        ids = done + running
        board = Board(
            scope=(client.base_url, token_fingerprint(DEMO_TOKEN), "image2video"),
            kind="image2video",
        )
        board.show(tuple(ids), (), cache.fetch(client, DEMO_TOKEN, "image2video", ids, max_age=0))
        per_tick = []
        for tick in range(1, 11):
            if tick == 6:
                for task_id in running:
                    emulator.set_task(task_id, current_status="completed")
            clock.now += INTERVAL
            emulator.clear_requests()
            poll_once(cache, client, DEMO_TOKEN, board, max_age=INTERVAL)
            per_tick.append(len(emulator.requests))
    return per_tick


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=1000)
    parser.add_argument("--reruns", type=int, default=10)
    parser.add_argument("--running", type=int, default=200)
    args = parser.parse_args()
    with Emulator() as emulator:
        done = [emulator.add_task(status="completed", name=f"Task {n}") for n in range(args.tasks)]
        first, times = page_rerun_times(emulator, done, args.reruns)
        print(f"lookup page, {args.tasks} tasks: first run (fetching) {first * 1000:.0f} ms")
        print(
            f"  rerun with every task cached: median {statistics.median(times) * 1000:.0f} ms, "
            f"max {max(times) * 1000:.0f} ms over {args.reruns} reruns (goal < 300 ms)"
        )
        finished = done[: args.tasks - args.running]
        running = [emulator.add_task(status="pending") for _ in range(args.running)]
        per_tick = tick_requests(emulator, finished, running)
        print(
            f"auto-refresh, {args.tasks} tasks of which {args.running} running (finish after "
            f"tick 5), interval {INTERVAL:.0f} s:"
        )
        print(f"  requests per tick: {per_tick} (goal: at most 3, then 0)")


if __name__ == "__main__":
    main()
