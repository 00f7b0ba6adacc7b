"""The Recent and Overview pages in Chromium: newest first, paging, shapes, charts, ETA, stuck?"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from a2e.core.kinds import get_kind
from a2e.sandbox import DEMO_TOKEN, Emulator, Fault
from tests.browser.conftest import (
    FRESH,
    StreamlitApp,
    data_grid,
    ids_query,
    metric,
    select_row,
    server_token_settings,
    table_column,
    visible_headers,
)
from tests.listing_support import demo_account, reset

I2V = "image2video"
LIST_PATH = get_kind(I2V).list_path


@pytest.fixture(scope="module")
def history_emulator() -> Iterator[Emulator]:
    """An account with 30 days of history (several pages), for tests that change list shapes."""
    with demo_account() as emulator:
        yield emulator


@pytest.fixture(scope="module")
def history_app(history_emulator: Emulator, streamlit_workdir: Path) -> Iterator[StreamlitApp]:
    settings = server_token_settings(history_emulator)
    app = StreamlitApp("recent-history", settings, streamlit_workdir).start()
    yield app
    app.stop()


@pytest.fixture
def fresh_account(streamlit_workdir: Path) -> Iterator[tuple[Emulator, StreamlitApp]]:
    """An account of its own (only its demo tasks) and a dashboard for it: nothing another
    test added pushes this test's tasks off the newest page."""
    with Emulator() as emulator:
        settings = server_token_settings(emulator)
        app = StreamlitApp("recent-fresh", settings, streamlit_workdir).start()
        yield emulator, app
        app.stop()


@pytest.fixture
def account(history_emulator: Emulator) -> Iterator[Emulator]:
    """The history account with its default answers, before and after the test."""
    yield reset(history_emulator)
    reset(history_emulator)


def position(page: Page) -> Locator:
    """The "137 tasks · page 2 of 3" line."""
    return page.locator(f'{FRESH} [data-testid="stMarkdown"]').filter(
        has_text=re.compile(r"tasks? · page |the server gave no total")
    )


def only_row(page: Page, text: str) -> None:
    """Search the table down to the one row holding ``text``, and select it."""
    search = page.get_by_label("Search name or id")
    search.fill(text)
    search.press("Enter")
    expect(page.get_by_text(re.compile(r"^Showing 1 of the \d+ rows\.$"))).to_be_visible()
    select_row(page, 0)


def pages_of(total: int, size: int = 50) -> int:
    return max(1, math.ceil(total / size))


def test_recent_shows_the_newest_page_with_the_total(
    page: Page, server_token_app: StreamlitApp, test_emulator: Emulator
):
    newest = test_emulator.add_task(status="pending", name="Just started")

    page.goto(server_token_app.url + "/")

    expect(page.get_by_role("heading", name="Recent tasks")).to_be_visible()
    expect(table_column(page, "Task id").first).to_have_text(newest)
    total = len(test_emulator.task_ids(I2V))
    expect(position(page)).to_have_text(f"{total} tasks · page 1 of {pages_of(total)}")
    expect(page).to_have_url(re.compile(r"/recent\?kind=image2video&page=1&size=50$"))
    assert DEMO_TOKEN not in page.url


def test_a_link_to_recent_opens_it_in_any_session(page: Page, server_token_app, test_emulator):
    for _ in range(2):  # a second session of the same server too
        page.goto(server_token_app.url + "/recent?size=10")
        expect(metric(page, "Tasks")).to_have_text("10")
        expect(page.get_by_role("dialog")).to_have_count(0)  # never "Page not found"


def test_page_two_of_twenty_shows_tasks_21_to_40(page: Page, history_app, account: Emulator):
    ids = account.task_ids(I2V)

    page.goto(history_app.url + "/recent?page=2&size=20")

    expect(position(page)).to_have_text(f"{len(ids)} tasks · page 2 of {pages_of(len(ids), 20)}")
    expect(metric(page, "Tasks")).to_have_text("20")
    shown = table_column(page, "Task id")
    expect(shown.first).to_have_text(ids[20])
    texts = shown.all_text_contents()
    assert texts == ids[20 : 20 + len(texts)]


def test_next_costs_one_list_call_and_changes_the_url(page: Page, history_app, account: Emulator):
    ids = account.task_ids(I2V)
    page.goto(history_app.url + "/recent?size=20")
    expect(table_column(page, "Task id").first).to_have_text(ids[0])
    account.clear_requests()

    page.get_by_role("button", name="Next", exact=True).click()

    expect(position(page)).to_contain_text("· page 2 of")
    expect(table_column(page, "Task id").first).to_have_text(ids[20])
    expect(page).to_have_url(re.compile(r"page=2"))
    assert account.count_requests(path=LIST_PATH) == 1


