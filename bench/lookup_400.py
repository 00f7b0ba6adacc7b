"""Benchmark: the command line looks up 400 ids against the emulator with 100 ms added latency.

Prints, for ``python -m a2e status --kind image2video --json ID…`` run in this process (Click's
runner: the interpreter's start is not counted), the wall time, the speed-up over one at a time
(400 x 100 ms = 40 s), the requests the emulator received and whether every id was answered
exactly once; then the same with ids asked alone (``A2E_BATCH_SIZE=1``: every id one request,
as before batches), and against a server that has no batchDetail at all (compared with asking
its ids alone: the same answers, one extra request). Interleaved, ``--runs`` times each; medians.

    .venv/bin/python -m bench.lookup_400 [--ids 400] [--latency 0.1] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from click.testing import CliRunner

from a2e.cli.status import status
from a2e.core.kinds import KINDS
from a2e.sandbox import DEMO_TOKEN, Emulator

KIND = "image2video"
BATCH_PATH = KINDS[KIND].batch_path or ""


@dataclass
class Runs:
    """One way of asking, measured several times."""

    seconds: list[float] = field(default_factory=list)
    requests: list[int] = field(default_factory=list)
    answers: list[list[tuple[str, str]]] = field(default_factory=list)

    def line(self, serial: float) -> str:
        median = statistics.median(self.seconds)
        return (
            f"{median:.2f} s (median of {len(self.seconds)}: "
            f"{min(self.seconds):.2f}–{max(self.seconds):.2f}), {serial / median:.1f}x one at a "
            f"time; {statistics.median(self.requests):.0f} requests"
        )


@contextmanager
def environment(**settings: str) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in settings}
    os.environ.update(settings)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def run_status(emulator: Emulator, ids: list[str], runs: Runs, batch_size: str) -> None:
    emulator.clear_requests()
    settings = {"A2E_API_TOKEN": DEMO_TOKEN, "A2E_BATCH_SIZE": batch_size}
    with environment(**settings):
        started = time.perf_counter()
        result = CliRunner().invoke(
            status, ["--base-url", emulator.base_url, "--kind", KIND, "--json", *ids]
        )
        runs.seconds.append(time.perf_counter() - started)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    runs.answers.append([(row["id"], row["outcome"]) for row in rows])
    runs.requests.append(emulator.count_requests())


def asked_once(emulator: Emulator, ids: list[str]) -> bool:
    return all(emulator.count_asked(task_id) == 1 for task_id in ids)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ids", type=int, default=400)
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    batched, alone, without, without_alone = Runs(), Runs(), Runs(), Runs()
    once = True
    with Emulator() as emulator, Emulator() as no_batches:
        no_batches.without_call(BATCH_PATH)
        for server in (emulator, no_batches):
            server.latency = args.latency
        for _ in range(args.runs):
            ids = [emulator.add_task(status="completed") for _ in range(args.ids)]
            run_status(emulator, ids, batched, "100")
            once = once and asked_once(emulator, ids)
            run_status(emulator, ids, alone, "1")
            words = ("completed", "failed", "pending", "processing")
            plain = [no_batches.add_task(status=words[n % 4]) for n in range(args.ids)]
            run_status(no_batches, plain, without, "100")
            run_status(no_batches, plain, without_alone, "1")
    serial = args.ids * args.latency
    completed = {outcome for answers in batched.answers for _, outcome in answers}
    print(f"ids looked up:             {args.ids} (latency {args.latency * 1000:.0f} ms)")
    print(f"one at a time:             {serial:.0f} s")
    print(f"with batchDetail:          {batched.line(serial)}")
    print(f"  every id answered once:  {once} (outcomes: {sorted(completed)})")
    print(f"ids asked alone (size 1):  {alone.line(serial)}")
    print(f"server without batchDetail: {without.line(serial)}")
    same = without.answers == without_alone.answers
    print(f"  same answers as alone:   {same} (tasks of four states)")


if __name__ == "__main__":
    main()
