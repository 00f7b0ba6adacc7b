"""The viewer of this session, as the dashboard's server saw the connection."""

from __future__ import annotations

from urllib.parse import urlsplit

import streamlit as st

from a2e.access.hosts import is_loopback_address
from a2e.access.viewer import Headers, Viewer

# Streamlit reports a connection from 127.0.0.1 or ::1 as no address at all (its documented
# "local development" case); other loopback forms, like ::ffff:127.0.0.1, come as they are.
_STREAMLIT_LOOPBACK = "127.0.0.1"


def current_viewer() -> Viewer:
    """This session's viewer: its connection's address, whether a proxy forwarded it, and the
    names it used for the dashboard (from the websocket's own request headers)."""
    reported = st.context.ip_address
    if reported is None:
        address: str | None = _STREAMLIT_LOOPBACK
    else:
        # Anything but text (a test harness's stand-in, say) is an unknown address: a stranger.
        address = reported if isinstance(reported, str) else None
    return Viewer.from_connection(address, connection_headers())


def connection_headers() -> Headers:
    """Every header of this session's websocket request as (name, value), repeats included."""
    headers = st.context.headers
    return [(name, value) for name in headers for value in headers.get_all(name)]


def connection_host() -> str | None:
    """The ``Host`` this session's websocket request named (None: none, or more than one)."""
    hosts = st.context.headers.get_all("host")
    return hosts[0] if len(hosts) == 1 else None


def is_loopback_url(url: str) -> bool:
    """True when a URL's host is a loopback name or address (no DNS: for warnings only)."""
    host = (urlsplit(url).hostname or "").lower()
    return host == "localhost" or host.endswith(".localhost") or is_loopback_address(host)
