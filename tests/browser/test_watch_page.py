"""The Watch page in Chromium: a running watcher's targets and announcements, a test message
sent from the page, and never a target's secret on the page."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from a2e.notify.send import signer
from a2e.notify.targets import parse_target
from a2e.sandbox import Emulator
from a2e.watch.loop import Watcher, WatchSettings
from tests.browser.conftest import StreamlitApp, server_token_settings
from tests.conftest import make_client
from tests.watch_support import SECRET, Receiver, ThreadedWatcher, wait_for


@pytest.fixture
def watching(tmp_path, streamlit_workdir) -> Iterator[tuple[StreamlitApp, Receiver, Emulator]]:
    """An emulator, a watcher following it into a receiver, and the dashboard reading its state."""
    receiver = Receiver().start()
    state = tmp_path / "watch.sqlite"
    with Emulator(history=40) as emulator:
        failed = emulator.add_task(status="pending", name="Portrait #12")
        targets = [
            f"json://alice:hunter2pw@127.0.0.1:{receiver.port}/notify",
            receiver.webhook_url,
        ]
        watcher = Watcher(
            state,
            WatchSettings(kinds=("image2video",), interval=1),
            make_client(emulator.base_url),
            emulator.token,
            [parse_target(url) for url in targets],
            signer=signer(SECRET),
        )
        threaded = ThreadedWatcher(watcher).start()
        settings = server_token_settings(emulator, A2E_HISTORY=str(state))
        app = StreamlitApp("watch", settings, streamlit_workdir).start()
        try:
            wait_for(lambda: emulator.count_requests(path="/api/v1/userImage2Video/allRecords") > 1)
            emulator.set_task(
                failed,
                current_status="failed",
                failed_code="face_not_detected",
                failed_message="No face was detected in the source image.",
            )
            wait_for(lambda: len(receiver.got) == 2, what="the failure, to both targets")
            yield app, receiver, emulator
        finally:
            app.stop()
            threaded.stop()
            receiver.stop()


def test_the_watch_page_sends_a_test_message_and_never_shows_a_targets_secret(
    page_1280: Page, watching, tmp_path
):
    app, receiver, _ = watching
    page = page_1280
    page.goto(f"{app.url}/watch")
    expect(page.get_by_role("heading", name="json://alice:****@127.0.0.1")).to_be_visible()
    expect(page.get_by_text("Failed: Portrait #12 (image to video)").first).to_be_attached()
    page.get_by_role("button", name="Send a test message").click()
    wait_for(lambda: len(receiver.got) == 4, what="the test message, to both targets")
    expect(page.get_by_text("Test message from the A2E watcher").first).to_be_attached()
    page.screenshot(path=str(tmp_path / "watch.png"), full_page=True)  # to look at
    assert "hunter2pw" not in page.content()
