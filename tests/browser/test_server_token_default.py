"""Without sign-in, the server token serves only viewers on the dashboard's own machine.

A viewer on loopback gets it; a viewer whose connection carries a forwarding header, or comes
from another address (here: the dashboard served on this machine's non-loopback address, so
Chromium connects from that address), is asked for their own token and told why, and their
own token works. ``A2E_SERVER_TOKEN_FOR=anyone`` shares it, says so, and warns in the log.
"""

from __future__ import annotations

from playwright.sync_api import Browser, Locator, Page, expect

from a2e.access.policy import NOT_ON_THIS_MACHINE, SHARED_WITH_ANYONE, SHARED_WITH_ANYONE_WARNING
from a2e.sandbox import DEMO_TOKEN, Emulator
from tests.browser.conftest import VIEWPORT, StreamlitApp, ids_query, table_column
from tests.browser.test_safety import SeenByTheBrowser


def sidebar(page: Page) -> Locator:
    return page.get_by_test_id("stSidebar")


def token_field(page: Page) -> Locator:
    return sidebar(page).get_by_label("API token", exact=True)


def expect_asked_for_own_token(page: Page) -> None:
    expect(page.get_by_text(NOT_ON_THIS_MACHINE)).to_be_visible()
    expect(token_field(page)).to_have_attribute("placeholder", "sk_…")
    expect(page.get_by_test_id("stDataFrame")).to_have_count(0)


def test_a_viewer_on_this_machine_gets_the_server_token(
    page: Page, server_token_app: StreamlitApp, test_emulator: Emulator
):
    task_id = test_emulator.add_task(status="pending")

    page.goto(server_token_app.url + "/" + ids_query(task_id))

    expect(table_column(page, "Status")).to_have_text(["↻ pending"])
    expect(token_field(page)).to_have_attribute("placeholder", "Server token in use")
    expect(page.get_by_text(NOT_ON_THIS_MACHINE)).to_have_count(0)


def test_a_forwarded_viewer_is_asked_for_their_own_token(
    forwarded_page: Page, server_token_app: StreamlitApp, test_emulator: Emulator
):
    seen = SeenByTheBrowser(forwarded_page)
    task_id = test_emulator.add_task(status="pending")

    forwarded_page.goto(server_token_app.url + "/" + ids_query(task_id))

    # The connection is from loopback: only the header, read from st.context.headers, refuses.
    expect_asked_for_own_token(forwarded_page)
    assert test_emulator.count_asked(task_id) == 0
    assert seen.places_with(DEMO_TOKEN) == []


def test_a_viewer_from_another_address_is_asked_for_their_own_token_and_it_works(
    page: Page, remote_app: StreamlitApp, test_emulator: Emulator
):
    seen = SeenByTheBrowser(page)
    task_id = test_emulator.add_task(status="failed", failed_code="E_REMOTE")

    page.goto(remote_app.url + "/" + ids_query(task_id))
    expect_asked_for_own_token(page)
    assert test_emulator.count_asked(task_id) == 0
    assert seen.places_with(DEMO_TOKEN) == []

    # The viewer's own token (the emulator's, typed in) is theirs, so it works from anywhere.
    token_field(page).fill(DEMO_TOKEN)
    token_field(page).press("Enter")
    expect(table_column(page, "Status")).to_have_text(["✗ failed"])


def test_a_token_shared_with_anyone_serves_another_address_and_says_so(
    page: Page, shared_app: StreamlitApp, test_emulator: Emulator, browser: Browser
):
    seen = SeenByTheBrowser(page)
    task_id = test_emulator.add_task(status="pending")

    page.goto(shared_app.url + "/" + ids_query(task_id))

    expect(table_column(page, "Status")).to_have_text(["↻ pending"])
    expect(token_field(page)).to_have_attribute("placeholder", "Server token in use")
    expect(sidebar(page).get_by_text(SHARED_WITH_ANYONE)).to_be_visible()
    assert seen.places_with(DEMO_TOKEN) == []
    second = browser.new_context(viewport=VIEWPORT).new_page()
    second.goto(shared_app.url + "/")
    expect(token_field(second)).to_have_attribute("placeholder", "Server token in use")
    second.context.close()
    assert shared_app.log().count(SHARED_WITH_ANYONE_WARNING) == 1
