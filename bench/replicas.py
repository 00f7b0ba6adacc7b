"""Benchmark: upstream requests per running task per refresh interval, 1 vs 2 replicas, with
and without the shared cache (Redis).

    .venv/bin/python -m bench.replicas [--viewers 10] [--tasks 5] [--interval 2] [--intervals 10]

Each replica is its own process with the dashboard's fetch layer built from settings (as
``shared_task_cache`` builds it); its viewers are threads that each run the auto-refresh tick
(``a2e.views.polling.poll_once`` with ``max_age`` = 90% of the interval, as the live fragment
does) once per interval, at their own phase. The emulator (this process) counts the requests.
Redis is Debian's ``redis-server``, started here on a free loopback port. Ideal: each running
task asked once per interval however many replicas and viewers (without Redis, once per
replica); the requests are fewer still, since one ``batchDetail`` call carries them all.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from a2e.sandbox import DEMO_TOKEN, Emulator

ROOT = Path(__file__).resolve().parents[1]
SECRET = "bench-replicas-secret-0123456789"


def replica(job: dict[str, object]) -> None:
    """In a replica process: the viewers' ticks until ``stop_at``."""
    from a2e.api.client import A2EClient
    from a2e.cache.stores import cache_from_settings
    from a2e.views.board import Board
    from a2e.views.polling import DUE_FRACTION, poll_once

    env = {"A2E_CACHE_URL": str(job["cache_url"]), "A2E_CACHE_SECRET": SECRET}
    cache = cache_from_settings(env if job["cache_url"] else {})
    ids = [str(task_id) for task_id in job["ids"]]  # type: ignore[attr-defined]
    interval, stop_at = float(str(job["interval"])), float(str(job["stop_at"]))
    with A2EClient(str(job["base_url"])) as client:

        def viewer(phase: float) -> None:
            board = Board(scope=(client.base_url, "viewer", "image2video"), kind="image2video")
            tasks = cache.fetch(client, DEMO_TOKEN, "image2video", ids, max_age=5)
            board.show(tuple(ids), (), tasks)
            tick = float(str(job["start_at"])) + phase
            while tick < stop_at:
                time.sleep(max(0.0, tick - time.time()))
                poll_once(cache, client, DEMO_TOKEN, board, max_age=interval * DUE_FRACTION)
                tick += interval

        phases = [random.uniform(0, interval) for _ in range(int(str(job["viewers"])))]
        threads = [threading.Thread(target=viewer, args=(phase,)) for phase in phases]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()


def measure(
    emulator: Emulator, cache_url: str, replicas: int, args: argparse.Namespace
) -> tuple[float, float]:
    """Times each running task was asked, and requests sent, per task per interval."""
    ids = [emulator.add_task(status="pending") for _ in range(args.tasks)]
    warm_up = 3.0
    start_at = time.time() + warm_up
    stop_at = start_at + args.interval * args.intervals
    viewers = [args.viewers // replicas + (n < args.viewers % replicas) for n in range(replicas)]
    processes = []
    for count in viewers:
        job = {"cache_url": cache_url, "base_url": emulator.base_url, "ids": ids}
        job |= {"interval": args.interval, "start_at": start_at, "stop_at": stop_at}
        command = [
            sys.executable,
            "-m",
            "bench.replicas",
            "--replica",
            json.dumps(job | {"viewers": count}),
        ]
        processes.append(subprocess.Popen(command, cwd=ROOT))
    time.sleep(max(0.0, start_at - time.time()))
    emulator.clear_requests()
    for process in processes:
        process.wait(timeout=args.interval * args.intervals + 60)
    asked = sum(emulator.count_asked(task_id) for task_id in ids)
    per_task = args.tasks * args.intervals
    return asked / per_task, emulator.count_requests() / per_task


class Redis:
    """Debian's redis-server on a free loopback port, for the benchmark's duration."""

    def __enter__(self) -> str:
        from tests.redis_server import RedisServer

        self._dir = tempfile.TemporaryDirectory()
        self._server = RedisServer(Path(self._dir.name)).start()
        return self._server.url

    def __exit__(self, *exc: object) -> None:
        self._server.stop()
        self._dir.cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--viewers", type=int, default=10)
    parser.add_argument("--tasks", type=int, default=5)
    parser.add_argument("--interval", type=float, default=2.0)
    parser.add_argument("--intervals", type=int, default=10)
    parser.add_argument("--replica", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.replica:
        replica(json.loads(args.replica))
        return
    with Emulator(latency=0.05) as emulator, Redis() as redis_url:
        print(
            f"{args.viewers} viewers, {args.tasks} running tasks, refresh every "
            f"{args.interval:g} s, measured over {args.intervals} intervals"
        )
        for replicas in (1, 2):
            for label, url in (("without Redis", ""), ("with Redis   ", redis_url)):
                asked, sent = measure(emulator, url, replicas, args)
                print(
                    f"  {replicas} replica(s) {label}: each task asked {asked:.2f} times an "
                    f"interval ({sent:.2f} requests per task: batchDetail carries them all)"
                )


if __name__ == "__main__":
    main()
