"""The paths a person takes: change pages, open a share link before the token, read why at 1280 px.

The dashboard here has no server token (the demo app): the viewer picks Custom, types the test
emulator's URL and the token, as a person with their own A2E account would.
"""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from a2e.sandbox import DEMO_TOKEN, Emulator
from tests.browser.conftest import (
    FRESH,
    StreamlitApp,
    ids_query,
    metric,
    select_row,
    sidebar_connection,
    table_column,
    visible_headers,
)

NOT_AN_ID = "nope-123"
EMOJI = ("✅", "❌", "⏳", "🚫", "⚠️")


def look_up(page: Page, text: str) -> None:
    page.get_by_label("Task IDs").fill(text)
    page.get_by_role("button", name="Look up").click()


def test_the_server_the_token_and_the_lookup_survive_changing_pages(
    page: Page, demo_app: StreamlitApp, test_emulator: Emulator
):
    failed = test_emulator.add_task(
        status="failed", name="Broken clip", failed_code="E_PAGES", failed_message="bad frame"
    )
    done = test_emulator.add_task(status="completed", name="Fine clip")
    page.goto(demo_app.url)
    expect(page.get_by_text("Demo data.", exact=True)).to_be_visible()
    sidebar_connection(page, "Custom", url=test_emulator.base_url, token=DEMO_TOKEN)
    look_up(page, f"{failed}\n{done}")
    expect(table_column(page, "Task id")).to_have_text([failed, done])

    for _ in range(2):
        page.get_by_role("link", name="Failures").click()
        expect(metric(page, "Failed tasks")).to_have_text("1")
        expect(table_column(page, "Failed code")).to_have_text(["E_PAGES"])
        page.get_by_role("link", name="Lookup").click()
        expect(table_column(page, "Task id")).to_have_text([failed, done])

    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_role("radio", name="Custom")).to_be_checked()
    expect(sidebar.get_by_role("textbox", name="Server URL")).to_have_value(test_emulator.base_url)
    expect(sidebar.get_by_label("API token", exact=True)).to_have_value(DEMO_TOKEN)
    expect(page.get_by_label("Task IDs")).to_have_value(f"{failed}\n{done}")
    expect(page.get_by_text("Demo data.", exact=True)).to_have_count(0)
    # Changing pages showed what was known: nothing was asked again.
    assert test_emulator.count_asked(done) == 1


def test_a_share_link_waits_for_a_token_then_looks_its_ids_up_there(
    page: Page, demo_app: StreamlitApp, test_emulator: Emulator
):
    first = test_emulator.add_task(status="completed", name="Shared one")
    second = test_emulator.add_task(status="pending", name="Shared two")
    page.goto(demo_app.url + "/" + ids_query(first, second, NOT_AN_ID))

    expect(page.get_by_text(re.compile(r"This link holds 2 shared task ids\."))).to_be_visible()
    not_ids = re.compile(f"Not task ids, not looked up \\(1\\): {NOT_AN_ID}")
    expect(page.get_by_text(not_ids)).to_be_visible()
    expect(page.get_by_text("Demo data.", exact=True)).to_have_count(0)
    expect(page.get_by_test_id("stSidebar").get_by_role("radio", name="Global")).to_be_checked()
    expect(page.locator('[data-testid="stDataFrame"]')).to_have_count(0)
    assert test_emulator.count_asked(first) == 0

    sidebar_connection(page, "Custom", url=test_emulator.base_url, token=DEMO_TOKEN)

    expect(table_column(page, "Task id")).to_have_text([first, second, NOT_AN_ID])
    expect(table_column(page, "Name")).to_have_text(["Shared one", "Shared two", ""])
    expect(table_column(page, "Status")).to_have_text(["✓ completed", "↻ pending", "⊘ invalid id"])
    expect(page.get_by_text(not_ids)).to_be_visible()


