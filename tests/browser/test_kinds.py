"""New kinds in a real browser: Auto finds a Veo, a Nano Banana and a voice task, and each
detail shows its results as what they are (a player, several images, an audio player)."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from a2e.sandbox import Emulator
from tests.browser.conftest import (
    FRESH,
    ROOT,
    StreamlitApp,
    ids_query,
    select_row,
    table_column,
)

SCREENSHOT = ROOT / "test-artifacts" / "kinds-nano-banana-detail.png"


def detail(page: Page):
    """The open task detail: the innermost block that holds its heading."""
    heading = page.locator(FRESH).get_by_role("heading", name="Task detail")
    return page.locator('[data-testid="stVerticalBlock"]').filter(has=heading).last


def test_auto_finds_a_veo_a_nano_banana_and_a_voice_task_and_shows_their_results(
    page_1280: Page, server_token_app: StreamlitApp, test_emulator: Emulator
):
    page = page_1280
    veo, nano, voice = (
        test_emulator.demo_ids(kind)[0] for kind in ("veo", "nano_banana", "voice_clone")
    )
    page.goto(server_token_app.url + "/" + ids_query(veo, nano, voice))

    expect(table_column(page, "Kind")).to_have_text(
        ["Veo 3.1", "Nano Banana", "Voice clone training"]
    )
    expect(table_column(page, "Status")).to_have_text(["✓ completed"] * 3)

    select_row(page, 0)
    expect(detail(page).get_by_text("Result video", exact=True)).to_be_visible()
    expect(detail(page).locator('[data-testid="stVideo"]')).to_have_count(1)

    select_row(page, 1)
    nano_detail = detail(page)
    expect(nano_detail.get_by_text("Results: 3 images", exact=True)).to_be_visible()
    images = nano_detail.locator('[data-testid="stImage"] img')
    expect(images).to_have_count(3)
    for image in images.all():
        expect(image).to_have_attribute("src", re.compile(r"/media/image-\d\.png$"))
    # Images are drawn as images: no video player for an image kind.
    expect(nano_detail.locator('[data-testid="stVideo"]')).to_have_count(0)
    page.wait_for_function(
        "imgs => imgs.every(img => img.complete && img.naturalWidth > 0)",
        arg=images.element_handles(),
    )
    page.get_by_role("heading", name="Task detail").scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOT))

    select_row(page, 2)
    expect(detail(page).get_by_text("Result audio file", exact=True)).to_be_visible()
    expect(detail(page).locator('[data-testid="stAudio"]')).to_have_count(1)
