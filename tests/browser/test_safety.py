"""What must never happen in a viewer's browser: API text run as code, the server's token sent."""

from __future__ import annotations

from playwright.sync_api import Dialog, Page, Response, WebSocket, expect

from a2e.sandbox import DEMO_TOKEN, Emulator
from tests.browser.conftest import StreamlitApp, ids_query, metric, select_row, table_column

HOSTILE_NAME = "<img src=x onerror=alert(1)>"
MARKDOWN_MESSAGE = "**bold** [click](javascript:alert(1))"
TEXT_TYPES = ("text/", "json", "javascript", "xml", "svg")
STORAGE = "JSON.stringify([{...localStorage}, {...sessionStorage}, document.cookie])"


def test_a_hostile_name_shows_as_text_and_runs_nothing(
    page: Page, server_token_app: StreamlitApp, test_emulator: Emulator
):
    dialogs: list[str] = []

    def record(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", record)
    task_id = test_emulator.add_task(
        status="failed", name=HOSTILE_NAME, failed_code="E_BAD", failed_message=MARKDOWN_MESSAGE
    )
    page.goto(server_token_app.url + "/" + ids_query(task_id))
    expect(table_column(page, "Name")).to_have_text([HOSTILE_NAME])

    select_row(page, 0)

    detail_line = page.locator('[data-testid="stText"]').filter(has_text=task_id)
    expect(detail_line).to_have_text(f"{HOSTILE_NAME}  ·  {task_id}  ·  ✗ failed")
    raw_json = page.locator('[data-testid="stCode"]').filter(has_text='"failed_message"')
    expect(raw_json).to_contain_text(f'"failed_message": "{MARKDOWN_MESSAGE}"')
    page.get_by_role("link", name="Failures").click()
    expect(table_column(page, "Messages")).to_have_text([MARKDOWN_MESSAGE])
    expect(page.get_by_text("E_BAD: 1 task", exact=True)).to_be_visible()

    assert dialogs == []
    expect(page.locator('img[src="x"]')).to_have_count(0)
    expect(page.locator('a[href^="javascript:"]')).to_have_count(0)
    expect(page.locator("strong", has_text="bold")).to_have_count(0)


def test_a_server_side_token_never_reaches_the_browser(
    page: Page, server_token_app: StreamlitApp, test_emulator: Emulator
):
    seen = SeenByTheBrowser(page)
    failed = test_emulator.add_task(status="failed", failed_code="E_TOKEN_TEST")
    pending = test_emulator.add_task(status="pending")

    page.goto(server_token_app.url + "/" + ids_query(failed, pending))
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_role("radio", name="Custom")).to_be_checked()
    expect(sidebar.get_by_role("textbox", name="Server URL")).to_have_value(test_emulator.base_url)
    token_field = sidebar.get_by_label("API token", exact=True)
    expect(token_field).to_have_attribute("placeholder", "Server token in use")
    expect(token_field).to_have_value("")
    expect(sidebar.get_by_text("A server token is in use.")).to_be_visible()
    expect(table_column(page, "Status")).to_have_text(["✗ failed", "↻ pending"])
    select_row(page, 0)
    expect(page.get_by_text("A2E task support bundle").first).to_be_visible()
    page.get_by_role("link", name="Failures").click()
    expect(metric(page, "Failed tasks")).to_have_text("1")
    sidebar.get_by_role("button", name="Check token").click()
    expect(page.get_by_text("Token works: 2,000 coins left.", exact=True)).to_be_visible()

    assert seen.frames, "no websocket frame was captured"
    assert seen.bodies, "no response body was captured"
    assert DEMO_TOKEN not in page.url
    assert DEMO_TOKEN not in page.content()
    assert DEMO_TOKEN not in page.evaluate(STORAGE)
    assert seen.places_with(DEMO_TOKEN) == []


class SeenByTheBrowser:
    """Every websocket frame and text response body the page receives or sends."""

    def __init__(self, page: Page) -> None:
        self.frames: list[bytes] = []
        self.bodies: list[tuple[str, bytes]] = []
        page.on("websocket", self._watch)
        page.on("response", self._read)

    def places_with(self, secret: str) -> list[str]:
        """Where ``secret`` appears, raw or as UTF-8."""
        raw = secret.encode()
        found = [f"frame {i}" for i, frame in enumerate(self.frames) if _contains(frame, raw)]
        return found + [url for url, body in self.bodies if _contains(body, raw)]

    def _watch(self, socket: WebSocket) -> None:
        socket.on("framereceived", self._keep_frame)
        socket.on("framesent", self._keep_frame)

    def _keep_frame(self, payload: str | bytes) -> None:
        self.frames.append(payload.encode() if isinstance(payload, str) else payload)

    def _read(self, response: Response) -> None:
        kind = response.headers.get("content-type", "")
        redirect = 300 <= response.status < 400  # has no body to read
        if not redirect and any(text in kind for text in TEXT_TYPES):
            self.bodies.append((response.url, response.body()))


def _contains(data: bytes, secret: bytes) -> bool:
    return secret in data or secret.decode() in data.decode("utf-8", errors="replace")
