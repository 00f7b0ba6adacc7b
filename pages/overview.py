"""Overview: the account's last 24 hours, 7 days or 30 days, counted and charted."""

import streamlit as st

from a2e.ui.overview import overview_view
from a2e.ui.page import page_start

connection = page_start("Overview")
if connection is None:
    st.stop()
overview_view(connection)