def test_a_failed_tasks_reason_is_visible_at_1280_px(
    page_1280: Page, server_token_app: StreamlitApp, test_emulator: Emulator
):
    test_emulator.add_task(
        status="failed", failed_code="E_FACE", failed_message="No face was found in frame 12."
    )

    page_1280.goto(server_token_app.url + "/recent")

    expect(table_column(page_1280, "Reason").first).to_have_text(
        "E_FACE: No face was found in frame 12."
    )
    assert "Reason" in visible_headers(page_1280)


def test_listed_final_tasks_cost_no_status_call(
    page: Page, server_token_app: StreamlitApp, test_emulator: Emulator
):
    test_emulator.add_task(status="completed", name="Done already")
    test_emulator.clear_requests()

    page.goto(server_token_app.url + "/recent")

    expect(table_column(page, "Task id").first).to_have_text(re.compile(r"^[0-9a-f]{24}$"))
    ids = table_column(page, "Task id").all_text_contents()
    statuses = table_column(page, "Status").all_text_contents()
    final = [i for i, s in zip(ids, statuses, strict=True) if s.startswith(("✓", "✗"))]
    assert final
    assert [i for i in final if test_emulator.count_asked(i)] == []
    assert test_emulator.count_requests(path=LIST_PATH) == 1


def test_a_listed_row_without_its_message_is_completed_when_its_detail_opens(
    page: Page, server_token_app: StreamlitApp, test_emulator: Emulator
):
    task_id = test_emulator.add_task(status="failed", failed_code="E_GPU", failed_message="")
    page.goto(server_token_app.url + "/recent?status=failed")
    expect(table_column(page, "Task id").first).to_have_text(task_id)
    test_emulator.set_task(task_id, failed_message="The GPU worker crashed.")
    test_emulator.clear_requests()

    only_row(page, task_id)

    expect(page.get_by_text("Task failed upstream. E_GPU: The GPU worker crashed.")).to_be_visible()
    assert test_emulator.count_asked(task_id) == 1


def test_a_detail_that_cannot_be_completed_says_why(
    page: Page, server_token_app: StreamlitApp, test_emulator: Emulator
):
    task_id = test_emulator.add_task(status="failed", failed_code="E_DISK", failed_message="")
    page.goto(server_token_app.url + "/recent?status=failed")
    expect(table_column(page, "Task id").first).to_have_text(task_id)
    test_emulator.inject(Fault.NOT_FOUND_HTML, task_id=task_id)
    try:
        only_row(page, task_id)
        expect(page.get_by_text(re.compile("^Details could not be fetched: "))).to_be_visible()
        expect(page.get_by_text("Task failed upstream. E_DISK")).to_be_visible()
    finally:
        test_emulator.clear_faults()


@pytest.mark.parametrize(
    ("container", "total"),
    [
        ("rows", "count"),
        ("rows", "total"),
        ("list", "total"),
        ("list", None),
        ("data", None),
        ("bare", None),
    ],
)
def test_each_tolerated_list_shape_shows_the_page(
    page: Page, history_app, account: Emulator, container, total
):
    account.set_list_shape(container, total)
    ids = account.task_ids(I2V)

    page.goto(history_app.url + "/recent?size=20")

    expect(table_column(page, "Task id").first).to_have_text(ids[0])
    expect(metric(page, "Tasks")).to_have_text("20")
    expected = (
        f"{len(ids)} tasks · page 1 of {pages_of(len(ids), 20)}"
        if total
        else ("Page 1 · the server gave no total")
    )
    expect(position(page)).to_have_text(expected)


@pytest.mark.parametrize("container", ["data_text", "rows_object"])
def test_a_malformed_list_answer_is_a_clear_error_never_no_tasks(
    page: Page, history_app, account: Emulator, container
):
    account.set_list_shape(container)

    page.goto(history_app.url + "/recent")

    expect(page.get_by_text(re.compile("task list could not be read: "))).to_be_visible()
    expect(page.locator('[data-testid="stDataFrame"]')).to_have_count(0)
    expect(page.get_by_text(re.compile("No .*tasks on this account"))).to_have_count(0)


def test_the_overviews_charts_render(page_1280: Page, history_app, account: Emulator):
    page_1280.goto(history_app.url + "/overview?window=30d")

    charts = page_1280.locator('[data-testid="stVegaLiteChart"]')
    expect(charts.nth(3).locator("svg")).to_be_visible()
    texts = charts.locator("svg text").all_text_contents()
    for title in ("Tasks per day", "Success rate per day", "Coins per day", "Top failure codes"):
        assert title in texts
    assert {"Completed", "Failed"} <= set(texts), "the outcome legend"
    assert "generation_timeout" in texts, "a failure code"
    bars = charts.first.locator('svg [aria-roledescription="bar"]')
    assert bars.count() > 0
    total = len(account.task_ids(I2V))
    expect(metric(page_1280, "Tasks")).to_have_text(f"{total:,}")


