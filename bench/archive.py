"""Benchmark: archiving 100 completed tasks of 20 MB each from a 50 ms server, against curl.

The media comes from a stand-in server in a process of its own (``bench.media_server``:
``sendfile``, keep-alive, 50 ms before each answer, so it is never the limit); the tasks from
the emulator (in this process, 50 ms per API call), whose 100 completed tasks link to it. Each
round, interleaved: ``curl --parallel --parallel-max 4`` fetches the 100 links into a fresh
folder, then this process archives the account's tasks (the list call, then 4 downloads at
once) into another: the same bytes, written to the same disk, each folder removed after. The
archive's memory is this process's resident set, sampled every 10 ms: its peak growth over
the RSS just before the run.

    .venv/bin/python -m bench.archive [--tasks 100] [--size 20000000] [--latency 0.05] [--rounds 3]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from a2e.api.client import A2EClient
from a2e.archive.fetcher import MediaFetcher, media_scope
from a2e.archive.folder import FolderDestination
from a2e.archive.plan import STATUSES, Wanted, listed_tasks
from a2e.archive.run import Archiver
from a2e.sandbox import Emulator
from bench.rss import MIB, PeakGrowth


def start_media_server(size: int, latency: float) -> tuple[subprocess.Popen[str], str]:
    """The stand-in media server in a process of its own, and its base URL."""
    command = [sys.executable, "-m", "bench.media_server", "--size", str(size)]
    process = subprocess.Popen(
        [*command, "--latency", str(latency)], stdout=subprocess.PIPE, text=True
    )
    line = process.stdout.readline() if process.stdout else ""
    if "serving at" not in line:
        process.kill()
        raise SystemExit(f"the media server did not start: {line!r}")
    return process, line.split()[-1]


def curl_round(urls: list[str]) -> tuple[float, float]:
    """Seconds ``curl`` takes to fetch every link, 4 at once, into a fresh folder, and the
    CPU seconds it used."""
    folder = Path(tempfile.mkdtemp(prefix="a2e-bench-curl-"))
    command = ["curl", "--no-progress-meter", "--fail", "--parallel", "--parallel-max", "4"]
    for number, url in enumerate(urls):
        command += ["-o", str(folder / f"{number}.mp4"), url]
    try:
        cpu = _children_cpu()
        started = time.perf_counter()
        subprocess.run(command, check=True)
        return time.perf_counter() - started, _children_cpu() - cpu
    finally:
        shutil.rmtree(folder)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def archive_round(emulator: Emulator) -> tuple[float, float, int, str]:
    """Seconds to archive the account's completed tasks, CPU seconds, memory growth, summary."""
    folder = Path(tempfile.mkdtemp(prefix="a2e-bench-archive-"))
    try:
        with A2EClient(emulator.base_url) as client, PeakGrowth() as memory:
            cpu = time.process_time()
            started = time.perf_counter()
            listed = listed_tasks(
                client, emulator.token, ["image2video"], Wanted(STATUSES["completed"])
            )
            with MediaFetcher(media_scope(client.base_url)) as fetcher:
                report = Archiver(FolderDestination(folder), fetcher).run(list(listed.tasks))
            seconds = time.perf_counter() - started
            cpu = time.process_time() - cpu
        return seconds, cpu, memory.growth, report.summary_line()
    finally:
        shutil.rmtree(folder)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=100)
    parser.add_argument("--size", type=int, default=20_000_000)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    server, media = start_media_server(args.size, args.latency)
    try:
        with Emulator(latency=args.latency, seed=7) as emulator:
            for task_id in emulator.task_ids():
                emulator.set_task(task_id, current_status="failed")  # only the 100 count
            urls = [f"{media}/media/result-{n}.mp4" for n in range(args.tasks)]
            for url in urls:
                emulator.add_task(status="completed", result_url=url, image_url="")
            print(
                f"{args.tasks} completed tasks of {args.size / 1e6:.0f} MB, "
                f"{args.latency * 1000:.0f} ms before each answer (API and media), 4 at once"
            )
            runs = []
            for number in range(1, args.rounds + 1):
                curl, curl_cpu = curl_round(urls)
                seconds, cpu, growth, summary = archive_round(emulator)
                runs.append((curl, seconds, growth))
                print(
                    f"round {number}: curl {curl:.2f} s ({curl_cpu:.1f} s CPU), archive "
                    f"{seconds:.2f} s ({cpu:.1f} s CPU, sha256 included): {seconds / curl:.2f}x; "
                    f"memory growth {growth / MIB:.1f} MiB; {summary}"
                )
            ratio = statistics.median(archive / curl for curl, archive, _ in runs)
            growth = max(run[2] for run in runs) / MIB
            print(
                f"median ratio {ratio:.2f}x curl (goal <= 1.3x); "
                f"largest memory growth {growth:.1f} MiB (goal < 50)"
            )
    finally:
        server.kill()
        server.wait()


if __name__ == "__main__":
    main()
