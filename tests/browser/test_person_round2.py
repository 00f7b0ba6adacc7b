"""Issue 13, "the dashboard as a person uses it, round 2", on a person's paths in Chromium.

Exports that download while auto-refresh reruns the page; the whole row at 1280 px with its
header in view; one-click copies; a failure code that opens its tasks; one meaning per control
and number; every piece of the input accounted for; ``/lookup``; the audit trail's ticks.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Download, Locator, Page, expect

from a2e.sandbox import DEMO_TOKEN, Emulator
from tests.browser.conftest import (
    FRESH,
    UI_TIMEOUT_MS,
    StreamlitApp,
    data_grid,
    metric,
    select_row,
    sidebar_connection,
    table_column,
    visible_headers,
)

ROW_AT_1280 = ["Status", "Reason", "Name", "Age", "Run time / ETA", "Coins", "Task id"]
A = "67e05299be53654994ccc58d"


@pytest.fixture(scope="module")
def audit_log(streamlit_workdir: Path) -> Path:
    return streamlit_workdir / "audit-round2.jsonl"


@pytest.fixture(scope="module")
def audited_demo(streamlit_workdir: Path, audit_log: Path) -> Iterator[StreamlitApp]:
    """The demo, its audit trail in a file."""
    app = StreamlitApp("round2", {"A2E_AUDIT_LOG": str(audit_log)}, streamlit_workdir).start()
    yield app
    app.stop()


@pytest.fixture
def person(browser: Browser) -> Iterator[Page]:
    """A 1280×800 window that may download files and use the clipboard."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 800},
        timezone_id="UTC",
        accept_downloads=True,
        permissions=["clipboard-read", "clipboard-write"],
    )
    context.set_default_timeout(UI_TIMEOUT_MS)
    expect.set_options(timeout=UI_TIMEOUT_MS)
    yield context.new_page()
    context.close()


def updated_label(page: Page) -> Locator:
    """The "Updated 3 s ago (at 10:04:05)" caption that each refresh tick rewrites."""
    return page.locator(f"{FRESH} [data-testid='stCaptionContainer']").filter(
        has_text=re.compile(r"^Updated \d+ s ago \(at ")
    )


def next_tick(page: Page) -> None:
    """Wait until auto-refresh has rerun the page once more (its "at" time moves on)."""
    label = updated_label(page)
    expect(label).to_have_count(1)
    before = (label.text_content() or "").split("(at ")[1]
    expect(label).not_to_contain_text(f"(at {before}", timeout=40_000)


def export(page: Page, button: str) -> tuple[str, str]:
    """Click an export as a person does; the downloaded file's name and text."""
    with page.expect_download(timeout=15_000) as started:
        page.get_by_role("link", name=button).click()
    download: Download = started.value
    path = download.path()
    return download.suggested_filename, Path(path).read_text(encoding="utf-8")


def auto_refresh_every_5_s(page: Page) -> None:
    page.get_by_role("combobox", name="Interval").click()
    page.get_by_role("option", name="every 5 s").click()


def shown_ids(page: Page) -> list[str]:
    return table_column(page, "Task id").all_text_contents()


@pytest.mark.parametrize("path", ["/", "/recent"])
def test_every_export_click_downloads_that_export_while_auto_refresh_reruns_the_page(
    person: Page, audited_demo: StreamlitApp, path: str
):
    page = person
    page.goto(audited_demo.url + path)
    expect(page.get_by_role("link", name="Export CSV")).to_be_visible()
    auto_refresh_every_5_s(page)
    clicks = ["Export CSV", "Export JSON", "Export CSV", "Export JSON"]
    for number, button in enumerate(clicks):
        if number:
            next_tick(page)
        name, text = export(page, button)
        ids = set(shown_ids(page))
        if button == "Export CSV":
            assert name == "a2e-tasks.csv"
            rows = list(csv.DictReader(io.StringIO(text)))
            assert {row["id"] for row in rows} >= ids
        else:
            assert name == "a2e-tasks.json"
            assert {record["id"] for record in json.loads(text)} >= ids
    assert "MediaFileStorageError" not in audited_demo.log()


