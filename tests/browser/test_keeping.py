"""Keeping results in Chromium: a ZIP of results downloaded from the page, and A2E_ARCHIVE."""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from a2e.api.client import A2EClient
from a2e.core.model import TaskOutcome
from a2e.sandbox import DEMO_TOKEN, Emulator
from a2e.sandbox.emulator import DEFAULT_MEDIA_DIR
from a2e.ui.zip_route import GONE
from tests.archive_support import looked_up
from tests.browser.conftest import (
    UI_TIMEOUT_MS,
    VIEWPORT,
    StreamlitApp,
    ids_query,
    select_row,
    server_token_settings,
    table_column,
    wait_until,
)
from tests.listing_support import demo_account

ZIP_LINK = "Download results (.zip)"


def three_completed(emulator: Emulator) -> list[str]:
    tasks = looked_up(emulator, emulator.demo_ids())
    return [t.id for t in tasks if t.outcome is TaskOutcome.COMPLETED][:3]


def from_another_browser(browser: Browser, url: str) -> tuple[int, str]:
    """What ``url`` answers a browser with none of this one's cookies."""
    other = browser.new_context(viewport=VIEWPORT)
    try:
        answer = other.request.get(url)
        return answer.status, answer.text()
    finally:
        other.close()


def open_lookup(page: Page, app: StreamlitApp, ids: list[str]) -> None:
    page.goto(app.url + "/" + ids_query(*ids))
    expect(table_column(page, "Task id")).to_have_count(len(ids))


def download_zip(page: Page) -> zipfile.ZipFile:
    link = page.get_by_role("link", name=ZIP_LINK)
    link.scroll_into_view_if_needed()
    with page.expect_download() as download:
        link.click()
    return zipfile.ZipFile(io.BytesIO(Path(download.value.path()).read_bytes()))


def test_a_zip_of_three_results_holds_each_tasks_files(
    page: Page, server_token_app: StreamlitApp, test_emulator: Emulator
):
    ids = three_completed(test_emulator)
    open_lookup(page, server_token_app, ids)

    archive = download_zip(page)

    names = set(archive.namelist())
    for task in looked_up(test_emulator, ids):
        folder = f"image2video/{task.id}"
        assert {f"{folder}/result.mp4", f"{folder}/source.png", f"{folder}/task.json"} <= names
        served = DEFAULT_MEDIA_DIR / task.result_url.rsplit("/", 1)[-1]
        assert archive.read(f"{folder}/result.mp4") == served.read_bytes()
        assert json.loads(archive.read(f"{folder}/task.json"))["id"] == task.id
    assert DEMO_TOKEN.encode() not in b"".join(archive.read(name) for name in names)


def test_the_zip_link_carries_no_token_and_works_only_once(
    page: Page, server_token_app: StreamlitApp, test_emulator: Emulator
):
    open_lookup(page, server_token_app, three_completed(test_emulator))
    href = page.get_by_role("link", name=ZIP_LINK).get_attribute("href") or ""
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/a2e/zip/[A-Za-z0-9_-]{43}", href)

    first = page.request.get(href)  # this browser's own cookies
    again = page.request.get(href)

    assert (first.status, first.headers["content-type"]) == (200, "application/zip")
    assert (again.status, again.text()) == (410, GONE)


def test_a_zip_link_does_not_work_in_another_browser(
    page: Page, browser: Browser, server_token_app: StreamlitApp, test_emulator: Emulator
):
    open_lookup(page, server_token_app, three_completed(test_emulator))
    href = page.get_by_role("link", name=ZIP_LINK).get_attribute("href") or ""
    assert from_another_browser(browser, href) == (410, GONE)
    assert page.request.get(href).status == 200  # the stranger's try did not spend it


def test_a_zip_link_dies_with_the_session_that_asked_for_it(
    page: Page, browser: Browser, server_token_app: StreamlitApp, test_emulator: Emulator
):
    open_lookup(page, server_token_app, three_completed(test_emulator))
    href = page.get_by_role("link", name=ZIP_LINK).get_attribute("href") or ""
    same_browser = page.context.storage_state()  # its cookies, kept past the tab
    page.context.close()  # the viewer leaves: the session ends

    later = browser.new_context(viewport=VIEWPORT, storage_state=same_browser)
    try:
        answer = later.request.get(href)
        refused = (answer.status, answer.text())
    finally:
        later.close()
    assert refused == (410, GONE)


