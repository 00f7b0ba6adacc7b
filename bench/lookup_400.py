"""Benchmark: look up 400 ids against the emulator with 100 ms added latency.

Prints the wall time, the speed-up over one-at-a-time (400 x 100 ms = 40 s), the requests the
emulator received, and whether every id was answered exactly once. Default client settings.

    .venv/bin/python -m bench.lookup_400 [--ids 400] [--latency 0.1] [--concurrency N]
"""

from __future__ import annotations

import argparse
import time
from collections import Counter

from a2e.api.client import A2EClient, ClientSettings
from a2e.core.model import TaskOutcome
from a2e.sandbox import DEMO_TOKEN, Emulator


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ids", type=int, default=400)
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--concurrency", type=int, default=ClientSettings().concurrency)
    args = parser.parse_args()
    with Emulator() as emulator:
        ids = [emulator.add_task(status="completed") for _ in range(args.ids)]
        emulator.latency = args.latency
        emulator.clear_requests()
        settings = ClientSettings(concurrency=args.concurrency)
        with A2EClient(emulator.base_url, settings=settings) as client:
            started = time.perf_counter()
            tasks = client.lookup_many(DEMO_TOKEN, ids)
            elapsed = time.perf_counter() - started
        asked = Counter(request.task_id for request in emulator.requests)
    serial = args.ids * args.latency
    answered = sum(task.outcome is TaskOutcome.COMPLETED for task in tasks)
    print(
        f"ids looked up:        {args.ids} (latency {args.latency * 1000:.0f} ms, "
        f"concurrency {args.concurrency})"
    )
    print(f"wall time:            {elapsed:.2f} s")
    print(f"one-at-a-time:        {serial:.0f} s  -> speed-up {serial / elapsed:.1f}x")
    print(f"requests made:        {sum(asked.values())}")
    print(f"ids answered:         {answered} of {args.ids}")
    print(f"duplicate requests:   {sum(count - 1 for count in asked.values() if count > 1)}")


if __name__ == "__main__":
    main()