def test_exports_download_one_after_another_with_auto_refresh_off(
    person: Page, audited_demo: StreamlitApp
):
    page = person
    page.goto(audited_demo.url)
    page.get_by_text("Auto-refresh", exact=True).click()
    expect(page.get_by_role("switch", name="Auto-refresh")).not_to_be_checked()
    names = [export(page, button)[0] for button in ("Export CSV", "Export JSON") * 2]
    assert names == ["a2e-tasks.csv", "a2e-tasks.json"] * 2


def test_an_export_link_holds_no_token_and_answers_no_other_browser(
    person: Page, browser: Browser, demo_app: StreamlitApp, test_emulator: Emulator
):
    page = person
    page.goto(demo_app.url)
    sidebar_connection(page, "Custom", url=test_emulator.base_url, token=DEMO_TOKEN)
    page.get_by_label("Task IDs").fill(test_emulator.add_task(status="completed"))
    page.get_by_role("button", name="Look up").click()
    link = page.get_by_role("link", name="Export CSV")
    expect(link).to_have_attribute("href", re.compile(r"^/a2e/export/[\w-]{40,}/a2e-tasks\.csv$"))
    href = link.get_attribute("href") or ""
    assert DEMO_TOKEN not in href
    assert page.request.get(demo_app.url + href).ok
    # Another browser holding the very same link gets nothing, and is told what to do.
    other = browser.new_context()
    try:
        answer = other.request.get(demo_app.url + href)
        assert answer.status == 410
        assert "Press Export CSV or Export JSON" in answer.text()
    finally:
        other.close()


def test_at_1280_px_the_row_a_person_needs_is_in_view_and_the_header_stays(
    person: Page, demo_app: StreamlitApp
):
    page = person
    page.goto(demo_app.url + "/recent?size=20")
    expect(table_column(page, "Run time / ETA")).not_to_have_count(0)
    assert visible_headers(page)[: len(ROW_AT_1280)] == ROW_AT_1280
    grid = data_grid(page)
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    assert box is not None
    assert box["height"] <= 800, "the whole grid fits the window"
    rows = grid.locator('table[role="grid"] tbody tr')
    first = int(rows.first.get_attribute("aria-rowindex") or 0)
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.wheel(0, 2000)  # a tall grid scrolls inside itself, not the page
    expect(rows.first).not_to_have_attribute("aria-rowindex", str(first))
    after = grid.bounding_box()
    assert after is not None
    assert 0 <= after["y"] <= 800 - 38, "the header row (drawn at the grid's top) is in view"


def test_one_click_copies_a_selected_rows_task_id_and_the_share_link(
    person: Page, demo_app: StreamlitApp, test_emulator: Emulator
):
    page = person
    task_id = test_emulator.add_task(status="completed")
    page.goto(f"{demo_app.url}/?ids={task_id}&server=china")
    sidebar_connection(page, "Custom", url=test_emulator.base_url, token=DEMO_TOKEN)
    expect(table_column(page, "Task id")).to_have_text([task_id])

    page.get_by_role("button", name="Copy share link").click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == f"{demo_app.url}/?ids={task_id}"

    select_row(page, 0)
    page.get_by_role("button", name="Copy task id").click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == task_id


def test_the_demo_offers_the_share_link_too(person: Page, demo_app: StreamlitApp):
    person.goto(demo_app.url)
    expect(person.get_by_role("button", name="Copy share link")).to_be_visible()


def test_a_failure_code_on_the_overview_opens_its_tasks_on_lookup(
    person: Page, demo_app: StreamlitApp
):
    page = person
    page.goto(demo_app.url + "/overview?window=30d")
    page.get_by_role("button", name=re.compile(r"^face_not_detected · \d+$")).click()
    expect(page).to_have_url(re.compile(r"/$|/\?"))
    banner = page.get_by_text(re.compile(r"^From the Overview \(last 30 days\): Only the \d+ "))
    expect(banner).to_be_visible()
    reasons = table_column(page, "Reason").all_text_contents()
    assert reasons
    assert all(reason.startswith("face_not_detected: ") for reason in reasons)
    page.get_by_role("button", name="Show every row").click()
    expect(banner).to_have_count(0)


