"""A browser behind nginx's plain ``proxy_pass`` (no forwarding header, ``Host`` rewritten to the
upstream's loopback address) is still a stranger: its ``Origin`` names the proxy's name.

The proxy here is the one a person writes in five minutes to put the dashboard on the network:
``proxy_pass http://127.0.0.1:PORT`` with the websocket upgrade (without it Streamlit cannot run
at all), and nothing else. nginx then sends ``Host: 127.0.0.1:PORT`` and no ``X-Forwarded-For``:
the connection, its address and its ``Host`` all look local. Only the browser's ``Origin``
(sent on every websocket handshake, never rewritten by nginx) says where the page was opened.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect

from a2e.access.policy import NOT_ON_THIS_MACHINE
from a2e.sandbox import DEMO_TOKEN, Emulator
from tests.browser.conftest import StreamlitApp, ids_query
from tests.browser.test_safety import SeenByTheBrowser
from tests.deploy_nginx import NGINX, require_nginx
from tests.redis_server import free_port

PLAIN_PROXY = """
pid {workdir}/plain-nginx.pid;
error_log {workdir}/plain-nginx-error.log;
events {{}}
http {{
    access_log off;
    client_body_temp_path {workdir}/plain-nginx-body;
    proxy_temp_path {workdir}/plain-nginx-proxy;
    server {{
        listen {address}:{port};
        location / {{
            proxy_pass http://127.0.0.1:{upstream};
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
        }}
    }}
}}
"""


@pytest.fixture
def plain_proxy(
    server_token_app: StreamlitApp, other_address: str, tmp_path: Path
) -> Iterator[str]:
    """nginx on this machine's other address in front of the server-token dashboard; its URL."""
    require_nginx()
    port = free_port()
    config = tmp_path / "plain-nginx.conf"
    config.write_text(
        PLAIN_PROXY.format(
            workdir=tmp_path, address=other_address, port=port, upstream=server_token_app.port
        )
    )
    command = [NGINX, "-c", str(config), "-p", str(tmp_path), "-g", "daemon off;"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://{other_address}:{port}"
    try:
        _wait_until_it_answers(url)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def _wait_until_it_answers(url: str) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/_stcore/health", timeout=1).text == "ok":
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)  # nginx is starting: nothing to wait on instead
    pytest.fail("nginx did not start")


def test_a_browser_behind_a_plain_nginx_proxy_pass_is_not_given_the_server_token(
    page: Page, plain_proxy: str, test_emulator: Emulator
):
    seen = SeenByTheBrowser(page)
    task_id = test_emulator.add_task(status="pending", name="Behind plain nginx")

    page.goto(plain_proxy + "/" + ids_query(task_id))

    expect(page.get_by_text(NOT_ON_THIS_MACHINE)).to_be_visible()
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_label("API token", exact=True)).to_have_attribute("placeholder", "sk_…")
    expect(page.get_by_test_id("stDataFrame")).to_have_count(0)
    assert test_emulator.count_asked(task_id) == 0
    assert seen.places_with(DEMO_TOKEN) == []
