"""A small note on the page while the shared cache (Redis) is unreachable; nothing otherwise."""

from __future__ import annotations

import streamlit as st

from a2e.ui.cached import shared_task_cache


def cache_note() -> None:
    """Show the cache's note, if it has one (call it once per page, e.g. under the title)."""
    note = shared_task_cache().backend_note()
    if note:
        st.caption(f":material/cloud_off: {note}")
