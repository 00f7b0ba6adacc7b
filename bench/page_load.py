"""Benchmark what a viewer waits for in a real browser, against a minimal Streamlit page.

    .venv/bin/python -m bench.page_load [--tasks 1000] [--latency 0.05] [--runs 3]

Starts the emulator (in this process, apart from the dashboard's), the dashboard
(``streamlit run app.py``, server token for the emulator) and ``bench/minimal_page.py``, each
its own ``streamlit run``; then times, in Debian's Chromium:

- the minimal page: from navigation until its table is drawn (median of ``--runs``);
- the first open of ``/?ids=…`` for N completed tasks: until the table holds every row and the
  progress bar is gone; its floor is the minimal page plus N × latency / 24 connections;
- a further viewer of the same tasks (answered from the shared cache): until the table holds
  every row, and how many upstream requests it caused (should be 0);
- the same for a page of 10 cached tasks.
Ratios are what to compare across machines; absolute times drift with the machine's load.
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from a2e.api.client import ClientSettings
from a2e.sandbox import DEMO_TOKEN, Emulator
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, StreamlitApp

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT_MS = 300_000


def timed(page: Page, url: str, ready: Callable[[Page], None]) -> float:
    """Seconds from navigation to ``ready`` holding."""
    started = time.perf_counter()
    page.goto(url)
    ready(page)
    return time.perf_counter() - started


def table_drawn(page: Page) -> None:
    page.locator('[data-testid="stDataFrame"] canvas').first.wait_for(timeout=TIMEOUT_MS)


def table_holds(rows: int) -> Callable[[Page], None]:
    """Ready once the Tasks metric counts ``rows`` and no progress bar is left."""

    def ready(page: Page) -> None:
        metric = page.locator('[data-testid="stMetric"]').filter(has_text="Tasks")
        value = re.compile(rf"^({rows}|{rows:,})$")
        metric.locator('[data-testid="stMetricValue"]', has_text=value).wait_for(timeout=TIMEOUT_MS)
        page.locator('[data-testid="stProgress"]').wait_for(state="detached", timeout=TIMEOUT_MS)
        table_drawn(page)

    return ready


def fresh_page(browser, width: int = 1280) -> Page:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": width, "height": 800})
    return context.new_page()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=1000)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    workdir = ROOT / "test-artifacts" / "bench"
    workdir.mkdir(parents=True, exist_ok=True)
    with Emulator(latency=args.latency) as emulator:
        ids = [emulator.add_task(status="completed", name=f"Clip {n}") for n in range(args.tasks)]
        settings = {"A2E_BASE_URL": emulator.base_url, "A2E_API_TOKEN": DEMO_TOKEN}
        dashboard = StreamlitApp("bench-dashboard", settings, workdir).start()
        minimal = StreamlitApp("bench-minimal", {}, workdir, script="bench/minimal_page.py")
        minimal.start()
        try:
            run(args, emulator, ids, dashboard, minimal)
        finally:
            dashboard.stop()
            minimal.stop()


def run(args, emulator: Emulator, ids: list[str], dashboard, minimal) -> None:  # type: ignore[no-untyped-def]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        timed(fresh_page(browser), minimal.url, table_drawn)  # warm-up
        minimal_s = statistics.median(
            timed(fresh_page(browser), minimal.url, table_drawn) for _ in range(args.runs)
        )
        url = f"{dashboard.url}/?kind=image2video&ids=" + ",".join(ids)
        emulator.clear_requests()
        first_s = timed(fresh_page(browser), url, table_holds(len(ids)))
        first_requests = emulator.count_requests()
        floor = minimal_s + len(ids) * args.latency / ClientSettings().concurrency
        emulator.clear_requests()
        further = [timed(fresh_page(browser), url, table_holds(len(ids))) for _ in range(args.runs)]
        further_requests = emulator.count_requests()
        small_url = f"{dashboard.url}/?kind=image2video&ids=" + ",".join(ids[:10])
        timed(fresh_page(browser), small_url, table_holds(10))
        small = [timed(fresh_page(browser), small_url, table_holds(10)) for _ in range(args.runs)]
        browser.close()
    further_s, small_s = statistics.median(further), statistics.median(small)
    print(f"minimal page (title + 3-row table): {minimal_s:.2f} s (median of {args.runs})")
    print(
        f"first open of {len(ids):,} ids at {args.latency * 1000:.0f} ms latency: {first_s:.2f} s, "
        f"{first_requests} requests; floor {floor:.2f} s; ratio {first_s / floor:.2f}x"
    )
    print(
        f"further viewer of the same {len(ids):,} cached tasks: {further_s:.2f} s "
        f"(median of {args.runs}), {further_requests} upstream requests; "
        f"ratio to the minimal page {further_s / minimal_s:.2f}x"
    )
    print(
        f"page of 10 cached tasks: {small_s:.2f} s; ratio to the minimal page "
        f"{small_s / minimal_s:.2f}x"
    )


if __name__ == "__main__":
    main()
