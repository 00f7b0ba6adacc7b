"""Real-browser fixtures: Debian's Chromium, `streamlit run app.py` per configuration, an emulator.

One streamlit server per configuration for the whole session (the demo, and a server-side
token for an emulator started here); every test gets a fresh browser context, so a fresh
Streamlit session.
"""

from __future__ import annotations

import ipaddress
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Generator, Iterator, Mapping
from pathlib import Path

import httpx
import pytest
from oidc_provider_mock import User, run_server_in_thread
from playwright.sync_api import Browser, Locator, Page, ViewportSize, expect, sync_playwright

from a2e.sandbox import DEMO_TOKEN, Emulator

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--autoplay-policy=no-user-gesture-required",
]
VIEWPORT: ViewportSize = {"width": 1400, "height": 1000}
STARTUP_TIMEOUT = 60.0
# Streamlit answers within a second or two; these only bound a slow, shared CI machine.
UI_TIMEOUT_MS = 30_000
SETTINGS_FROM_OUTSIDE = (
    "A2E_API_TOKEN",
    "A2E_BASE_URL",
    "A2E_SERVER_TOKEN_FOR",
    "A2E_ALLOWED_USERS",
    "A2E_AUDIT_LOG",
    "A2E_BUDGET_LOOKUPS_PER_MINUTE",
    "A2E_BUDGET_TOKEN_CHECKS_PER_MINUTE",
    "A2E_BUDGET_LISTS_PER_MINUTE",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in item.path.resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """On failure, add the log of each streamlit server the test used to the report."""
    report = yield
    if report.failed:
        for value in getattr(item, "funcargs", {}).values():
            if isinstance(value, StreamlitApp):
                report.sections.append((f"streamlit log ({value.name})", value.log()))
    return report


class StreamlitApp:
    """`streamlit run app.py` on a free port, with only the settings (and secrets) given here.

    It listens on loopback unless given another ``address`` of this machine. ``secrets`` is the
    text of its secrets file (an ``[auth]`` section, say; ``{port}`` in ``redirect_uri`` is
    Streamlit's own placeholder for the server's port).
    """

    def __init__(
        self,
        name: str,
        settings: Mapping[str, str],
        workdir: Path,
        *,
        secrets: str = "",
        address: str = "127.0.0.1",
        script: str = "app.py",
    ) -> None:
        self.name = name
        self._script = script
        self.address = address
        self.port = _free_port(address)
        self.url = f"http://{address}:{self.port}"
        self._log_path = workdir / f"streamlit-{name}.log"
        # Only these secrets: a developer's .streamlit/secrets.toml must not configure a token.
        self._secrets = workdir / f"secrets-{name}.toml"
        self._secrets.write_text(secrets)
        self._env = _controlled_env(settings)
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> StreamlitApp:
        with self._log_path.open("wb") as log:
            self._process = subprocess.Popen(
                self._command(), cwd=ROOT, env=self._env, stdout=log, stderr=subprocess.STDOUT
            )
        self._wait_until_healthy()
        return self

    def stop(self) -> None:
        if self._process is None:
            return
        self._process.terminate()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait(timeout=10)

    def log(self) -> str:
        return self._log_path.read_text(errors="replace") if self._log_path.exists() else ""

    @property
    def pid(self) -> int:
        """The server's process id (a benchmark samples its memory)."""
        assert self._process is not None, "start() first"
        return self._process.pid

    def _command(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            self._script,
            "--server.headless",
            "true",
            "--server.port",
            str(self.port),
            "--server.address",
            self.address,
            "--browser.gatherUsageStats",
            "false",
            # Edits to the checkout while the suite runs must not show "File change" banners.
            "--server.fileWatcherType",
            "none",
            "--secrets.files",
            str(self._secrets),
        ]

    def _wait_until_healthy(self) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            assert self._process is not None
            if self._process.poll() is not None:
                pytest.fail(f"streamlit ({self.name}) exited early:\n{self.log()}")
            if _answers_health(self.url):
                return
            time.sleep(0.2)  # polling a server that is starting; nothing to wait on instead
        self.stop()
        pytest.fail(
            f"streamlit ({self.name}) was not healthy in {STARTUP_TIMEOUT} s:\n{self.log()}"
        )


def _free_port(address: str = "127.0.0.1") -> int:
    with socket.socket() as probe:
        probe.bind((address, 0))
        return int(probe.getsockname()[1])


def _controlled_env(settings: Mapping[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_FROM_OUTSIDE}
    env.update(settings)
    return env


def _answers_health(url: str) -> bool:
    try:
        return httpx.get(f"{url}/_stcore/health", timeout=2.0).status_code == 200
    except httpx.HTTPError:
        return False


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: install Debian's chromium package"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh context (so a fresh Streamlit session) with the screenshot's viewport."""
    context = browser.new_context(viewport=VIEWPORT, timezone_id="UTC")
    context.set_default_timeout(UI_TIMEOUT_MS)
    expect.set_options(timeout=UI_TIMEOUT_MS)
    yield context.new_page()
    context.close()


FORWARDED_FOR = "203.0.113.7"


@pytest.fixture
def forwarded_page(browser: Browser) -> Iterator[Page]:
    """A browser whose every request, the websocket's included, says a proxy forwarded it."""
    context = browser.new_context(
        viewport=VIEWPORT, timezone_id="UTC", extra_http_headers={"X-Forwarded-For": FORWARDED_FOR}
    )
    yield context.new_page()
    context.close()


@pytest.fixture
def page_1280(browser: Browser) -> Iterator[Page]:
    """A fresh session in a 1280×800 window, a common laptop size."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, timezone_id="UTC")
    context.set_default_timeout(UI_TIMEOUT_MS)
    expect.set_options(timeout=UI_TIMEOUT_MS)
    yield context.new_page()
    context.close()


@pytest.fixture(scope="session")
def streamlit_workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("streamlit")


@pytest.fixture(scope="session")
def demo_app(streamlit_workdir: Path) -> Iterator[StreamlitApp]:
    """The dashboard with no token configured: it opens on its built-in demo."""
    app = StreamlitApp("demo", {}, streamlit_workdir).start()
    yield app
    app.stop()


@pytest.fixture
def fresh_demo_app(streamlit_workdir: Path) -> Iterator[StreamlitApp]:
    """A dashboard no viewer has opened yet (for what happens on a server's first request)."""
    app = StreamlitApp("fresh-demo", {}, streamlit_workdir).start()
    yield app
    app.stop()


@pytest.fixture(scope="session")
def test_emulator() -> Iterator[Emulator]:
    """An emulator owned by this suite (not reset per test: the server keeps its client)."""
    with Emulator() as emulator:
        yield emulator


@pytest.fixture(scope="session")
def server_token_app(test_emulator: Emulator, streamlit_workdir: Path) -> Iterator[StreamlitApp]:
    """The dashboard configured, server-side, with a token for the test emulator."""
    settings = server_token_settings(test_emulator)
    app = StreamlitApp("server-token", settings, streamlit_workdir).start()
    yield app
    app.stop()


# Sign-in and who gets the server token (issue 9): a real OIDC provider on loopback, the
# dashboard configured to sign in with it, and the dashboard served on an address of this
# machine that is not loopback (so its viewers connect from that address, like a colleague).

TEAM_MEMBER = User(
    sub="alice",
    claims={"email": "Alice@Team.example", "email_verified": True, "name": "Alice Example"},
)
OUTSIDER = User(
    sub="mallory",
    claims={"email": "mallory@elsewhere.example", "email_verified": True, "name": "Mallory"},
)
ALLOWED_USERS = "alice@team.example, @support.example"


@pytest.fixture(scope="session")
def oidc_provider() -> Iterator[str]:
    """``oidc-provider-mock`` on a free loopback port, with its own sign-in page; its URL."""
    with run_server_in_thread(port=0, user_claims=[TEAM_MEMBER, OUTSIDER]) as server:
        yield f"http://localhost:{server.server_port}"


def auth_secrets(provider_url: str) -> str:
    """An ``[auth]`` section, as ``.streamlit/secrets.toml`` holds it, for one OIDC provider."""
    return (
        "[auth]\n"
        'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(32)}"\n'
        'client_id = "a2e-dashboard"\n'
        'client_secret = "test-client-secret"\n'
        f'server_metadata_url = "{provider_url}/.well-known/openid-configuration"\n'
    )


@pytest.fixture(scope="session")
def sign_in_audit_log(streamlit_workdir: Path) -> Path:
    return streamlit_workdir / "audit-sign-in.jsonl"


@pytest.fixture(scope="session")
def sign_in_app(
    oidc_provider: str,
    test_emulator: Emulator,
    streamlit_workdir: Path,
    sign_in_audit_log: Path,
    browser: Browser,
) -> Iterator[StreamlitApp]:
    """The dashboard with a server token, sign-in through the provider, and an allow-list."""
    settings = server_token_settings(
        test_emulator, A2E_ALLOWED_USERS=ALLOWED_USERS, A2E_AUDIT_LOG=str(sign_in_audit_log)
    )
    secrets_text = auth_secrets(oidc_provider)
    app = StreamlitApp("sign-in", settings, streamlit_workdir, secrets=secrets_text).start()
    _open_first_session(app, browser)
    yield app
    app.stop()


def _open_first_session(app: StreamlitApp, browser: Browser) -> None:
    """Open (and close) the server's first session before any test presses a button in one.

    A fresh server runs its first session's first run in Streamlit's old pages-folder mode
    (``pages/`` exists; app.py's ``st.navigation`` ends that mode for the rest of the process),
    and a button pressed on that first page belongs to another page's widget ids, so the
    press is lost: the first "Log in" after a restart needs a second press. Every later
    session is unaffected; the tests meet the dashboard as those do.
    """
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.goto(app.url + "/")
    expect(page.get_by_role("button", name="Log in")).to_be_visible(timeout=UI_TIMEOUT_MS)
    context.close()


def non_loopback_address() -> str | None:
    """An IPv4 address of this machine's own interfaces that is not loopback, if it has one."""
    try:
        listing = subprocess.run(
            ["ip", "-j", "-4", "addr"], capture_output=True, text=True, check=True, timeout=10
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    for interface in json.loads(listing or "[]"):
        for address in interface.get("addr_info", []):
            local = address.get("local")
            if local and not ipaddress.ip_address(local).is_loopback:
                return str(local)
    return None


@pytest.fixture(scope="session")
def other_address() -> str:
    """This machine's non-loopback address: a server bound there sees its viewers come from it."""
    address = non_loopback_address()
    if address is None:
        pytest.skip("this machine has no non-loopback IPv4 address to serve the dashboard on")
    return address


def server_token_settings(emulator: Emulator, **more: str) -> dict[str, str]:
    return {"A2E_BASE_URL": emulator.base_url, "A2E_API_TOKEN": DEMO_TOKEN, **more}


@pytest.fixture(scope="session")
def remote_app(
    other_address: str, test_emulator: Emulator, streamlit_workdir: Path
) -> Iterator[StreamlitApp]:
    """A server token, the default rule (this machine only), served on a non-loopback address."""
    settings = server_token_settings(test_emulator)
    app = StreamlitApp("remote", settings, streamlit_workdir, address=other_address).start()
    yield app
    app.stop()


@pytest.fixture(scope="session")
def shared_app(
    other_address: str, test_emulator: Emulator, streamlit_workdir: Path
) -> Iterator[StreamlitApp]:
    """As ``remote_app``, with the server token shared: ``A2E_SERVER_TOKEN_FOR=anyone``."""
    settings = server_token_settings(test_emulator, A2E_SERVER_TOKEN_FOR="anyone")
    app = StreamlitApp("shared", settings, streamlit_workdir, address=other_address).start()
    yield app
    app.stop()


# Helpers the tests share: what a viewer reads off the page.

# While a rerun is under way, Streamlit keeps the previous run's elements on the page, faded
# and marked stale, next to the new ones; a viewer reads the new ones.
FRESH = '[data-testid="stElementContainer"]:not([data-stale="true"])'


def metric(page: Page, label: str) -> Locator:
    """The value of the summary metric labelled ``label``."""
    card = page.locator(f'{FRESH} [data-testid="stMetric"]').filter(
        has=page.locator(
            '[data-testid="stMetricLabel"]', has_text=re.compile(f"^{re.escape(label)}$")
        )
    )
    return card.locator('[data-testid="stMetricValue"]')


def data_grid(page: Page, table: int = 0) -> Locator:
    """The ``table``-th data grid on the page (a canvas, with an accessible table inside)."""
    return page.locator(f'{FRESH} [data-testid="stDataFrame"]').nth(table)


def table_column(page: Page, header: str, *, table: int = 0) -> Locator:
    """The cells of one column of a data grid, through the grid's accessible table."""
    grid = data_grid(page, table).locator('table[role="grid"]')
    headers = grid.locator('th[role="columnheader"]')
    expect(headers.filter(has_text=re.compile(f"^{re.escape(header)}$"))).to_have_count(1)
    index = headers.evaluate_all(
        "(cells, header) => cells.find(c => c.textContent === header).ariaColIndex", header
    )
    return grid.locator(f'td[role="gridcell"][aria-colindex="{index}"]')


def select_row(page: Page, row: int, *, table: int = 0) -> None:
    """Tick a row's checkbox on the (canvas) data grid, as a viewer does.

    Rows are as tall as their longest wrapped cell needs (``a2e.ui.table``): the row height is
    the grid's height over its rows (a grid short enough to show them all, as the tests' are).
    """
    grid = data_grid(page, table)
    grid.scroll_into_view_if_needed()
    header_height, checkbox_x, frame = 35, 16, 3
    rows = int(grid.locator('table[role="grid"]').get_attribute("aria-rowcount") or 2) - 1
    box = grid.bounding_box()
    row_height = (box["height"] - header_height - frame) / max(rows, 1) if box else 35
    grid.click(position={"x": checkbox_x, "y": header_height + row_height * row + row_height / 2})


def visible_headers(page: Page, table: int = 0) -> list[str]:
    """The headers of the columns a viewer sees without scrolling the grid sideways.

    The grid is a canvas; its accessible table holds only the columns in view.
    """
    grid = data_grid(page, table).locator('table[role="grid"]')
    return grid.locator('th[role="columnheader"]').all_text_contents()


def sidebar_connection(page: Page, server: str, *, url: str = "", token: str = "") -> None:
    """Choose a server in the sidebar and type its URL (Custom) and a token, as a viewer does."""
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text(server, exact=True).click()
    if url:
        field = sidebar.get_by_role("textbox", name="Server URL")
        field.fill(url)
        field.press("Enter")
    if token:
        field = sidebar.get_by_label("API token", exact=True)
        field.fill(token)
        field.press("Enter")


def ids_query(*task_ids: str) -> str:
    return "?ids=" + ",".join(task_ids)


def wait_until(condition: Callable[[], bool], *, timeout: float, message: str) -> None:
    """Poll a condition the page cannot show (the emulator's request log) until it holds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting until {message}")
        time.sleep(0.1)
