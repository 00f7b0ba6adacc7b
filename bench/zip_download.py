"""Benchmark: a 1 GB ZIP of results through the dashboard: its memory, and the first byte.

The media comes from the stand-in server (``bench.media_server``, a process of its own, 50 ms
before each answer); the emulator (in this process) holds ``--tasks`` completed tasks linking
to it; the dashboard is ``streamlit run app.py`` with a server token for the emulator. Chromium
opens the Lookup page with the tasks' ids and reads the *Download results (.zip)* link; this
process then downloads it with that browser's cookies (the link is bound to them), reading and
dropping the bytes, while the dashboard's resident memory is sampled every 10 ms. Prints the
time to the first byte, the whole download, its size, and the dashboard's peak memory growth
over its RSS just before the download.

    .venv/bin/python -m bench.zip_download [--tasks 50] [--size 20000000] [--rounds 2]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import httpx
from playwright.sync_api import Page, expect, sync_playwright

from a2e.sandbox import DEMO_TOKEN, Emulator
from bench.archive import start_media_server
from bench.rss import MIB, PeakGrowth
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, StreamlitApp

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT_MS = 120_000


def zip_link(page: Page, url: str) -> tuple[str, dict[str, str]]:
    """The ZIP link the page offers, and the browser's cookies for the dashboard."""
    page.goto(url)
    link = page.get_by_role("link", name="Download results (.zip)")
    expect(link).to_be_visible(timeout=TIMEOUT_MS)
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    return link.get_attribute("href") or "", cookies


def download(href: str, cookies: dict[str, str], pid: int) -> tuple[float, float, int, int]:
    """First byte and total seconds, bytes, and the dashboard's memory growth."""
    size = 0
    first = 0.0
    with PeakGrowth(pid) as memory, httpx.Client(cookies=cookies, timeout=120) as client:
        started = time.perf_counter()
        with client.stream("GET", href) as answer:
            answer.raise_for_status()
            for chunk in answer.iter_raw():
                if not size:
                    first = time.perf_counter() - started
                size += len(chunk)
        total = time.perf_counter() - started
    return first, total, size, memory.growth


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=50)
    parser.add_argument("--size", type=int, default=20_000_000)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    workdir = ROOT / "test-artifacts" / "bench"
    workdir.mkdir(parents=True, exist_ok=True)
    server, media = start_media_server(args.size, args.latency)
    try:
        with Emulator(latency=args.latency) as emulator:
            urls = [f"{media}/media/result-{n}.mp4" for n in range(args.tasks)]
            ids = [emulator.add_task(status="completed", result_url=u, image_url="") for u in urls]
            settings = {"A2E_BASE_URL": emulator.base_url, "A2E_API_TOKEN": DEMO_TOKEN}
            app = StreamlitApp("bench-zip", settings, workdir).start()
            try:
                run(args, app, ids)
            finally:
                app.stop()
    finally:
        server.kill()
        server.wait()


def run(args: argparse.Namespace, app: StreamlitApp, ids: list[str]) -> None:
    print(
        f"ZIP of {args.tasks} results of {args.size / 1e6:.0f} MB "
        f"({args.tasks * args.size / 1e9:.1f} GB), media server {args.latency * 1000:.0f} ms"
    )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        for number in range(1, args.rounds + 1):
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            href, cookies = zip_link(context.new_page(), f"{app.url}/?ids={','.join(ids)}")
            first, total, size, growth = download(href, cookies, app.pid)
            context.close()
            print(
                f"round {number}: first byte {first * 1000:.0f} ms (goal < 1 s), "
                f"{size / 1e9:.2f} GB in {total:.1f} s ({size / total / 1e6:.0f} MB/s), "
                f"dashboard memory growth {growth / MIB:.1f} MiB (goal < 50)"
            )


if __name__ == "__main__":
    main()
