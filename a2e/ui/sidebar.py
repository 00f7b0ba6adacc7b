"""The shared sidebar: which server, which token, and a "Check token" action.

Drawn once per run by the entry point (``a2e.ui.shell``), so its widgets keep their values on
every page. Who may use the server token, and which addresses a custom server may resolve
to, is the access policy's decision (``a2e.access.policy``), never this module's.
"""

from __future__ import annotations

import streamlit as st

from a2e.access.audit import AuditKind
from a2e.access.policy import Verdict, address_scope
from a2e.api.addresses import AddressScope
from a2e.api.errors import LookupFailed, TokenRejected
from a2e.api.meter import Meter
from a2e.api.servers import GLOBAL_SERVER, normalise_base_url
from a2e.sandbox import DEMO_TOKEN
from a2e.ui.budget_notes import record, within_budget
from a2e.ui.cached import demo_emulator, shared_client
from a2e.ui.connection_model import (
    CUSTOM_CHOICE,
    DEMO_CHOICE,
    SERVER_CHOICES,
    Connection,
    ConnectionState,
    Missing,
    TokenSource,
    default_choice,
)
from a2e.ui.links import app_base_url
from a2e.ui.plain import plain
from a2e.ui.server_token import applies, server_token_for
from a2e.ui.session import all_boards
from a2e.ui.settings import (
    ALLOW_CUSTOM_SETTING,
    BASE_URL_SETTING,
    TOKEN_SETTING,
    access_settings,
    server_setting,
)
from a2e.ui.viewer_context import current_viewer, is_loopback_url

TOKEN_HELP = "Your A2E API token (video.a2e.ai › Account › API Token). Kept only in memory."
__all__ = ["ALLOW_CUSTOM_SETTING", "BASE_URL_SETTING", "TOKEN_SETTING", "connection_sidebar"]


def connection_sidebar() -> ConnectionState:
    """Render the connection controls; the connection to use, or what is missing for one."""
    server_token = server_setting(TOKEN_SETTING)
    configured_url = server_setting(BASE_URL_SETTING)
    with st.sidebar:
        st.header("Connection")
        choice = _server_choice(configured_url, bool(server_token))
        if choice == DEMO_CHOICE:
            st.caption("Demo data from the built-in emulator. Pick a server to see your own tasks.")
            return ConnectionState(choice, None, demo_connection())
        base_url = _chosen_url(choice, configured_url)
        if base_url is None:
            return ConnectionState(choice, None, None, Missing.URL)
        state = _token_input(choice, base_url, server_token_for(base_url))
        if state.connection is not None:
            _check_token_button(state.connection)
        return state


def _server_choice(configured_url: str | None, has_server_token: bool) -> str:
    options = [] if has_server_token else [DEMO_CHOICE]
    options += list(SERVER_CHOICES)
    default = default_choice(
        configured_url,
        has_server_token,
        link_server=st.query_params.get("server"),
        shared_ids=bool(st.query_params.get("ids")),
    )
    if access_settings().allow_custom_server or default == CUSTOM_CHOICE:
        options.append(CUSTOM_CHOICE)
    if st.session_state.get("server_choice") not in options:
        st.session_state["server_choice"] = default
    return str(st.radio("Server", options, key="server_choice"))


def _chosen_url(choice: str, configured_url: str | None) -> str | None:
    if choice in SERVER_CHOICES:
        return SERVER_CHOICES[choice]
    if not access_settings().allow_custom_server:
        return normalise_base_url(configured_url or GLOBAL_SERVER)
    typed = st.text_input(
        "Server URL", value=configured_url or "", key="custom_url", placeholder="https://…"
    )
    if not typed.strip():
        return None
    try:
        url = normalise_base_url(typed)
    except ValueError:
        st.warning("Enter the server's URL: https:// (or http://) and a host, nothing more.")
        return None
    if url.lower().startswith("http://") and not is_loopback_url(url):
        st.warning("This server is not HTTPS: the token would travel unencrypted.")
    return url


def _token_input(
    choice: str, base_url: str, server_token: tuple[str | None, Verdict]
) -> ConnectionState:
    usable, verdict = server_token
    typed = st.text_input(
        "API token",
        type="password",
        key="viewer_token",
        placeholder="Server token in use" if usable else "sk_…",
        help=TOKEN_HELP,
    )
    if typed.strip():
        scope = _scope_for(choice, base_url)
        connection = Connection(base_url, typed.strip(), TokenSource.VIEWER, scope=scope)
        return ConnectionState(choice, base_url, connection)
    if usable:
        st.caption(":material/lock: A server token is in use. Enter your own to use it instead.")
        if verdict.reason:
            st.caption(plain(verdict.reason))
        return ConnectionState(choice, base_url, Connection(base_url, usable, TokenSource.SERVER))
    return ConnectionState(choice, base_url, None, Missing.TOKEN, verdict.reason)


def _scope_for(choice: str, base_url: str) -> AddressScope:
    """A URL the viewer typed may reach only what the policy lets this viewer reach."""
    configured = server_setting(BASE_URL_SETTING)
    if choice != CUSTOM_CHOICE or (configured and applies(base_url, configured)):
        return AddressScope.ANY
    return address_scope(current_viewer())


def _check_token_button(connection: Connection) -> None:
    if not st.button("Check token", key="check_token"):
        return
    if not within_budget(connection, AuditKind.TOKEN_CHECK):
        return
    boards = all_boards(connection)
    meter = Meter()  # the press was spent up front; this counts what was sent, for the audit
    try:
        client = shared_client(connection.base_url, connection.scope)
        coins = client.remaining_coins(connection.token, meter=meter)
    except LookupFailed as exc:
        outcomes = {exc.cause.value: 1}
        record(connection, AuditKind.TOKEN_CHECK, ids=0, outcomes=outcomes, meter=meter)
        if isinstance(exc, TokenRejected):
            for board in boards:
                board.token_checked(accepted=False)
        st.error(f"Token check failed: {plain(exc.message)}")
        return
    record(connection, AuditKind.TOKEN_CHECK, ids=0, outcomes={"ok": 1}, meter=meter)
    for board in boards:
        board.token_checked(accepted=True)
    st.success(f"Token works: {coins:,.0f} coins left.")


def demo_connection() -> Connection:
    """The connection to the built-in emulator, with its media served by the dashboard."""
    emulator = demo_emulator()
    return Connection(
        base_url=emulator.base_url,
        token=DEMO_TOKEN,
        source=TokenSource.DEMO,
        media_prefix=f"{emulator.base_url}/media/",
        media_replacement=app_static_url("demo/"),
    )


def app_static_url(path: str) -> str:
    """The absolute URL, as the viewer's browser sees it, of a file in ``static/``."""
    return f"{app_base_url()}/app/static/{path}"
