"""What every page does first: its title, the demo banner, or what the viewer must enter."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from a2e.ui.cache_note import cache_note
from a2e.ui.connection_model import Connection, ConnectionState, Missing
from a2e.ui.plain import plain
from a2e.ui.shell import connection_state, ensure_entry_point

DEMO_BANNER = (
    "**Demo data.** These tasks are made up and served by the dashboard's built-in A2E "
    "emulator. Choose a server and enter your API token in the sidebar to see your own tasks."
)
# A local file: a Material icon here would make browsers fetch an icon font from elsewhere.
PAGE_ICON = str(Path(__file__).resolve().parents[2] / "static" / "favicon.png")
WHERE_THE_TOKEN_IS = "Find it at video.a2e.ai › Account › API Token."


def configure_page() -> None:
    """Page config shared by all pages (the entry point calls it once per run)."""
    st.set_page_config(page_title="A2E tasks", page_icon=PAGE_ICON, layout="wide")


def page_start(title: str, *, waiting_note: str = "") -> Connection | None:
    """The title, then the demo banner or the guidance; the connection to use, if any."""
    ensure_entry_point()
    state = connection_state()
    st.title(title)
    cache_note()
    if state.connection is None:
        _guidance(state, waiting_note)
        return None
    if state.connection.is_demo:
        st.info(DEMO_BANNER, icon=":material/science:")
    return state.connection


def _guidance(state: ConnectionState, waiting_note: str) -> None:
    """Say, in the main area, what to enter in the sidebar and where to find it."""
    if waiting_note:
        st.info(waiting_note, icon=":material/link:")
    if state.missing is Missing.URL:
        st.info(
            "Enter the server's URL in the sidebar (https:// and a host).",
            icon=":material/dns:",
        )
        return
    server = f"{state.choice} ({state.base_url})" if state.base_url else state.choice
    lines = [f"Enter your API token in the sidebar to look up tasks on {plain(server)}."]
    if state.token_note:
        lines.append(plain(state.token_note))
    lines.append(WHERE_THE_TOKEN_IS)
    st.info("  \n".join(lines), icon=":material/key:")
