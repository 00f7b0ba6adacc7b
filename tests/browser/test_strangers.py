"""What a viewer from elsewhere can't make the dashboard do, and CSVs a spreadsheet can open.

A stranger here is a browser whose requests carry ``X-Forwarded-For`` (as behind a proxy): the
dashboard must treat it as not on its own machine, whatever its connection's address.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from playwright.sync_api import Page, expect

from a2e.api.guard import ADDRESS_REFUSED
from a2e.sandbox import DEMO_TOKEN, Emulator
from tests.browser.conftest import (
    StreamlitApp,
    data_grid,
    sidebar_connection,
    table_column,
)

HOSTILE_NAME = '=HYPERLINK("https://evil.example","click")'


def test_a_stranger_cant_make_the_dashboard_fetch_a_loopback_address(
    forwarded_page: Page, demo_app: StreamlitApp, test_emulator: Emulator
):
    page = forwarded_page
    task_id = test_emulator.add_task(status="completed", name="Internal only")
    port = test_emulator.base_url.rsplit(":", 1)[1]
    test_emulator.clear_requests()

    for url in (
        test_emulator.base_url,
        f"http://2130706433:{port}",
        f"http://[::ffff:127.0.0.1]:{port}",
    ):
        page.goto(demo_app.url)
        sidebar_connection(page, "Custom", url=url, token=DEMO_TOKEN)
        page.get_by_label("Task IDs").fill(task_id)
        page.get_by_role("button", name="Look up").click()
        expect(table_column(page, "Reason")).to_have_text([ADDRESS_REFUSED])
        expect(table_column(page, "Name")).to_have_text([""])

    page.get_by_test_id("stSidebar").get_by_role("button", name="Check token").click()
    refused = re.compile("Token check failed: this server.s address is not allowed")
    expect(page.get_by_text(refused)).to_be_visible()
    assert test_emulator.count_requests() == 0


def test_the_grids_own_csv_download_is_safe_to_open_in_a_spreadsheet(
    page: Page, server_token_app: StreamlitApp, test_emulator: Emulator
):
    task_id = test_emulator.add_task(
        status="failed",
        name=HOSTILE_NAME,
        failed_code="+cmd|' /C calc'!A0",
        failed_message="@SUM(1)",
    )
    page.goto(f"{server_token_app.url}/?ids={task_id}")
    expect(table_column(page, "Task id")).to_have_text([task_id])

    # Chromium would offer a "Save as" dialog (the File System Access API); without it, as in
    # most browsers, the grid downloads the file the ordinary way, which a test can read.
    page.evaluate("delete window.showSaveFilePicker")
    grid = data_grid(page)
    grid.hover()
    with page.expect_download() as download:
        grid.locator('[data-testid="stElementToolbar"]').get_by_role(
            "button", name="Download as CSV"
        ).click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    cells = [cell for row in rows[1:] for cell in row]
    assert f"'{HOSTILE_NAME}" in cells
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@"))], cells
