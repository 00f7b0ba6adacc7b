"""Benchmark *All kinds* on the Recent page against one kind's page, in a real browser.

    .venv/bin/python -m bench.recent_all_kinds [--latency 0.05] [--runs 5] [--history 130]

Starts the emulator in this process (the demo account: ``--history`` past tasks over a dozen
kinds, every kind's demo tasks, ``--latency`` added to every call), the dashboard (``streamlit
run app.py`` with a server token for it), then, in Debian's Chromium, times pairs of page
openings, interleaved, each in a fresh browser context (so a fresh session, which lists every
kind: no kind is known empty yet) closed after use:

- ``/recent?kind=image2video&size=50``: one kind's first page of 50 (one list call);
- ``/recent?kind=all&size=50``: every kind's first page (one list call per kind, at most
  ``MAX_LISTS_AT_ONCE`` at once), merged newest first, 50 shown.

Each is timed from navigation until the page shows its 50 rows and the table is drawn. The goal
(issue 15): *All kinds* drawn within 1.5x the time of one kind's page. Prints the medians, the
ratio of each pair and their median, and the list calls each page cost.
"""

from __future__ import annotations

import argparse
import statistics
import time

from playwright.sync_api import Browser, Page, sync_playwright

from a2e.core.kinds import KINDS
from a2e.sandbox import Emulator
from a2e.views.listing import MAX_LISTS_AT_ONCE
from bench.page_load import fresh_page, table_drawn
from bench.recent_page import account_arguments, served_account
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

TIMEOUT_MS = 60_000
LIST_PATHS = {kind.list_path for kind in KINDS.values()}


def fifty_shown(page: Page) -> None:
    """Ready once the Tasks metric counts 50, nothing is stale and the table is drawn."""
    tasks = page.locator('[data-testid="stMetric"]').filter(has_text="Tasks")
    tasks.locator('[data-testid="stMetricValue"]', has_text="50").first.wait_for(timeout=TIMEOUT_MS)
    page.locator('[data-stale="true"]').first.wait_for(state="detached", timeout=TIMEOUT_MS)
    table_drawn(page)


def list_calls(emulator: Emulator) -> int:
    return sum(1 for _, path, _ in emulator.request_log() if path in LIST_PATHS)


def timed_open(browser: Browser, url: str, emulator: Emulator) -> tuple[float, int]:
    """Seconds from navigation until 50 rows are drawn, and the list calls it cost."""
    page = fresh_page(browser)
    before = list_calls(emulator)
    started = time.perf_counter()
    page.goto(url)
    fifty_shown(page)
    seconds = time.perf_counter() - started
    page.context.close()
    return seconds, list_calls(emulator) - before


def main() -> None:
    args = account_arguments(runs=5)
    with served_account(args, "bench-all-kinds") as (emulator, dashboard, _):
        one = f"{dashboard.url}/recent?kind=image2video&size=50"
        every = f"{dashboard.url}/recent?kind=all&size=50"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            timed_open(browser, one, emulator)  # warm-up: the server's first run
            timed_open(browser, every, emulator)
            pairs = [
                (timed_open(browser, one, emulator), timed_open(browser, every, emulator))
                for _ in range(args.runs)
            ]
            browser.close()
    report(args, pairs)


def report(
    args: argparse.Namespace, pairs: list[tuple[tuple[float, int], tuple[float, int]]]
) -> None:
    one = [seconds for (seconds, _), _ in pairs]
    every = [seconds for _, (seconds, _) in pairs]
    ratios = [all_kinds / single for single, all_kinds in zip(one, every, strict=True)]
    calls_one = sorted({calls for (_, calls), _ in pairs})
    calls_all = sorted({calls for _, (_, calls) in pairs})
    print(
        f"Recent at {args.latency * 1000:.0f} ms latency, {args.runs} interleaved pairs, each "
        "page in a fresh browser context:"
    )
    print(
        f"  one kind (image to video), first page of 50: median {statistics.median(one):.2f} s "
        f"({', '.join(f'{s:.2f}' for s in one)}); list calls {calls_one}"
    )
    print(
        f"  All kinds ({len(KINDS)} kinds, {MAX_LISTS_AT_ONCE} at once), 50 newest: median "
        f"{statistics.median(every):.2f} s ({', '.join(f'{s:.2f}' for s in every)}); "
        f"list calls {calls_all}"
    )
    print(
        f"  ratio All kinds / one kind: median {statistics.median(ratios):.2f}x "
        f"({', '.join(f'{r:.2f}' for r in ratios)}); goal <= 1.5x"
    )


if __name__ == "__main__":
    main()
