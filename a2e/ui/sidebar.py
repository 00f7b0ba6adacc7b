"""The shared sidebar: which server, which token, and a "Check token" action."""

from __future__ import annotations

import os
from urllib.parse import urlsplit

import streamlit as st

from a2e.api.client import GLOBAL_SERVER, normalise_base_url
from a2e.api.errors import LookupFailed
from a2e.sandbox import DEMO_TOKEN
from a2e.ui.cached import demo_emulator, shared_client
from a2e.ui.connection_model import (
    CUSTOM_CHOICE,
    DEMO_CHOICE,
    SERVER_CHOICES,
    Connection,
    TokenSource,
    default_choice,
    server_token_applies,
)
from a2e.ui.plain import plain

TOKEN_SETTING = "A2E_API_TOKEN"
BASE_URL_SETTING = "A2E_BASE_URL"
ALLOW_CUSTOM_SETTING = "A2E_ALLOW_CUSTOM_SERVER"
_NO = ("0", "false", "no", "off")


def server_setting(name: str) -> str | None:
    """A setting from the environment, else from ``st.secrets`` (the token is never shown)."""
    value = os.environ.get(name)
    if value and value.strip():
        return value.strip()
    try:
        secret = st.secrets.get(name)
    except Exception:
        return None
    return str(secret).strip() or None if secret else None


def connection_sidebar() -> Connection | None:
    """Render the connection controls; the connection to use, or None until there is a token."""
    server_token = server_setting(TOKEN_SETTING)
    configured_url = server_setting(BASE_URL_SETTING)
    with st.sidebar:
        st.header("Connection")
        choice = _server_choice(configured_url, bool(server_token))
        if choice == DEMO_CHOICE:
            st.caption("Demo data from the built-in emulator. Pick a server to see your own tasks.")
            return demo_connection()
        base_url = _chosen_url(choice, configured_url)
        if base_url is None:
            return None
        token_url = configured_url or GLOBAL_SERVER
        usable_server_token = (
            server_token if server_token and _applies(base_url, token_url) else None
        )
        connection = _token_input(
            base_url, usable_server_token, has_server_token=bool(server_token)
        )
        if connection is not None:
            _check_token_button(connection)
        return connection


def _applies(base_url: str, token_url: str) -> bool:
    try:
        return server_token_applies(base_url, token_url)
    except ValueError:
        return False


def _server_choice(configured_url: str | None, has_server_token: bool) -> str:
    options = [] if has_server_token else [DEMO_CHOICE]
    options += list(SERVER_CHOICES)
    default = default_choice(configured_url, has_server_token)
    if _custom_allowed() or default == CUSTOM_CHOICE:
        options.append(CUSTOM_CHOICE)
    return str(st.radio("Server", options, index=options.index(default), key="server_choice"))


def _custom_allowed() -> bool:
    """Whether viewers may point the dashboard at any URL (turn off on shared deployments)."""
    return (server_setting(ALLOW_CUSTOM_SETTING) or "1").lower() not in _NO


def _chosen_url(choice: str, configured_url: str | None) -> str | None:
    if choice in SERVER_CHOICES:
        return SERVER_CHOICES[choice]
    if not _custom_allowed():
        return normalise_base_url(configured_url or GLOBAL_SERVER)
    typed = st.text_input(
        "Server URL", value=configured_url or "", key="custom_url", placeholder="https://…"
    )
    try:
        url = normalise_base_url(typed)
    except ValueError:
        st.warning("Enter the server's URL: https:// (or http://) and a host, nothing more.")
        return None
    if url.startswith("http://") and not _is_loopback(url):
        st.warning("This server is not HTTPS: the token would travel unencrypted.")
    return url


def _is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    return host in ("localhost", "127.0.0.1", "::1")


def _token_input(
    base_url: str, server_token: str | None, *, has_server_token: bool
) -> Connection | None:
    typed = st.text_input(
        "API token",
        type="password",
        key="viewer_token",
        placeholder="Server token in use" if server_token else "sk_…",
        help="Your A2E API token (video.a2e.ai › Account › API Token). Kept only in memory.",
    )
    if typed.strip():
        return Connection(base_url, typed.strip(), TokenSource.VIEWER)
    if server_token:
        st.caption("🔒 A server token is in use. Enter your own token to use it instead.")
        return Connection(base_url, server_token, TokenSource.SERVER)
    if has_server_token:
        st.caption("The server's token is only sent to its own server; enter yours for this one.")
    st.info("Enter your API token to look up tasks.")
    return None


def _check_token_button(connection: Connection) -> None:
    if not st.button("Check token", key="check_token"):
        return
    try:
        coins = shared_client(connection.base_url).remaining_coins(connection.token)
    except LookupFailed as exc:
        st.error(f"Token check failed: {plain(exc.message)}")
        return
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
    parts = urlsplit(st.context.url or "http://localhost:8501/")
    base_path = str(st.get_option("server.baseUrlPath") or "").strip("/")
    prefix = f"/{base_path}" if base_path else ""
    return f"{parts.scheme}://{parts.netloc}{prefix}/app/static/{path}"
