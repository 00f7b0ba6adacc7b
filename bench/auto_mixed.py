"""Benchmark: Auto on 100 new ids of ten mixed kinds, against the same lookup with the kinds given.

    .venv/bin/python -m bench.auto_mixed [--per-kind 10] [--latency 0.05] [--runs 5]

The emulator (its own process's thread, ``--latency`` added to every call) holds ``--per-kind``
finished tasks of each of ten kinds of five families, two of them without a batch call (AI
dubbing, voice clone training); the ids are interleaved. Each run makes new tasks (nothing
cached, no kind seen before: a fresh cache) and times, one right after the other:

- **Auto**: ``fetch_any_kind`` over every kind, as the Lookup page and ``a2e status`` ask;
- **kinds given, one after another**: one lookup per kind with that kind's ids, as a person
  who knows the kinds would run them (the Lookup page or ``a2e status --kind``), in turn;
- **kinds given, all at once**: the same lookups started together (a lower bound nobody gets
  from one page).

It prints the medians, Auto's ratio to each, and the requests each sent (the goal: Auto within
2x the kinds-given lookup, at most 100 + 2 x 34 requests). Then the same Auto against a server
without batchDetail, next to Auto asking every id alone: the same answers, one extra request per
kind with a batch call.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from a2e.api.client import A2EClient, ClientSettings
from a2e.cache.fetch import TaskCache
from a2e.core.kinds import KINDS
from a2e.core.model import Task
from a2e.sandbox import DEMO_TOKEN, Emulator
from a2e.views.auto_kind import fetch_any_kind

MIX = ("veo", "nano_banana", "face_swap", "dubbing", "kling_video", "flux2", "upscale",
       "voice_clone", "head_swap", "thinksound")  # fmt: skip


@dataclass
class Series:
    seconds: list[float] = field(default_factory=list)
    requests: list[int] = field(default_factory=list)

    def median(self) -> float:
        return statistics.median(self.seconds)

    def line(self) -> str:
        return (
            f"{self.median():.2f} s (median of {len(self.seconds)}: {min(self.seconds):.2f}–"
            f"{max(self.seconds):.2f}), {statistics.median(self.requests):.0f} requests"
        )


def new_tasks(emulator: Emulator, per_kind: int) -> dict[str, str]:
    """Id -> kind, interleaved across the kinds of ``MIX``."""
    made = {
        k: [emulator.add_task(kind=k, status="completed") for _ in range(per_kind)] for k in MIX
    }
    return {made[kind][n]: kind for n in range(per_kind) for kind in MIX}


def timed(emulator: Emulator, series: Series, look: Callable[[], list[Task]]) -> list[Task]:
    emulator.clear_requests()
    started = time.perf_counter()
    tasks = look()
    series.seconds.append(time.perf_counter() - started)
    series.requests.append(emulator.count_requests())
    return tasks


def auto(client: A2EClient, ids: list[str]) -> Callable[[], list[Task]]:
    return lambda: fetch_any_kind(TaskCache(), client, DEMO_TOKEN, ids, max_age=0)


def given(client: A2EClient, kinds_of: dict[str, str], at_once: bool) -> Callable[[], list[Task]]:
    groups = {kind: [i for i, k in kinds_of.items() if k == kind] for kind in MIX}
    cache = TaskCache()

    def one(kind: str) -> list[Task]:
        return cache.fetch(client, DEMO_TOKEN, kind, groups[kind], max_age=0)

    def look() -> list[Task]:
        if not at_once:
            return [task for kind in MIX for task in one(kind)]
        with ThreadPoolExecutor(len(MIX)) as pool:
            return [task for tasks in pool.map(one, MIX) for task in tasks]

    return look


def compare(args: argparse.Namespace) -> None:
    runs = {name: Series() for name in ("auto", "one after another", "all at once")}
    found_all = True
    emulator = Emulator(kinds=[], latency=args.latency)
    with emulator, A2EClient(emulator.base_url) as warm:
        warm_up(emulator, warm)  # each kind's batch call known to work, as in a running process
        for _ in range(args.runs):
            kinds_of = new_tasks(emulator, args.per_kind)
            tasks = timed(emulator, runs["auto"], auto(warm, list(kinds_of)))
            found_all &= [t.kind for t in tasks] == list(kinds_of.values())
            timed(emulator, runs["one after another"], given(warm, kinds_of, False))
            timed(emulator, runs["all at once"], given(warm, kinds_of, True))
    ids = args.per_kind * len(MIX)
    print(f"{ids} ids, {len(MIX)} kinds ({', '.join(MIX)}), {args.latency * 1000:.0f} ms latency")
    for name, series in runs.items():
        print(f"  {name:<20} {series.line()}")
    print(f"  every id found as its kind: {found_all}")
    for name in ("one after another", "all at once"):
        ratio = statistics.median(
            a / b for a, b in zip(runs["auto"].seconds, runs[name].seconds, strict=True)
        )
        print(f"  Auto / kinds given {name}: {ratio:.2f}x (median of the runs' ratios)")
    print(f"  Auto's requests: at most {ids} + 2 x {len(KINDS)} = {ids + 2 * len(KINDS)} allowed")


def warm_up(emulator: Emulator, client: A2EClient) -> None:
    """Every kind's batch call asked once, as a process that has looked anything up has."""
    for kind in KINDS.values():
        if kind.batch_path is not None:
            ids = [emulator.add_task(kind=kind.key) for _ in range(2)]
            client.lookup_many(DEMO_TOKEN, ids, kind.key)


def without_batches(args: argparse.Namespace) -> None:
    answers, requests = {}, {}
    for size in (1, 100):
        with Emulator(kinds=[], seed=3) as emulator:
            kinds_of = new_tasks(emulator, args.per_kind)
            if size > 1:
                for kind in KINDS.values():
                    if kind.batch_path is not None:
                        emulator.without_call(kind.batch_path)
            emulator.clear_requests()
            settings = ClientSettings(batch_size=size)
            with A2EClient(emulator.base_url, settings=settings) as client:
                tasks = auto(client, list(kinds_of))()
            answers[size] = [(t.id, t.kind, t.outcome, t.error) for t in tasks]
            requests[size] = emulator.count_requests()
    extra = requests[100] - requests[1]
    batch_kinds = sum(kind.batch_path is not None for kind in KINDS.values())
    print("a server without batchDetail (Auto, no latency):")
    print(f"  ids asked alone (as before): {requests[1]} requests")
    print(f"  batches tried, refused:      {requests[100]} requests ({extra} extra; ", end="")
    print(f"{batch_kinds} kinds have a batch call)")
    print(f"  same answers: {answers[1] == answers[100]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-kind", type=int, default=10)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    compare(args)
    without_batches(args)


if __name__ == "__main__":
    main()