def test_a_failure_code_on_the_failures_page_filters_the_lookup_table(
    person: Page, demo_app: StreamlitApp
):
    page = person
    page.goto(demo_app.url)
    expect(metric(page, "Failed")).not_to_have_text("0")
    page.get_by_role("link", name="Failures").click()
    page.get_by_role("button", name=re.compile(r"^content_moderation · 1$")).click()
    expect(
        page.get_by_text(re.compile(r"^Only the 1 task that failed with content_"))
    ).to_be_visible()
    expect(table_column(page, "Reason")).to_have_text([re.compile("^content_moderation: ")])


def test_recent_has_one_outcome_filter_with_one_count(person: Page, demo_app: StreamlitApp):
    page = person
    page.goto(demo_app.url + "/recent?status=failed")
    showing = page.get_by_text(re.compile(r"^Showing the \d+ failed tasks of the \d+ listed"))
    expect(showing).to_be_visible()
    expect(table_column(page, "Reason")).not_to_have_count(0)  # the page is drawn whole
    failed = (showing.text_content() or "").split()[2]
    expect(metric(page, "Failed")).to_have_text(failed)
    main = page.get_by_test_id("stMain")
    expect(main.get_by_role("radio", name=f"Failed · {failed}", exact=True)).to_be_checked()
    assert main.locator(f"{FRESH} [data-testid='stButtonGroup']").count() == 1


def test_pieces_that_are_not_ids_are_listed_back_marked_and_never_counted_as_tasks(
    person: Page, demo_app: StreamlitApp, test_emulator: Emulator
):
    page = person
    first = test_emulator.add_task(status="completed")
    second = test_emulator.add_task(status="failed", failed_code="E1", failed_message="x")
    disguised = A[:9] + "\u0435" + A[10:]  # a Cyrillic е at position 10
    page.goto(demo_app.url)
    sidebar_connection(page, "Custom", url=test_emulator.base_url, token=DEMO_TOKEN)
    page.get_by_label("Task IDs").fill(f"{first} {second} 67e0df7f\n{disguised}")
    page.get_by_role("button", name="Look up").click()

    expect(table_column(page, "Task id")).to_have_count(4)
    expect(
        page.get_by_text(re.compile(r"^Not task ids, not looked up \(2\): 67e0df7f, "))
    ).to_be_visible()
    expect(metric(page, "Tasks")).to_have_text("2")
    expect(metric(page, "Not task ids")).to_have_text("2")
    marked = f"{A[:9]}⟦\u0435⟧{A[10:]}"
    expect(table_column(page, "Task id").nth(3)).to_have_text(marked)
    expect(table_column(page, "Reason").nth(3)).to_have_text(
        re.compile("^not a task id: Cyrillic \u0435 at position 10")
    )


def test_a_row_no_kind_knows_has_no_kind_and_its_reason_whole_no_empty_column(
    person: Page, demo_app: StreamlitApp, test_emulator: Emulator
):
    page = person
    video = test_emulator.add_task(status="completed")
    swap = test_emulator.add_task(kind="face_swap", status="completed")
    page.goto(demo_app.url)
    sidebar_connection(page, "Custom", url=test_emulator.base_url, token=DEMO_TOKEN)
    page.get_by_label("Task IDs").fill(f"{video}\n{swap}\n0123456789abcdef01234567")
    page.get_by_role("button", name="Look up").click()
    expect(table_column(page, "Reason")).to_have_text(
        ["", "", re.compile(r"^not found as any of the \d+ kinds tried$")]
    )
    expect(table_column(page, "Kind")).to_have_text(["Image to video", "Face swap", ""])
    assert "Progress" not in visible_headers(page)


