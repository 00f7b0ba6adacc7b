"""The viewer of this session, as the dashboard's server saw the connection."""

from __future__ import annotations

from urllib.parse import urlsplit

import streamlit as st

from a2e.access.viewer import Viewer, is_loopback_address

# Streamlit reports a connection from 127.0.0.1 or ::1 as no address at all (its documented
# "local development" case); other loopback forms, like ::ffff:127.0.0.1, come as they are.
_STREAMLIT_LOOPBACK = "127.0.0.1"


def current_viewer() -> Viewer:
    """This session's viewer: its connection's address and whether a proxy forwarded it."""
    reported = st.context.ip_address
    if reported is None:
        address: str | None = _STREAMLIT_LOOPBACK
    else:
        # Anything but text (a test harness's stand-in, say) is an unknown address: a stranger.
        address = reported if isinstance(reported, str) else None
    return Viewer.from_connection(address, dict(st.context.headers))


def is_loopback_url(url: str) -> bool:
    """True when a URL's host is a loopback name or address (no DNS: for warnings only)."""
    host = (urlsplit(url).hostname or "").lower()
    return host == "localhost" or host.endswith(".localhost") or is_loopback_address(host)
