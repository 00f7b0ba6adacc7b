"""Watch: the watcher's targets and latest announcements (shown when A2E_HISTORY is set)."""

import streamlit as st

from a2e.ui.page import page_start
from a2e.ui.watch_page import watch_view

connection = page_start("Watch")
if connection is None:
    st.stop()
watch_view(connection)
