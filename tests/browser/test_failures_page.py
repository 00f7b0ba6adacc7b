"""The Failures page reads at a glance at 1280 px, and a page's URL opened first works."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from a2e.sandbox import DEMO_TOKEN, Emulator
from tests.browser.conftest import StreamlitApp, sidebar_connection, table_column, visible_headers

LONG_CODE = "render_worker_out_of_memory_on_upscale_pass"
LONG_MESSAGE = (
    "The render worker ran out of memory while upscaling to 1080p. Try a smaller source image "
    "or 720p; your coins have been refunded."
)


def test_the_failure_chart_counts_in_whole_tasks_with_whole_codes_and_messages_wrap(
    page_1280: Page, demo_app: StreamlitApp, test_emulator: Emulator
):
    page = page_1280
    ids = [
        test_emulator.add_task(status="failed", failed_code=code, failed_message=message)
        for code, message in [
            (LONG_CODE, LONG_MESSAGE),
            (LONG_CODE, LONG_MESSAGE),
            (LONG_CODE, LONG_MESSAGE),
            ("E_SHORT", "short"),
        ]
    ]
    page.goto(demo_app.url)
    sidebar_connection(page, "Custom", url=test_emulator.base_url, token=DEMO_TOKEN)
    page.get_by_label("Task IDs").fill("\n".join([*ids, "abc123"]))
    page.get_by_role("button", name="Look up").click()
    expect(table_column(page, "Task id")).to_have_count(5)
    page.get_by_role("link", name="Failures").click()

    chart = page.locator('[data-testid="stVegaLiteChart"]')
    expect(chart.locator("svg")).to_be_visible()
    labels = chart.locator("svg text").all_text_contents()
    ticks = [label for label in labels if re.fullmatch(r"[0-9.]+", label)]
    assert ticks, labels
    assert all(tick.isdigit() for tick in ticks), f"ticks that are not whole tasks: {ticks}"
    assert LONG_CODE in labels, "a code label was cut"
    assert "E_SHORT" in labels

    expect(table_column(page, "Messages")).to_have_text([LONG_MESSAGE, "short"])
    assert "Last seen" in visible_headers(page), "messages push the table past the window"
    expect(page.get_by_role("heading", name="Input problems")).to_be_visible()
    expect(page.get_by_text("abc123", exact=True)).to_be_visible()


def test_a_pages_url_opened_first_on_a_fresh_server_shows_the_dashboard(
    page: Page, fresh_demo_app: StreamlitApp
):
    page.goto(fresh_demo_app.url + "/failures")

    expect(page.get_by_role("heading", name="Failures")).to_be_visible()
    navigation = page.get_by_test_id("stSidebarNav")
    expect(navigation.get_by_role("link")).to_have_text(
        [re.compile(f"{label}$") for label in ("Recent", "Lookup", "Overview", "Failures")]
    )
    expect(page.get_by_test_id("stSidebar").get_by_role("radiogroup")).to_have_count(1)


def test_failures_seen_on_recent_are_grouped_on_the_failures_page_and_lookups_can_be_chosen(
    page_1280: Page, server_token_app: StreamlitApp, test_emulator: Emulator
):
    page = page_1280
    test_emulator.add_task(status="failed", failed_code="E_ON_RECENT", failed_message="listed")
    page.goto(server_token_app.url + "/recent")
    expect(table_column(page, "Reason").first).to_have_text("E_ON_RECENT: listed")

    page.get_by_role("link", name="Failures").click()
    expect(
        page.get_by_text(re.compile(r"^The failed tasks among the \d+ tasks? on the Recent page"))
    ).to_be_visible()
    expect(page.get_by_text("E_ON_RECENT: 1 task", exact=True)).to_be_visible()

    looked_up = test_emulator.add_task(status="failed", failed_code="E_LOOKED_UP")
    page.get_by_role("link", name="Lookup").click()
    page.get_by_label("Task IDs").fill(looked_up)
    page.get_by_role("button", name="Look up").click()
    expect(table_column(page, "Task id")).to_have_count(1)
    page.get_by_role("link", name="Failures").click()
    expect(page.get_by_text("E_LOOKED_UP: 1 task", exact=True)).to_be_visible()
    expect(page.get_by_text("E_ON_RECENT: 1 task", exact=True)).to_have_count(0)

    page.get_by_text(re.compile(r"^Recent \(\d+ tasks?\)$")).click()
    expect(page.get_by_text("E_ON_RECENT: 1 task", exact=True)).to_be_visible()
