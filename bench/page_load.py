"""Benchmark what a viewer waits for in a real browser, against a minimal Streamlit page.

    .venv/bin/python -m bench.page_load [--tasks 1000] [--latency 0.05] [--runs 3]

Starts the emulator (in this process, apart from the dashboard's), the dashboard
(``streamlit run app.py``, server token for the emulator) and ``bench/minimal_page.py``, each
its own ``streamlit run``; then times, in Debian's Chromium:

- the minimal page: from navigation until its table is drawn (median of ``--runs``);
- the first open of ``/?ids=…`` for N completed tasks no viewer has asked for yet (new ones
  each run): until the table holds every row and the progress bar is gone, and the requests it
  sent (``batchDetail`` calls of up to 100 ids, several at once: the goal is at most 15 and
  1.5x the minimal page);
- a further viewer of the same tasks (answered from the shared cache): until the table holds
  every row, and how many upstream requests it caused (should be 0);
- the same for a page of 10 cached tasks.
Each run of the dashboard is paired with a run of the minimal page just before it, and the
ratio printed is the median of the pairs' ratios: absolute times drift with the machine's load.
Every page is opened in a browser context of its own, closed after use.
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

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


def timed_fresh(browser, url: str, ready: Callable[[Page], None]) -> float:  # type: ignore[no-untyped-def]
    """``timed`` in a browser context of its own, closed afterwards."""
    page = fresh_page(browser)
    try:
        return timed(page, url, ready)
    finally:
        page.context.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=1000)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    workdir = ROOT / "test-artifacts" / "bench"
    workdir.mkdir(parents=True, exist_ok=True)
    with (
        Emulator(latency=args.latency) as emulator,
        dashboard_and_yardstick(emulator, "bench-dashboard", workdir) as (dashboard, minimal),
    ):
        run(args, emulator, dashboard, minimal)


@contextmanager
def dashboard_and_yardstick(
    emulator: Emulator, name: str, workdir: Path
) -> Iterator[tuple[StreamlitApp, StreamlitApp]]:
    """The dashboard (server token for ``emulator``) and the minimal page, each served."""
    settings = {"A2E_BASE_URL": emulator.base_url, "A2E_API_TOKEN": DEMO_TOKEN}
    dashboard = StreamlitApp(name, settings, workdir).start()
    minimal = StreamlitApp("bench-minimal", {}, workdir, script="bench/minimal_page.py")
    try:
        yield dashboard, minimal.start()
    finally:
        dashboard.stop()
        minimal.stop()


def new_tasks(emulator: Emulator, count: int) -> list[str]:
    """``count`` completed tasks that no viewer has looked up yet."""
    return [emulator.add_task(status="completed", name=f"Clip {n}") for n in range(count)]


@dataclass
class Series:
    """Paired timings: the dashboard's, and the minimal page's measured just before each."""

    seconds: list[float] = field(default_factory=list)
    minimal: list[float] = field(default_factory=list)
    requests: int = 0
    most_requests: int = 0

    def ratio(self, extra: float = 0.0) -> float:
        """The median of each run's time over its own yardstick (plus ``extra``): load drifts."""
        return statistics.median(
            s / (m + extra) for s, m in zip(self.seconds, self.minimal, strict=True)
        )

    def line(self) -> str:
        return (
            f"{statistics.median(self.seconds):.2f} s (median of {len(self.seconds)}; "
            f"{min(self.seconds):.2f}–{max(self.seconds):.2f})"
        )


def run(args, emulator: Emulator, dashboard, minimal) -> None:  # type: ignore[no-untyped-def]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )

        def pair(series: Series, url: str, rows: int) -> None:
            series.minimal.append(timed_fresh(browser, minimal.url, table_drawn))
            emulator.clear_requests()
            series.seconds.append(timed_fresh(browser, url, table_holds(rows)))
            series.requests += emulator.count_requests()
            series.most_requests = max(series.most_requests, emulator.count_requests())

        timed_fresh(browser, minimal.url, table_drawn)  # warm-up
        first, further, small = Series(), Series(), Series()
        for _ in range(args.runs):
            ids = new_tasks(emulator, args.tasks)
            url = f"{dashboard.url}/?kind=image2video&ids=" + ",".join(ids)
            pair(first, url, len(ids))
            pair(further, url, len(ids))
            pair(small, f"{dashboard.url}/?kind=image2video&ids=" + ",".join(ids[:10]), 10)
        browser.close()
    report(args, first, further, small)


def report(args, first: Series, further: Series, small: Series) -> None:  # type: ignore[no-untyped-def]
    minimal = first.minimal + further.minimal + small.minimal
    print(f"minimal page (title + 3-row table): {statistics.median(minimal):.2f} s (median)")
    print(
        f"first open of {args.tasks:,} new ids at {args.latency * 1000:.0f} ms latency: "
        f"{first.line()}, at most {first.most_requests} requests "
        f"({first.requests / args.runs:.0f} on average); ratio to the minimal page "
        f"{first.ratio():.2f}x (goal: at most 15 requests, 1.5x)"
    )
    print(
        f"further viewer of the same {args.tasks:,} cached tasks: {further.line()}, "
        f"{further.requests} upstream requests; ratio to the minimal page {further.ratio():.2f}x"
    )
    print(
        f"page of 10 cached tasks: {small.line()}; ratio to the minimal page {small.ratio():.2f}x"
    )


if __name__ == "__main__":
    main()
