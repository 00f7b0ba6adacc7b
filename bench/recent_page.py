"""Benchmark the Recent page in a real browser: the first page of 50, and paging to page 2.

    .venv/bin/python -m bench.recent_page [--latency 0.05] [--runs 3] [--history 130]

Starts the emulator in this process (an account with ``--history`` past tasks, ``--latency``
added to every call), the dashboard (``streamlit run app.py`` with a server token for it) and
``bench/minimal_page.py``; then, in Debian's Chromium, each run opens ``/recent`` in a fresh
session and times:

- navigation until the page shows the total, its 50 rows and the table (``open``);
- from the list call's answer (its arrival at the emulator plus the latency) until then:
  the goal is under 1 s (``after the answer``);
- clicking *Next* until page 2 is drawn, and the list calls that cost (the goal: one).
Each is timed with a cold browser (a new context: Streamlit's script chunks, the data grid's
among them, are fetched and parsed first) and a warm one (a new session in a browser that
opened the dashboard before, as a returning viewer's). The minimal page (a title and a 3-row
table, cold) is the yardstick of a bare Streamlit page on the same machine.
"""

from __future__ import annotations

import argparse
import statistics
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from a2e.core.kinds import get_kind
from a2e.sandbox import Emulator
from bench.page_load import dashboard_and_yardstick, fresh_page, table_drawn, timed
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, StreamlitApp

ROOT = Path(__file__).resolve().parents[1]
LIST_PATH = get_kind("image2video").list_path
TIMEOUT_MS = 60_000


class ListCallClock:
    """Notes when the emulator receives each list call (polled every 10 ms from a thread)."""

    def __init__(self, emulator: Emulator) -> None:
        self._emulator = emulator
        self.arrivals: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self) -> ListCallClock:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _watch(self) -> None:
        seen = self._emulator.count_requests(path=LIST_PATH)
        while not self._stop.wait(0.01):
            now = self._emulator.count_requests(path=LIST_PATH)
            self.arrivals += [time.perf_counter()] * (now - seen)
            seen = now


def page_shown(page_number: int, pages: int, total: int) -> Callable[[Page], None]:
    """Ready once the position reads "N tasks · page P of M", 50 rows count, the table drawn."""

    def ready(page: Page) -> None:
        position = page.locator('[data-testid="stMarkdown"]').filter(
            has_text=f"{total} tasks · page {page_number} of {pages}"
        )
        position.first.wait_for(timeout=TIMEOUT_MS)
        tasks = page.locator('[data-testid="stMetric"]').filter(has_text="Tasks")
        tasks.locator('[data-testid="stMetricValue"]', has_text="50").first.wait_for(
            timeout=TIMEOUT_MS
        )
        page.locator('[data-stale="true"]').first.wait_for(state="detached", timeout=TIMEOUT_MS)
        table_drawn(page)

    return ready


def one_run(
    new_page: Callable[[], Page], url: str, emulator: Emulator, total: int, latency: float
) -> tuple[float, float, float, int]:
    """Seconds to open, seconds after the list answer, seconds to page 2, its list calls."""
    pages = -(-total // 50)
    page = new_page()
    with ListCallClock(emulator) as clock:
        started = time.perf_counter()
        page.goto(url)
        page_shown(1, pages, total)(page)
        shown = time.perf_counter()
    after_answer = shown - (clock.arrivals[0] + latency)
    before = emulator.count_requests(path=LIST_PATH)
    clicked = time.perf_counter()
    page.get_by_role("button", name="Next", exact=True).click()
    page_shown(2, pages, total)(page)
    to_page_two = time.perf_counter() - clicked
    calls = emulator.count_requests(path=LIST_PATH) - before
    page.close()
    return shown - started, after_answer, to_page_two, calls


def account_arguments(runs: int) -> argparse.Namespace:
    """``--latency``, ``--runs`` and ``--history``: the options of the Recent page's benches."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--runs", type=int, default=runs)
    parser.add_argument("--history", type=int, default=130)
    return parser.parse_args()


@contextmanager
def served_account(
    args: argparse.Namespace, name: str
) -> Iterator[tuple[Emulator, StreamlitApp, StreamlitApp]]:
    """The demo account (with its history and latency), the dashboard for it, the minimal page."""
    workdir = ROOT / "test-artifacts" / "bench"
    workdir.mkdir(parents=True, exist_ok=True)
    with (
        Emulator(latency=args.latency, history=args.history) as emulator,
        dashboard_and_yardstick(emulator, name, workdir) as (dashboard, minimal),
    ):
        yield emulator, dashboard, minimal


def main() -> None:
    args = account_arguments(runs=3)
    with served_account(args, "bench-recent") as (emulator, dashboard, minimal):
        run(args, emulator, dashboard, minimal)


def run(args: argparse.Namespace, emulator: Emulator, dashboard, minimal) -> None:  # type: ignore[no-untyped-def]
    total = len(emulator.task_ids("image2video"))
    url = f"{dashboard.url}/recent?kind=image2video&size=50"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        timed(fresh_page(browser), minimal.url, table_drawn)  # warm-up
        minimal_s = statistics.median(
            timed(fresh_page(browser), minimal.url, table_drawn) for _ in range(args.runs)
        )
        warm_context = browser.new_context(viewport={"width": 1280, "height": 800})

        def cold() -> Page:
            return fresh_page(browser)

        one_run(warm_context.new_page, url, emulator, total, args.latency)  # warms the server
        results = {
            name: [one_run(opener, url, emulator, total, args.latency) for _ in range(args.runs)]
            for name, opener in (("cold", cold), ("warm", warm_context.new_page))
        }
        browser.close()
    print(f"minimal page (title + 3-row table): {minimal_s:.2f} s (median of {args.runs})")
    for name, runs in results.items():
        opened, after, paged = (statistics.median(r[i] for r in runs) for i in range(3))
        print(
            f"/recent ({name} browser), first page of 50 of {total} tasks at "
            f"{args.latency * 1000:.0f} ms latency: opened in {opened:.2f} s, drawn {after:.2f} s "
            f"after the list answer (goal < 1 s); Next to page 2 in {paged:.2f} s with list "
            f"calls {[r[3] for r in runs]} (goal: 1 each); medians of {args.runs}"
        )


if __name__ == "__main__":
    main()
