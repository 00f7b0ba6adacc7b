"""Viewers who only *look* local do not get the server token; names not answered get nothing.

Two ways a stranger's connection reaches the dashboard from loopback without any forwarding
header (issue 14 §1), each against a real ``streamlit run`` with a server token:

- a plain TCP forwarder on this machine (``ssh -L``, socat, HAProxy without ``forwardfor``),
  reached by the browser under another address of this machine;
- a websocket to 127.0.0.1 with ``Host: evil.example:PORT`` and a matching ``Origin``, as a
  DNS-rebinding page sends it.

And ``A2E_ALLOWED_HOSTS``: a name the deployment does not answer to gets a plain refusal on
every route (page, static files, websocket, ``/metrics``), never data.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from google.protobuf.message import Message
from playwright.sync_api import Page, expect
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect
from websockets.typing import Origin

from a2e.access.policy import NOT_ON_THIS_MACHINE, PROXY_WARNING
from a2e.sandbox import DEMO_TOKEN, Emulator
from a2e.ui.host_guard import REFUSAL
from a2e.ui.plain import plain
from tests.browser.conftest import (
    StreamlitApp,
    ids_query,
    server_token_settings,
    table_column,
)
from tests.browser.test_safety import SeenByTheBrowser
from tests.tcp_forwarder import TcpForwarder

SERVER_TOKEN_IN_USE = "Server token in use"
SESSION_SECONDS = 30.0


def token_field_placeholder(page: Page) -> str | None:
    field = page.get_by_test_id("stSidebar").get_by_label("API token", exact=True)
    return field.get_attribute("placeholder")


def test_a_viewer_behind_a_headerless_tcp_forwarder_is_not_given_the_server_token(
    page: Page, server_token_app: StreamlitApp, test_emulator: Emulator, other_address: str
):
    seen = SeenByTheBrowser(page)
    task_id = test_emulator.add_task(status="pending")
    target = ("127.0.0.1", server_token_app.port)

    with TcpForwarder(other_address, target) as forwarder:
        page.goto(forwarder.url + "/" + ids_query(task_id))
        # The dashboard saw a loopback connection with no forwarding header: only the Host
        # (this machine's other address, as the browser typed it) tells it apart.
        expect(page.get_by_text(NOT_ON_THIS_MACHINE)).to_be_visible()
        sidebar = page.get_by_test_id("stSidebar")
        expect(sidebar.get_by_label("API token", exact=True)).to_have_attribute(
            "placeholder", "sk_…"
        )
        expect(page.get_by_test_id("stDataFrame")).to_have_count(0)

    assert test_emulator.count_asked(task_id) == 0
    assert seen.places_with(DEMO_TOKEN) == []


def raw_session(app: StreamlitApp, host: str, origin: str | None, query: str) -> str:
    """Open the dashboard's websocket from loopback naming ``host`` (with ``origin``, or none),
    run the script once with ``query``, and return the text of every message until the run
    ends."""
    sock = socket.create_connection(("127.0.0.1", app.port), timeout=SESSION_SECONDS)
    uri = f"ws://{host}/_stcore/stream"
    sent_origin = None if origin is None else Origin(origin)
    with connect(
        uri, sock=sock, origin=sent_origin, subprotocols=["streamlit"], open_timeout=30
    ) as websocket:
        rerun = BackMsg()
        rerun.rerun_script.query_string = query
        websocket.send(rerun.SerializeToString())
        return "\n".join(_messages_until_the_run_ends(websocket))


def _messages_until_the_run_ends(websocket: object) -> Iterator[str]:
    while True:
        data = websocket.recv(timeout=SESSION_SECONDS)  # type: ignore[attr-defined]
        message = ForwardMsg.FromString(data)
        yield from _texts(message)
        if message.WhichOneof("type") == "script_finished" and message.script_finished == (
            ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY
        ):
            return


def _texts(message: Message) -> Iterator[str]:
    """Every text field of a protobuf message, however deep."""
    for field, value in message.ListFields():
        values = value if field.is_repeated else [value]
        for item in values:
            if isinstance(item, Message):
                yield from _texts(item)
            elif isinstance(item, str):
                yield item


def test_a_rebinding_pages_websocket_to_loopback_is_not_given_the_server_token(
    server_token_app: StreamlitApp, test_emulator: Emulator
):
    task_id = test_emulator.add_task(status="pending", name="Rebinding target")
    host = f"evil.example:{server_token_app.port}"

    said = raw_session(server_token_app, host, f"http://{host}", f"ids={task_id}")

    assert plain(NOT_ON_THIS_MACHINE) in said  # the run happened, and told the viewer why
    assert SERVER_TOKEN_IN_USE not in said
    assert "Rebinding target" not in said
    assert test_emulator.count_asked(task_id) == 0


def test_the_same_websocket_under_a_local_name_is_given_the_server_token(
    server_token_app: StreamlitApp, test_emulator: Emulator
):
    task_id = test_emulator.add_task(status="pending", name="Local viewer's task")
    host = f"localhost:{server_token_app.port}"

    said = raw_session(server_token_app, host, f"http://{host}", f"ids={task_id}")

    assert SERVER_TOKEN_IN_USE in said
    assert plain(NOT_ON_THIS_MACHINE) not in said
    assert test_emulator.count_asked(task_id) == 1


def test_a_websocket_without_an_origin_under_a_local_name_is_not_given_the_server_token(
    server_token_app: StreamlitApp, test_emulator: Emulator
):
    # What a script sends through a proxy that rewrites the Host to the upstream's loopback
    # address and adds no forwarding header (nginx's plain proxy_pass): no browser omits Origin.
    task_id = test_emulator.add_task(status="pending", name="Scripted through a proxy")
    host = f"127.0.0.1:{server_token_app.port}"

    said = raw_session(server_token_app, host, None, f"ids={task_id}")

    assert plain(NOT_ON_THIS_MACHINE) in said
    assert SERVER_TOKEN_IN_USE not in said
    assert "Scripted through a proxy" not in said
    assert test_emulator.count_asked(task_id) == 0


def test_a_server_token_without_sign_in_on_another_address_is_warned_about_at_start_up(
    remote_app: StreamlitApp, server_token_app: StreamlitApp
):
    assert PROXY_WARNING.format(where=remote_app.address) in remote_app.log()
    assert "X-Forwarded-For" not in server_token_app.log()  # it listens on loopback only


# A2E_ALLOWED_HOSTS


@pytest.fixture(scope="module")
def allowed_hosts_app(test_emulator: Emulator, streamlit_workdir: Path) -> Iterator[StreamlitApp]:
    """A server token, ``/metrics``, and only ``localhost`` answered."""
    settings = server_token_settings(test_emulator, A2E_ALLOWED_HOSTS="localhost", A2E_METRICS="1")
    app = StreamlitApp("allowed-hosts", settings, streamlit_workdir).start()
    yield app
    app.stop()


@pytest.mark.parametrize(
    "path", ["/", "/recent", "/app/static/favicon.png", "/metrics", "/_stcore/host-config"]
)
def test_a_name_not_answered_gets_a_plain_refusal_on_every_route(
    allowed_hosts_app: StreamlitApp, path: str
):
    url = f"http://127.0.0.1:{allowed_hosts_app.port}{path}"
    refused = httpx.get(url, headers={"Host": "evil.example"}, timeout=10)
    answered = httpx.get(url, headers={"Host": f"localhost:{allowed_hosts_app.port}"}, timeout=10)

    assert (refused.status_code, refused.text) == (400, REFUSAL)
    assert refused.headers["content-type"].startswith("text/plain")
    assert answered.status_code == 200


def test_the_health_check_answers_any_name(allowed_hosts_app: StreamlitApp):
    url = f"http://127.0.0.1:{allowed_hosts_app.port}/_stcore/health"
    assert httpx.get(url, headers={"Host": "10.0.0.5"}, timeout=10).text == "ok"


def test_a_websocket_to_a_name_not_answered_is_refused_before_it_opens(
    allowed_hosts_app: StreamlitApp, test_emulator: Emulator
):
    task_id = test_emulator.add_task(status="pending")
    host = f"evil.example:{allowed_hosts_app.port}"
    with pytest.raises(InvalidStatus) as refused:
        raw_session(allowed_hosts_app, host, f"http://{host}", f"ids={task_id}")
    assert refused.value.response.status_code == 403
    assert test_emulator.count_asked(task_id) == 0


def test_a_browser_under_a_name_not_answered_sees_only_the_refusal(
    page: Page, allowed_hosts_app: StreamlitApp, test_emulator: Emulator
):
    task_id = test_emulator.add_task(status="pending")
    # 127.0.0.1 is this machine, but the deployment answers only to "localhost".
    page.goto(f"http://127.0.0.1:{allowed_hosts_app.port}/" + ids_query(task_id))
    expect(page.locator("body")).to_have_text(REFUSAL.strip())
    assert test_emulator.count_asked(task_id) == 0

    page.goto(f"http://localhost:{allowed_hosts_app.port}/" + ids_query(task_id))
    expect(table_column(page, "Status")).to_have_text(["↻ pending"])
    assert token_field_placeholder(page) == SERVER_TOKEN_IN_USE
