"""Benchmark: the watcher's calls per interval, and how fast a burst of finishes goes out.

    .venv/bin/python -m bench.watch [--kinds 20] [--running 500] [--finishing 1000]

1. Following up to ``--kinds`` listable kinds (every listable kind the registry has, if fewer)
   with ``--running`` running tasks spread over them, each kind's running tasks behind 100
   newer finished ones (so the lists do not show them and they must be looked up; the
   emulator's own demo tasks add one more running image-to-video task): list calls
   per kind and status calls per interval, counted from the emulator's request log over three
   intervals after the baseline. Goal: one list call per kind, and for the running tasks one
   ``batchDetail`` call per 100 running ids of a kind that has one (the fetch layer batches
   them; nothing in the watcher changes), one call per id of a kind that has none (AI dubbing,
   voice clone training, Seedance 1.5, avatar video).
2. ``--finishing`` tasks of one kind, running, then all finished before one poll: announcements
   per target (goal: one digest each) and the time from the end of that poll to each target
   receiving it (goal: within 5 s). Targets: a JSON receiver through Apprise and a Standard
   Webhooks receiver, both real HTTP servers on loopback.

The emulator runs in this process on a fake clock (its tasks move only when told).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import Counter
from pathlib import Path

from a2e.api.client import A2EClient
from a2e.core.kinds import KINDS
from a2e.notify.send import signer
from a2e.notify.targets import parse_target
from a2e.sandbox import Emulator
from a2e.views.listing import listable_kinds
from a2e.watch.loop import Watcher, WatchSettings
from tests.watch_support import SECRET, Receiver


class FakeClock:
    """The emulator's clock: one second more for every task added, so lists order them."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def add(emulator: Emulator, clock: FakeClock, kind: str, status: str, name: str) -> str:
    clock.now += 1.0
    return emulator.add_task(kind, status, name=name)


def running_status(kind: str) -> str:
    return "process" if KINDS[kind].data_is_list else "pending"


def final_status(kind: str, failed: bool) -> str:
    words = KINDS[kind].failure_words if failed else KINDS[kind].success_words
    return sorted(words)[0]


def follow(kinds_wanted: int, running: int) -> None:
    clock = FakeClock()
    kinds = listable_kinds()[:kinds_wanted]
    with Emulator(clock=clock) as emulator, tempfile.TemporaryDirectory() as folder:
        for index in range(running):
            kind = kinds[index % len(kinds)]
            add(emulator, clock, kind, running_status(kind), f"Running {index}")
        for kind in kinds:
            for index in range(100):
                add(emulator, clock, kind, final_status(kind, False), f"Newer {index}")
        receiver = Receiver().start()
        watcher = Watcher(
            Path(folder) / "watch.sqlite",
            WatchSettings(kinds=tuple(kinds), interval=30),
            A2EClient(emulator.base_url),
            emulator.token,
            [parse_target(receiver.json_url)],
        ).start()
        try:
            watcher.poll()  # the baseline
            emulator.clear_requests()
            started = time.perf_counter()
            for _ in range(3):
                watcher.poll()
            seconds = (time.perf_counter() - started) / 3
        finally:
            watcher.stop()
            receiver.stop()
        report_calls(emulator, kinds, running, seconds)


def report_calls(emulator: Emulator, kinds: list[str], running: int, seconds: float) -> None:
    list_paths = {KINDS[kind].list_path for kind in kinds}
    per_path = Counter(entry.path for entry in emulator.request_log())
    list_calls = {path: n / 3 for path, n in per_path.items() if path in list_paths}
    status_calls = sum(n for path, n in per_path.items() if path not in list_paths) / 3
    batches = sum(n for path, n in per_path.items() if path.endswith("/batchDetail")) / 3
    print(f"following {len(kinds)} kinds (of {len(KINDS)} in the registry), {running} running")
    print(
        f"  list calls per kind per interval: max {max(list_calls.values()):.1f}, "
        f"total {sum(list_calls.values()):.1f}"
    )
    print(
        f"  status calls per interval: {status_calls:.0f} ({batches:.0f} of them batchDetail, "
        f"{status_calls - batches:.0f} ids asked alone); goal {status_goal(kinds, running)} "
        "(one batch per 100 running ids of a kind, one call per id of a kind without one)"
    )
    print(f"  one poll: {seconds:.2f} s")


def status_goal(kinds: list[str], running: int) -> int:
    """Status calls one poll needs at best (see the module docstring), the demo task's too."""
    per_kind = Counter(kinds[index % len(kinds)] for index in range(running))
    per_kind["image2video"] += 1  # the demo's running task
    batched = sum(-(-n // 100) for kind, n in per_kind.items() if KINDS[kind].batch_path)
    return batched + sum(n for kind, n in per_kind.items() if not KINDS[kind].batch_path)


def burst(finishing: int) -> None:
    clock = FakeClock()
    with Emulator(clock=clock) as emulator, tempfile.TemporaryDirectory() as folder:
        ids = [
            add(emulator, clock, "image2video", "pending", f"Clip {n}") for n in range(finishing)
        ]
        plain, signed = Receiver().start(), Receiver().start()
        watcher = Watcher(
            Path(folder) / "watch.sqlite",
            WatchSettings(kinds=("image2video",), interval=60),
            A2EClient(emulator.base_url),
            emulator.token,
            [parse_target(plain.json_url), parse_target(signed.webhook_url)],
            signer=signer(SECRET),
        ).start()
        try:
            watcher.poll()  # the baseline: all running
            for index, task_id in enumerate(ids):
                failed = index % 10 == 0
                emulator.set_task(task_id, current_status="failed" if failed else "completed")
            started = time.perf_counter()
            report = watcher.poll()
            seen_at = time.perf_counter()
            arrivals = wait_for_arrivals([plain, signed], deadline=seen_at + 30)
        finally:
            watcher.stop()
            plain.stop()
            signed.stop()
    print(
        f"{finishing} tasks finishing before one poll: the poll took {seen_at - started:.2f} s "
        f"and saw {report.finishes} finishes"
    )
    for name, receiver, arrived in zip(
        ("json://", "webhook+"), (plain, signed), arrivals, strict=True
    ):
        after = f"{arrived - seen_at:.2f} s after the poll" if arrived else "not received"
        print(f"  {name} target: {len(receiver.got)} message(s), {after}")
    ((_, digest),) = signed.verified()
    print(
        f"  the signed digest verifies and lists {len(digest['data']['tasks'])} tasks: "
        f"{digest['data']['counts']}"
    )


def wait_for_arrivals(receivers: list[Receiver], deadline: float) -> list[float | None]:
    arrived: list[float | None] = [None] * len(receivers)
    while time.perf_counter() < deadline and None in arrived:
        for index, receiver in enumerate(receivers):
            if arrived[index] is None and receiver.got:
                arrived[index] = time.perf_counter()
        time.sleep(0.01)
    time.sleep(1.0)  # anything more would show as a second message
    return arrived


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kinds", type=int, default=20)
    parser.add_argument("--running", type=int, default=500)
    parser.add_argument("--finishing", type=int, default=1000)
    args = parser.parse_args()
    follow(args.kinds, args.running)
    burst(args.finishing)


if __name__ == "__main__":
    main()
