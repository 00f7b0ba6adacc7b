"""Benchmark the fetch layer's memory under oversized answers: process RSS growth per lookup.

    .venv/bin/python -m bench.memory [--ids 100 400] [--max-bytes N ...]

The emulator (in this process) answers every id with a record of about 0.9 MB (two URLs of
400 kB, long texts: what a hostile or broken server can send within the 1 MiB answer cap). A
child process, the "dashboard", looks them all up through one ``TaskCache`` with default client
settings, and reports its resident memory (``/proc/self/statm``) before and after (after a
``gc.collect()`` and one more lookup, as the next refresh tick would make), its peak
(``ru_maxrss``), and the bytes the cache says it holds.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import subprocess
import sys
from pathlib import Path

from a2e.sandbox import DEMO_TOKEN, Emulator

ROOT = Path(__file__).resolve().parents[1]
MIB = 1024 * 1024
URL_CHARACTERS = 400_000
TEXT_CHARACTERS = 20_000


def add_oversized_task(emulator: Emulator) -> str:
    """A completed task whose record is about 0.9 MB (URLs and texts far past any cap)."""
    long_path = "v" * URL_CHARACTERS
    text = "a cinematic slow pan across a misty valley " * (TEXT_CHARACTERS // 43)
    return emulator.add_task(
        status="completed",
        name=text,
        prompt=text,
        negative_prompt=text,
        result_url=f"https://cdn.example.com/{long_path}.mp4",
        image_url=f"https://cdn.example.com/{long_path}.png",
    )


def resident_bytes() -> int:
    """This process's resident set size now."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def probe(job: dict[str, object]) -> dict[str, int]:
    """In the child: look every id up through one cache; memory figures as a dict."""
    from a2e.api.client import A2EClient
    from a2e.cache.fetch import TaskCache
    from a2e.cache.memory import MemoryStore

    ids = [str(task_id) for task_id in job["ids"]]  # type: ignore[attr-defined]
    cache = TaskCache(max_bytes=int(str(job["max_bytes"])))
    with A2EClient(str(job["base_url"])) as client:
        cache.fetch(client, DEMO_TOKEN, "image2video", ids[:1], max_age=60)  # warm up
        gc.collect()
        before = resident_bytes()
        tasks = cache.fetch(client, DEMO_TOKEN, "image2video", ids, max_age=60)
        answered = sum(task.outcome.value == "completed" for task in tasks)
        gc.collect()
        holding = resident_bytes()
        del tasks  # what the page holds is the page's business: measure what the cache keeps
        gc.collect()
        cache.fetch(client, DEMO_TOKEN, "image2video", ids[:1], max_age=60)  # the next tick
        after = resident_bytes()
    store = cache.store
    assert isinstance(store, MemoryStore)
    return {
        "answered": answered,
        "rss_before": before,
        "rss_holding": holding,
        "rss_after": after,
        "rss_peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "cache_bytes": store.bytes_used,
        "cache_entries": len(store),
    }


def run_probe(base_url: str, ids: list[str], max_bytes: int) -> dict[str, int]:
    """Run ``probe`` in a fresh child process (so its memory is the lookups' alone)."""
    job = json.dumps({"base_url": base_url, "ids": ids, "max_bytes": max_bytes})
    result = subprocess.run(
        [sys.executable, "-m", "bench.memory", "--probe"],
        input=job,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    return dict(json.loads(result.stdout))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ids", type=int, nargs="+", default=[100, 400])
    parser.add_argument("--max-bytes", type=int, nargs="+", default=[256 * MIB, 32 * MIB])
    parser.add_argument("--probe", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe:
        print(json.dumps(probe(json.loads(sys.stdin.read()))))
        return
    with Emulator() as emulator:
        ids = [add_oversized_task(emulator) for _ in range(max(args.ids))]
        for max_bytes in args.max_bytes:
            for count in args.ids:
                report(count, max_bytes, run_probe(emulator.base_url, ids[:count], max_bytes))


def report(count: int, max_bytes: int, figures: dict[str, int]) -> None:
    growth = (figures["rss_after"] - figures["rss_before"]) / MIB
    print(
        f"{count} oversized ids, bound {max_bytes / MIB:.0f} MiB: answered "
        f"{figures['answered']}, RSS {figures['rss_before'] / MIB:.0f} -> "
        f"{figures['rss_after'] / MIB:.0f} MiB (growth {growth:.0f} MiB; "
        f"{figures['rss_holding'] / MIB:.0f} MiB while holding the answers, peak "
        f"{figures['rss_peak'] / MIB:.0f} MiB); cache holds {figures['cache_entries']} "
        f"entries, {figures['cache_bytes'] / MIB:.1f} MiB"
    )


if __name__ == "__main__":
    main()
