"""Sign-in through a real OIDC provider: only the team gets in, and only it uses the server token.

The provider (``oidc-provider-mock``) runs on loopback with its own pages; Chromium signs in
there as a person would, by choosing a user on the provider's authorization page.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from playwright.sync_api import Error, Locator, Page, Response, expect

from a2e.cache.fetch import token_fingerprint
from a2e.sandbox import DEMO_TOKEN, Emulator
from tests.browser.conftest import (
    StreamlitApp,
    auth_secrets,
    ids_query,
    server_token_settings,
    table_column,
)
from tests.browser.test_safety import STORAGE, SeenByTheBrowser


class SeenAcrossSignIn(SeenByTheBrowser):
    """``SeenByTheBrowser`` through redirects: a page left at once has no body to read.

    Such responses are listed in ``unread``; the tests check they are only the provider's pages
    and Streamlit's own fixed answers (the start page, its scripts, its health and host
    configuration: the same for every viewer; the dashboard's data comes over the websocket,
    every frame of which is read).
    """

    def __init__(self, page: Page) -> None:
        self.unread: list[str] = []
        super().__init__(page)

    def _read(self, response: Response) -> None:
        try:
            super()._read(response)
        except Error:
            self.unread.append(response.url)


def sidebar(page: Page) -> Locator:
    return page.get_by_test_id("stSidebar")


def sign_in(page: Page, app: StreamlitApp, user: str) -> None:
    """Open the dashboard, press "Log in", and choose ``user`` on the provider's own page."""
    page.goto(app.url + "/")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Authorize Client")).to_be_visible()
    page.get_by_role("button", name=user, exact=True).click()
    page.wait_for_url(re.compile(re.escape(app.url)))


def assert_no_data_and_no_lookup(page: Page, emulator: Emulator, task_id: str) -> None:
    """Nothing of the dashboard is on the page, and the task was never asked about."""
    expect(page.get_by_role("textbox", name="Task IDs")).to_have_count(0)
    expect(page.get_by_label("API token", exact=True)).to_have_count(0)
    expect(page.get_by_test_id("stDataFrame")).to_have_count(0)
    expect(page.get_by_test_id("stMetric")).to_have_count(0)
    assert emulator.count_asked(task_id) == 0


def assert_token_never_seen(page: Page, seen: SeenAcrossSignIn, app: StreamlitApp) -> None:
    assert seen.frames, "no websocket frame was captured"
    static = re.compile(re.escape(app.url) + r"/(\?.*|static/.*|_stcore/(health|host-config))?$")
    provider = re.compile(r"http://localhost:\d+/")
    assert [url for url in seen.unread if not (static.match(url) or provider.match(url))] == []
    assert DEMO_TOKEN not in page.url
    assert DEMO_TOKEN not in page.content()
    assert DEMO_TOKEN not in page.evaluate(STORAGE)
    assert seen.places_with(DEMO_TOKEN) == []


def audit_lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_a_signed_out_viewer_sees_only_the_log_in_button(
    page: Page, sign_in_app: StreamlitApp, test_emulator: Emulator
):
    seen = SeenAcrossSignIn(page)
    task_id = test_emulator.add_task(status="pending")

    page.goto(sign_in_app.url + "/" + ids_query(task_id))

    expect(page.get_by_text("Sign in to use this dashboard.")).to_be_visible()
    expect(page.get_by_role("button", name="Log in")).to_be_visible()
    expect(page.get_by_test_id("stMain").get_by_role("button")).to_have_count(1)
    expect(sidebar(page)).to_have_count(0)  # not even the navigation
    assert_no_data_and_no_lookup(page, test_emulator, task_id)
    assert_token_never_seen(page, seen, sign_in_app)


