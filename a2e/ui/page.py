"""What every page does first: page config, the sidebar, and the demo banner."""

from __future__ import annotations

import streamlit as st

from a2e.ui.connection_model import Connection
from a2e.ui.sidebar import connection_sidebar

DEMO_BANNER = (
    "**Demo data.** These tasks are made up and served by the dashboard's built-in A2E "
    "emulator. Choose a server and enter your API token in the sidebar to see your own tasks."
)


def configure_page(title: str) -> None:
    """Page config shared by all pages (safe to call again)."""
    st.set_page_config(page_title=f"{title} · A2E tasks", page_icon="🎬", layout="wide")


def page_start(title: str) -> Connection | None:
    """Configure the page, draw the sidebar and the title; the connection to use, if any."""
    configure_page(title)
    connection = connection_sidebar()
    st.title(title)
    if connection is not None and connection.is_demo:
        st.info(DEMO_BANNER, icon=":material/science:")
    return connection