def test_a_share_link_names_its_server_and_the_copied_link_is_whole(
    browser: Browser, demo_app: StreamlitApp, test_emulator: Emulator
):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    task_id = test_emulator.add_task(status="completed")
    page.goto(f"{demo_app.url}/?ids={task_id}&server=china")
    expect(page.get_by_test_id("stSidebar").get_by_role("radio", name="China")).to_be_checked()
    expect(page.get_by_text(re.compile(r"This link holds 1 shared task id\."))).to_be_visible()

    sidebar_connection(page, "Custom", url=test_emulator.base_url, token=DEMO_TOKEN)
    expect(table_column(page, "Task id")).to_have_text([task_id])
    page.get_by_role("button", name="Copy share link").click()

    expect(page.get_by_role("button", name="Copied")).to_be_visible()
    link = page.evaluate("navigator.clipboard.readText()")
    assert link == f"{demo_app.url}/?ids={task_id}"
    assert DEMO_TOKEN not in link
    context.close()


def test_why_tasks_and_lookups_failed_is_in_view_at_1280_px(
    page_1280: Page, demo_app: StreamlitApp, test_emulator: Emulator
):
    page = page_1280
    message = "The source image was too dark to find a face. Use a brighter photo, then retry."
    failed = test_emulator.add_task(status="failed", failed_code="E_DARK", failed_message=message)
    missing = "0123456789abcdef01234567"
    page.goto(demo_app.url)
    sidebar_connection(page, "Custom", url=test_emulator.base_url, token=DEMO_TOKEN)
    look_up(page, f"{failed}\n{missing}\nabc123")

    reasons = table_column(page, "Reason")
    expect(reasons).to_have_text(
        [
            f"E_DARK: {message}",
            re.compile(r"^not found as any of the \d+ kinds tried$"),
            "not a task id: 6 characters, not 24; a task id is 24 hex characters",
        ]
    )
    headers = visible_headers(page)
    assert headers[: headers.index("Reason") + 1] == ["Status", "Reason"]
    # Columns empty for every row are hidden.
    assert "Progress" not in headers
    assert "Kind" not in headers


def test_an_unreachable_server_gets_one_banner_above_the_table(
    page_1280: Page, demo_app: StreamlitApp, test_emulator: Emulator
):
    page = page_1280
    page.goto(demo_app.url)
    sidebar_connection(page, "Custom", url="http://127.0.0.1:9", token=DEMO_TOKEN)
    look_up(page, "67d29023dd27a536fdf6e809\n67d29023dd27a536fdf6e80a")

    banner = page.locator(f'{FRESH} [data-testid="stAlert"]').filter(
        has_text="2 of 2 lookups failed. The server could not be reached."
    )
    expect(banner).to_have_count(1)
    expect(banner).to_be_in_viewport()
    expect(table_column(page, "Reason")).to_have_text(
        [re.compile("could not connect to server")] * 2
    )


def test_with_a_server_chosen_and_no_token_the_page_says_what_to_enter(
    page: Page, demo_app: StreamlitApp
):
    page.goto(demo_app.url)
    sidebar_connection(page, "Global")
    main = page.get_by_test_id("stMain")
    expect(main.get_by_text(re.compile(r"Enter your API token in the sidebar"))).to_be_visible()
    expect(main.get_by_text(re.compile(r"video\.a2e\.ai › Account › API Token"))).to_be_visible()

    sidebar_connection(page, "Custom")
    expect(
        main.get_by_text("Enter the server's URL in the sidebar (https:// and a host).")
    ).to_be_visible()
    expect(page.get_by_test_id("stSidebar").locator('[data-testid="stAlert"]')).to_have_count(0)


def test_a_rejected_token_stops_auto_refresh_and_the_toggle_shows_it(
    page: Page, demo_app: StreamlitApp, test_emulator: Emulator
):
    running = test_emulator.add_task(status="pending")
    page.goto(demo_app.url)
    sidebar_connection(page, "Custom", url=test_emulator.base_url, token="sk_wrong")
    look_up(page, running)

    expect(
        page.get_by_text(re.compile(r"^Auto-refresh stopped: the token was rejected"))
    ).to_be_visible()
    expect(page.get_by_role("switch", name="Auto-refresh")).not_to_be_checked()
    status_line = page.locator(FRESH).filter(has_text=re.compile(r"^Updated .+ · "))
    expect(status_line).not_to_contain_text("final")
    select_row(page, 0)
    detail = page.locator(FRESH).filter(has_text="Unknown: the lookup failed.")
    expect(detail.first).to_be_visible()
    expect(page.get_by_text("No result yet.")).to_have_count(0)