def test_a_finish_time_learnt_on_recent_is_shown_on_lookup_too(
    person: Page, fresh_demo_app: StreamlitApp
):
    page = person
    page.goto(fresh_demo_app.url)  # the demo opens on Lookup: status calls tell no finish time
    names = table_column(page, "Name")
    expect(names).not_to_have_count(0)
    row = names.all_text_contents().index("Product teaser – sneaker")
    expect(table_column(page, "Run time / ETA").nth(row)).to_have_text("")
    page.get_by_role("link", name="Recent").click()  # its list rows carry updatedAt
    expect(page.get_by_text(re.compile(r"^\d+ tasks · page 1 of \d+$"))).to_be_visible()
    expect(table_column(page, "Name")).not_to_have_count(0)
    page.get_by_role("link", name="Lookup").click()
    expect(page.get_by_role("heading", name="A2E task lookup")).to_be_visible()
    expect(table_column(page, "Kind")).not_to_have_count(0)  # Lookup's own table is drawn
    expect(table_column(page, "Run time / ETA").nth(row)).to_have_text("3 min")


def test_a_running_task_past_its_eta_reads_late(
    person: Page, demo_app: StreamlitApp, test_emulator: Emulator
):
    page = person
    task_id = test_emulator.add_task(status="pending")
    test_emulator.run_long(task_id, 400)  # the usual run is 3 min: late, not yet stuck?
    page.goto(demo_app.url)
    sidebar_connection(page, "Custom", url=test_emulator.base_url, token=DEMO_TOKEN)
    page.get_by_label("Task IDs").fill(task_id)
    page.get_by_role("button", name="Look up").click()
    expect(table_column(page, "Run time / ETA")).to_have_text(
        [re.compile(r"^late \(expected by \d\d:\d\d\)$")]
    )


def test_the_overview_says_what_was_charged_and_what_was_refunded(
    person: Page, demo_app: StreamlitApp
):
    page = person
    page.goto(demo_app.url + "/overview?window=30d")
    expect(metric(page, "Coins charged")).to_be_visible()
    expect(metric(page, "Refunded")).not_to_have_text("0")
    expect(metric(page, "Net of refunds")).to_be_visible()
    expect(page.get_by_text("Coins spent on failures")).to_have_count(0)


def test_a_refused_token_tells_one_story(
    person: Page, demo_app: StreamlitApp, test_emulator: Emulator
):
    page = person
    ids = [test_emulator.add_task(status="pending") for _ in range(3)]
    page.goto(demo_app.url)
    sidebar_connection(page, "Custom", url=test_emulator.base_url, token="sk_wrong")
    page.get_by_label("Task IDs").fill("\n".join(ids))
    page.get_by_role("button", name="Look up").click()
    expect(page.get_by_text(re.compile("asking once more before stopping"))).to_be_visible()
    expect(page.get_by_text(re.compile("failed for good"))).to_have_count(0)
    expect(updated_label(page)).to_contain_text("checking 3 failed lookups to retry")


def test_lookup_has_its_own_address(person: Page, demo_app: StreamlitApp, test_emulator: Emulator):
    page = person
    task_id = test_emulator.add_task(status="completed")
    page.goto(f"{demo_app.url}/lookup?ids={task_id}")
    expect(page.get_by_role("heading", name="A2E task lookup")).to_be_visible()
    expect(page.get_by_text(re.compile(r"This link holds 1 shared task id\."))).to_be_visible()
    expect(page.get_by_text("Page not found")).to_have_count(0)


def test_a_viewers_auto_refresh_ticks_are_not_one_audit_line_each(
    person: Page, audited_demo: StreamlitApp, audit_log: Path
):
    page = person
    page.goto(audited_demo.url)
    expect(page.get_by_role("link", name="Export CSV")).to_be_visible()
    auto_refresh_every_5_s(page)
    for _ in range(3):
        next_tick(page)
    lines = [json.loads(line) for line in audit_log.read_text().splitlines()]
    mine = [line for line in lines if line["kind"] in ("lookup", "refresh")]
    users = {line["user"] for line in mine if line["kind"] == "lookup"}
    ticks = [line for line in mine if line["kind"] == "refresh" and line["user"] in users]
    # Lines of the minute's ticks are written a minute after its first tick: none yet, and
    # never one line per tick.
    assert len(ticks) <= len(users)