def test_an_allowed_user_signs_in_and_looks_up_with_the_server_token(
    page: Page, sign_in_app: StreamlitApp, test_emulator: Emulator, sign_in_audit_log: Path
):
    seen = SeenAcrossSignIn(page)
    task_id = test_emulator.add_task(status="failed", failed_code="E_SIGNED_IN")

    sign_in(page, sign_in_app, "alice")
    expect(sidebar(page).get_by_text("Signed in as Alice@Team.example")).to_be_visible()
    page.goto(sign_in_app.url + "/" + ids_query(task_id))

    expect(table_column(page, "Status")).to_have_text(["✗ failed"])
    token_field = sidebar(page).get_by_label("API token", exact=True)
    expect(token_field).to_have_attribute("placeholder", "Server token in use")
    expect(sidebar(page).get_by_role("button", name="Log out")).to_be_visible()
    # Asked once at most: signing in may land on Recent, whose task list already answered it.
    assert test_emulator.count_asked(task_id) <= 1
    assert_token_never_seen(page, seen, sign_in_app)
    lookups = [line for line in audit_lines(sign_in_audit_log) if line["kind"] == "lookup"]
    assert {
        "user": "alice@team.example",
        "server": test_emulator.base_url,
        "ids": 1,
        "token_source": "server",
        "outcomes": {"failed": 1},
        "refused": None,
    }.items() <= lookups[-1].items()
    audit_text = sign_in_audit_log.read_text()
    assert DEMO_TOKEN not in audit_text
    assert token_fingerprint(DEMO_TOKEN) not in audit_text


def test_a_user_not_on_the_list_is_refused(
    page: Page, sign_in_app: StreamlitApp, test_emulator: Emulator
):
    seen = SeenAcrossSignIn(page)
    task_id = test_emulator.add_task(status="pending")

    sign_in(page, sign_in_app, "mallory")
    expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()
    page.goto(sign_in_app.url + "/" + ids_query(task_id))

    expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()
    expect(
        page.get_by_text("mallory@elsewhere.example is not on this dashboard's list")
    ).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    expect(sidebar(page)).to_have_count(0)
    assert_no_data_and_no_lookup(page, test_emulator, task_id)
    assert_token_never_seen(page, seen, sign_in_app)


def test_logging_out_ends_access(page: Page, sign_in_app: StreamlitApp, test_emulator: Emulator):
    seen = SeenAcrossSignIn(page)
    task_id = test_emulator.add_task(status="pending")
    sign_in(page, sign_in_app, "alice")
    expect(sidebar(page).get_by_text("Signed in as Alice@Team.example")).to_be_visible()

    sidebar(page).get_by_role("button", name="Log out").click()
    # The provider offers to end its own session too, then sends the viewer back.
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(re.compile(re.escape(sign_in_app.url)))
    expect(page.get_by_role("button", name="Log in")).to_be_visible()
    page.goto(sign_in_app.url + "/" + ids_query(task_id))

    expect(page.get_by_role("button", name="Log in")).to_be_visible()
    expect(sidebar(page)).to_have_count(0)
    assert_no_data_and_no_lookup(page, test_emulator, task_id)
    assert_token_never_seen(page, seen, sign_in_app)


def test_a_page_opened_first_on_a_fresh_server_is_behind_sign_in_too(
    page: Page,
    oidc_provider: str,
    test_emulator: Emulator,
    streamlit_workdir: Path,
):
    # A fresh server's first run uses Streamlit's old pages-folder mode, which runs
    # pages/failures.py alone, without app.py (Streamlit lists the page files' names in the
    # sidebar then): the page's own call for the sidebar gates it.
    settings = server_token_settings(test_emulator)
    fresh = StreamlitApp(
        "fresh-sign-in", settings, streamlit_workdir, secrets=auth_secrets(oidc_provider)
    )
    task_id = test_emulator.add_task(status="failed", failed_code="E_FRESH")
    try:
        fresh.start()
        seen = SeenAcrossSignIn(page)
        page.goto(f"{fresh.url}/failures{ids_query(task_id)}")
        expect(page.get_by_role("button", name="Log in")).to_be_visible()
        assert_no_data_and_no_lookup(page, test_emulator, task_id)
        assert_token_never_seen(page, seen, fresh)
    finally:
        fresh.stop()
