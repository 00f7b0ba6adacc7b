"""Lookup: paste task ids, see their statuses live, open any task's detail."""

import streamlit as st

from a2e.ui.live_view import results_section
from a2e.ui.lookup import lookup_form, run_lookup
from a2e.ui.page import page_start

connection = page_start("A2E task lookup")
if connection is None:
    st.stop()
request = lookup_form(connection)
if request is not None:
    run_lookup(connection, request)
results_section(connection)