def test_statuses_use_text_symbols_and_material_icons_not_emoji(page: Page, demo_app: StreamlitApp):
    page.goto(demo_app.url)
    expect(table_column(page, "Status").first).to_have_text(re.compile(r"^[✓✗↻⚠⊘] "))
    pills = page.get_by_test_id("stButtonGroup")
    expect(pills.get_by_test_id("stIconMaterial").first).to_be_visible()
    text = page.evaluate("document.body.innerText") + "".join(
        table_column(page, "Status").all_text_contents()
    )
    assert not [emoji for emoji in EMOJI if emoji in text]


def test_the_page_fetches_nothing_from_other_hosts(page: Page, demo_app: StreamlitApp):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(demo_app.url)
    expect(table_column(page, "Status")).not_to_have_count(0)
    page.get_by_role("link", name="Failures").click()
    expect(page.get_by_role("heading", name="Failures")).to_be_visible()

    elsewhere = [url for url in requested if not url.startswith((demo_app.url, "data:", "blob:"))]
    assert elsewhere == []


def test_a_large_boards_videos_load_only_when_the_viewer_opens_them(
    page: Page, server_token_app: StreamlitApp, test_emulator: Emulator
):
    result = f"{test_emulator.base_url}/media/result-1.mp4"
    ids = [test_emulator.add_task(status="completed", result_url=result) for _ in range(30)]
    media: list[str] = []
    page.on("request", lambda request: media.append(request.url) if ".mp4" in request.url else None)
    page.goto(server_token_app.url + "/" + ids_query(*ids))
    expect(table_column(page, "Task id")).not_to_have_count(0)
    expect(metric(page, "Completed")).to_have_text("30")
    expect(page.locator('[data-testid="stVideo"]')).to_have_count(0)
    assert media == []

    page.get_by_text("Results (30)").click()

    expect(page.locator('[data-testid="stVideo"]')).to_have_count(6)


def test_auto_finds_each_ids_kind_and_shows_a_kind_column_in_view_at_1280_px(
    page_1280: Page, server_token_app: StreamlitApp, test_emulator: Emulator
):
    page = page_1280
    face = test_emulator.add_task(kind="face_swap", status="failed", name="Swapped")
    video = test_emulator.add_task(status="completed", name="Animated")

    page.goto(server_token_app.url + "/" + ids_query(face, video))

    expect(table_column(page, "Name")).to_have_text(["Swapped", "Animated"])
    expect(table_column(page, "Kind")).to_have_text(["Face swap", "Image to video"])
    headers = visible_headers(page)
    assert headers.index("Kind") == headers.index("Name") + 1
    assert "Reason" in headers


def test_a_task_seen_finishing_shows_when_and_how_long_and_the_detail_needs_no_scrolling(
    page: Page, server_token_app: StreamlitApp, test_emulator: Emulator
):
    running = test_emulator.add_task(status="pending", name="Watched")
    page.goto(server_token_app.url + "/" + ids_query(running))
    page.get_by_role("combobox", name="Interval").click()
    page.get_by_role("option", name="every 5 s").click()
    expect(table_column(page, "Status")).to_have_text(["↻ pending"])

    test_emulator.set_task(running, current_status="completed")

    expect(table_column(page, "Status")).to_have_text(["✓ completed"], timeout=40_000)
    expect(table_column(page, "Run time / ETA")).to_have_text([re.compile(r"\(observed\)$")])
    select_row(page, 0)
    times = page.get_by_text(re.compile(r"^Created .* · finished .* \(first seen final"))
    expect(times).to_be_visible()
    fields = page.locator(f'{FRESH} [data-testid="stDataFrame"]').nth(1)
    scroller = fields.locator(".dvn-scroller")
    overflow = scroller.evaluate("s => s.scrollHeight - s.clientHeight")
    assert overflow <= 1, f"the field table scrolls by {overflow} px"
    expect(table_column(page, "field", table=1)).to_contain_text(["trace_id"])