def test_selected_rows_make_the_zip(
    page: Page, server_token_app: StreamlitApp, test_emulator: Emulator
):
    ids = three_completed(test_emulator)
    open_lookup(page, server_token_app, ids)
    select_row(page, 1)
    expect(page.get_by_text("Task detail")).to_be_visible()

    archive = download_zip(page)

    chosen = table_column(page, "Task id").nth(1).inner_text()
    assert {name.split("/")[1] for name in archive.namelist()} == {chosen}


# A2E_ARCHIVE: a dashboard that archives what it sees, for an account with 30 days of history.


@pytest.fixture(scope="module")
def history_emulator() -> Iterator[Emulator]:
    with demo_account() as emulator:
        yield emulator


@pytest.fixture(scope="module")
def archive_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("archive")


@pytest.fixture(scope="module")
def archiving_app(
    history_emulator: Emulator, archive_folder: Path, streamlit_workdir: Path
) -> Iterator[StreamlitApp]:
    settings = server_token_settings(history_emulator, A2E_ARCHIVE=str(archive_folder))
    app = StreamlitApp("archiving", settings, streamlit_workdir).start()
    yield app
    app.stop()


def an_old_completed_task(emulator: Emulator) -> str:
    """A completed task on the first page of 50, made more than four days ago."""
    with A2EClient(emulator.base_url) as client:
        listed = client.list_tasks(emulator.token, "image2video", 1, 50).tasks
    old = datetime.now(UTC) - timedelta(days=4)
    return next(
        t.id
        for t in listed
        if t.outcome is TaskOutcome.COMPLETED and t.created_at and t.created_at < old
    )


def saved_ids(folder: Path) -> set[str]:
    manifest = folder / "manifest.jsonl"
    lines = manifest.read_text().splitlines() if manifest.exists() else []
    return {json.loads(line)["id"] for line in lines}


def test_the_dashboard_archives_what_it_shows_and_marks_it_saved(
    page: Page, archiving_app: StreamlitApp, history_emulator: Emulator, archive_folder: Path
):
    page.goto(archiving_app.url + "/recent?status=completed&size=10")
    expect(page.get_by_text(re.compile(r"^Showing the \d+ completed tasks"))).to_be_visible()
    shown = set(table_column(page, "Task id").all_inner_texts())

    wait_until(lambda: shown <= saved_ids(archive_folder), timeout=60, message="all are saved")
    page.get_by_role("button", name="Refresh now").click()

    saved = table_column(page, "Saved")
    expect(saved.filter(has_text="Saved")).to_have_count(len(shown), timeout=UI_TIMEOUT_MS)
    assert history_emulator.token not in (archive_folder / "manifest.jsonl").read_text()


def test_an_expired_link_plays_the_archived_copy_only_in_the_viewers_browser(
    page: Page,
    browser: Browser,
    archiving_app: StreamlitApp,
    history_emulator: Emulator,
    archive_folder: Path,
):
    task_id = an_old_completed_task(history_emulator)
    page.goto(archiving_app.url + "/recent?status=completed&size=50")
    wait_until(lambda: task_id in saved_ids(archive_folder), timeout=60, message="it is saved")
    search = page.get_by_label("Search name or id")
    search.fill(task_id)
    search.press("Enter")
    expect(table_column(page, "Task id")).to_have_text([task_id])
    select_row(page, 0)

    player = page.locator('[data-testid="stVideo"]').first
    expect(player).to_have_attribute("src", re.compile(r"/a2e/kept/[A-Za-z0-9_-]{43}$"))
    source = player.get_attribute("src") or ""
    kept = page.request.get(source)
    part = page.request.get(source, headers={"Range": "bytes=100-199"})
    refused = from_another_browser(browser, source)

    saved = archive_folder / "image2video" / task_id / "result.mp4"
    assert (kept.status, kept.body()) == (200, saved.read_bytes())
    assert (part.status, part.body()) == (206, saved.read_bytes()[100:200])
    assert refused == (410, GONE)
