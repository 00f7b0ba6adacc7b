"""Recent: the account's tasks of one kind, newest first, paged on the server."""

import streamlit as st

from a2e.ui.page import page_start
from a2e.ui.recent import recent_view

connection = page_start("Recent tasks")
if connection is None:
    st.stop()
recent_view(connection)