def test_the_overviews_last_day_reads_today_and_failure_messages_are_whole_at_1280_px(
    page_1280: Page, history_app, account: Emulator
):
    page = page_1280
    days = {datetime.now(UTC).date()}
    page.goto(history_app.url + "/overview?window=7d")

    tasks_chart = page.locator('[data-testid="stVegaLiteChart"]').first
    expect(tasks_chart.locator("svg text").filter(has_text="Tasks per day")).to_have_count(1)
    days.add(datetime.now(UTC).date())
    # Vega hides overlapping labels by making them transparent: count only the ones shown.
    labels = tasks_chart.locator('svg [aria-roledescription="axis"] text').evaluate_all(
        "texts => texts.filter(t => t.getAttribute('opacity') !== '0'"
        " && getComputedStyle(t).opacity !== '0').map(t => t.textContent)"
    )
    day_labels = [label for label in labels if re.fullmatch(r"\d\d \w{3}", label)]
    assert day_labels[-1] in {day.strftime("%d %b") for day in days}, day_labels
    assert len(day_labels) == 8, "one label per day of the window, today included"

    codes = data_grid(page, 0)
    expect(table_column(page, "Most common message").first).not_to_be_empty()
    assert visible_headers(page, 0) == ["Failed code", "Tasks", "Coins", "Most common message"]
    box = codes.bounding_box()
    assert box is not None
    assert box["width"] > 700, "the table spans the page, so messages are not cut"


def test_eta_and_stuck_show_in_the_table_the_detail_and_the_overview(
    page: Page, fresh_account: tuple[Emulator, StreamlitApp]
):
    emulator, app = fresh_account
    emulator.add_task(status="pending", name="Fresh render")
    stuck = emulator.add_task(status="pending", name="Stuck render")
    emulator.run_long(stuck, 3600)

    page.goto(app.url + "/recent?status=running")

    names = table_column(page, "Name")
    expect(names.first).to_have_text("Fresh render")
    etas = table_column(page, "Run time / ETA").all_text_contents()
    timing = dict(zip(names.all_text_contents(), etas, strict=True))
    assert re.fullmatch(r"expected by \d\d:\d\d", timing["Fresh render"])
    assert timing["Stuck render"] == "stuck? (running 1 h 0 min)"
    only_row(page, stuck)
    detail_times = page.get_by_text(re.compile(r"^Created .* · stuck\? \(running 1 h 0 min\)$"))
    expect(detail_times).to_be_visible()

    page.goto(app.url + "/overview?window=24h")

    expect(metric(page, "Stuck?")).not_to_have_text("0")
    grid = data_grid(page, page.locator(f'{FRESH} [data-testid="stDataFrame"]').count() - 1)
    expect(grid.get_by_text("stuck? (running 1 h 0 min)").first).to_be_attached()


def test_a_share_link_still_opens_lookup_with_its_ids(
    page: Page, server_token_app: StreamlitApp, test_emulator: Emulator
):
    task_id = test_emulator.add_task(status="completed", name="Shared")

    page.goto(server_token_app.url + "/" + ids_query(task_id))

    expect(page.get_by_role("heading", name="A2E task lookup")).to_be_visible()
    expect(table_column(page, "Task id")).to_have_text([task_id])


REFUSED_ANYWHERE = re.compile(r"not asked|Not listed|list calls a minute|could not be read")


def read_line(page: Page) -> Locator:
    """The Overview's "N tasks created in the window · k list calls · read at" line."""
    return page.locator(f'{FRESH} [data-testid="stCaptionContainer"]').filter(
        has_text=re.compile(r"tasks created in the window · \d+ list calls? · read at")
    )


def choose_window(page: Page, label: str, window: str) -> None:
    page.get_by_role("radio", name=label, exact=True).click()
    expect(page).to_have_url(re.compile(f"window={window}"))
    expect(read_line(page)).to_be_visible()
    expect(page.get_by_text(REFUSED_ANYWHERE)).to_have_count(0)


def test_a_person_switching_windows_and_pages_quickly_is_never_refused(
    page: Page, history_app, account: Emulator
):
    page.goto(history_app.url + "/overview?window=24h")
    expect(read_line(page)).to_be_visible()
    for label, window in (("30 days", "30d"), ("7 days", "7d")):
        choose_window(page, label, window)

    for turn, (start, then) in enumerate(((1, 2), (2, 1))):
        page.get_by_role("link", name="Recent").click()
        expect(position(page)).to_contain_text(f"page {start} of")
        page.get_by_role("button", name=("Next", "Previous")[turn]).click()
        expect(position(page)).to_contain_text(f"page {then} of")
        page.get_by_role("button", name="Reload list").click()
        expect(position(page)).to_contain_text(f"page {then} of")
        expect(page.get_by_text(REFUSED_ANYWHERE)).to_have_count(0)
        page.get_by_role("link", name="Overview").click()
        for label, window in (("24 hours", "24h"), ("30 days", "30d"), ("7 days", "7d")):
            choose_window(page, label, window)
