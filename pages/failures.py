"""Failures: why tasks failed, grouped by code, and which lookups could not be answered."""

import streamlit as st

from a2e.ui.failures import failures_view
from a2e.ui.lookup import shared_link_note
from a2e.ui.page import page_start

connection = page_start("Failures", waiting_note=shared_link_note(connection_ready=False))
if connection is None:
    st.stop()
failures_view(connection)
