"""The demo a first-time visitor sees: labelled as demo data, with result videos that play."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import ROOT, StreamlitApp, table_column

SCREENSHOT = ROOT / "test-artifacts" / "demo.png"
# The grid draws the rows in view (a tall one scrolls inside itself): three of the demo's four
# source images are among its first rows.
DEMO_THUMBNAILS = 3


def test_demo_opens_with_a_banner_and_a_result_video_plays(page: Page, demo_app: StreamlitApp):
    page.goto(demo_app.url)
    expect(page.get_by_text("Demo data.", exact=True)).to_be_visible()
    expect(page.locator('[data-testid="stDataFrame"]').first).to_be_visible()
    # The demo keeps starting tasks: the newest of them runs at the top of the table.
    expect(table_column(page, "Name").first).to_have_text(re.compile(r"live demo #\d+$"))
    expect(table_column(page, "Status").first).to_have_text(re.compile(r"^↻ "))

    page.get_by_text(re.compile(r"^Results \(\d+\)$")).click()
    video = page.locator('[data-testid="stVideo"]').first
    playing = video.element_handle()
    page.wait_for_function("video => video.readyState >= 2", arg=playing)
    video.evaluate("video => { video.muted = true; return video.play(); }")
    page.wait_for_function("video => !video.paused && video.currentTime > 0.2", arg=playing)

    # Demo media comes from the dashboard's origin, never from the emulator's loopback port:
    # a viewer on another computer could not reach 127.0.0.1:<emulator port>.
    origin = page.evaluate("location.origin")
    sources = page.locator('[data-testid="stVideo"]').evaluate_all(
        "videos => videos.map(video => video.currentSrc || video.src)"
    )
    assert sources
    assert all(source.startswith(f"{origin}/app/static/demo/") for source in sources), sources

    save_screenshot_of_the_top(page)


def save_screenshot_of_the_top(page: Page) -> None:
    """A screenshot of the demo for people reading a CI run: title, banner, form, table."""
    page.get_by_role("heading", name="A2E task lookup").scroll_into_view_if_needed()
    page.wait_for_function(
        "count => performance.getEntriesByType('resource')"
        ".filter(entry => entry.name.includes('/app/static/demo/source-')).length >= count",
        arg=DEMO_THUMBNAILS,
    )
    page.evaluate("document.fonts.ready.then(() => true)")
    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT))
