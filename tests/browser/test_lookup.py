"""Looking tasks up from the URL, their failures, and auto-refresh, against a test emulator."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from a2e.sandbox import Emulator
from tests.browser.conftest import (
    FRESH,
    StreamlitApp,
    ids_query,
    metric,
    table_column,
    wait_until,
)

# Auto-refresh runs every 5 s here; a tick may find a fresh cache entry and wait one more.
REFRESH_TIMEOUT = 40.0
REFRESH_TIMEOUT_MS = REFRESH_TIMEOUT * 1000


def result_url(emulator: Emulator) -> str:
    return f"{emulator.base_url}/media/result-2.mp4"


def test_ids_in_the_url_are_looked_up_with_their_statuses(
    page: Page, server_token_app: StreamlitApp, test_emulator: Emulator
):
    emulator = test_emulator
    done = emulator.add_task(status="completed", name="Done", result_url=result_url(emulator))
    failed = emulator.add_task(
        status="failed", name="Broken", failed_code="E_FACE", failed_message="No face found."
    )
    pending = emulator.add_task(status="pending", name="Waiting")

    page.goto(server_token_app.url + "/" + ids_query(done, failed, pending))

    expect(table_column(page, "Task id")).to_have_text([done, failed, pending])
    expect(table_column(page, "Name")).to_have_text(["Done", "Broken", "Waiting"])
    expect(table_column(page, "Status")).to_have_text(["✓ completed", "✗ failed", "↻ pending"])
    for label, value in [("Tasks", "3"), ("Completed", "1"), ("Failed", "1"), ("Running", "1")]:
        expect(metric(page, label)).to_have_text(value)
    expect(metric(page, "Lookup errors")).to_have_text("0")
    expect(page.get_by_text("Demo data.", exact=True)).to_have_count(0)


def test_a_failed_tasks_message_is_visible(
    page: Page, server_token_app: StreamlitApp, test_emulator: Emulator
):
    failed = test_emulator.add_task(
        status="failed", failed_code="E_NO_FACE", failed_message="No face was found in frame 12."
    )

    page.goto(f"{server_token_app.url}/failures{ids_query(failed)}")

    expect(metric(page, "Failed tasks")).to_have_text("1")
    expect(table_column(page, "Failed code")).to_have_text(["E_NO_FACE"])
    expect(table_column(page, "Messages")).to_have_text(["No face was found in frame 12."])
    expect(page.get_by_text("E_NO_FACE: 1 task", exact=True)).to_be_visible()
    # A task that failed upstream is not a lookup that failed.
    expect(metric(page, "Failed lookups")).to_have_text("0")
    expect(page.get_by_text("Every lookup got an answer.", exact=True)).to_be_visible()


def test_auto_refresh_turns_a_running_task_completed_without_reload_and_stops_fetching_finished_tasks(  # noqa: E501
    page: Page, server_token_app: StreamlitApp, test_emulator: Emulator
):
    emulator = test_emulator
    done = emulator.add_task(status="completed", result_url=result_url(emulator))
    finishing = emulator.add_task(status="pending", name="Finishing clip")
    # Stays running, so auto-refresh keeps ticking: each tick shows in its request count.
    witness = emulator.add_task(status="processing")
    page.goto(server_token_app.url + "/" + ids_query(done, finishing, witness))
    refresh_every_5_seconds(page)
    status_line = auto_refresh_status(page)
    expect(status_line).to_contain_text("checking 2 running tasks every 5 s")
    page.evaluate("window.__marker = 1")

    emulator.set_task(finishing, current_status="completed", result_url=result_url(emulator))

    expect(metric(page, "Completed")).to_have_text("2", timeout=REFRESH_TIMEOUT_MS)
    expect(
        page.get_by_test_id("stToast").filter(has_text="Completed: Finishing clip")
    ).to_be_visible()
    expect(status_line).to_contain_text("checking 1 running task every 5 s")
    asked_about_finishing = emulator.count_asked(finishing)
    wait_for_one_more_tick(emulator, witness)
    assert emulator.count_asked(finishing) == asked_about_finishing
    assert emulator.count_asked(done) == 1
    assert page.evaluate("window.__marker") == 1, "the page was reloaded"

    emulator.set_task(witness, current_status="completed", result_url=result_url(emulator))

    expect(status_line).to_contain_text(
        "every task is final: nothing left to refresh", timeout=REFRESH_TIMEOUT_MS
    )
    expect(metric(page, "Completed")).to_have_text("3")
    assert page.evaluate("window.__marker") == 1, "the page was reloaded"


def refresh_every_5_seconds(page: Page) -> None:
    page.get_by_role("combobox", name="Interval").click()
    page.get_by_role("option", name="every 5 s").click()


def auto_refresh_status(page: Page) -> Locator:
    """The caption under the refresh controls: "Updated 3 s ago · checking 2 …"."""
    return page.locator(FRESH).filter(has_text=re.compile(r"^Updated .+ · "))


def wait_for_one_more_tick(emulator: Emulator, running_task: str) -> None:
    """Wait until auto-refresh asks about ``running_task`` again: one more interval went by."""
    asked = emulator.count_asked(running_task)
    wait_until(
        lambda: emulator.count_asked(running_task) > asked,
        timeout=REFRESH_TIMEOUT,
        message="auto-refresh asks about the running task once more",
    )
