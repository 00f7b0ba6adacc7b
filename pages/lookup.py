"""Lookup: paste task ids, see their statuses live, open any task's detail."""

import streamlit as st

from a2e.ui.live_view import results_section
from a2e.ui.lookup import lookup_form, run_lookup, shared_link_note
from a2e.ui.page import page_start

connection = page_start("A2E task lookup", waiting_note=shared_link_note(connection_ready=False))
if connection is None:
    st.stop()
if connection.is_demo and (note := shared_link_note(connection_ready=True)):
    st.caption(note)
request = lookup_form(connection)
if request is not None:
    run_lookup(connection, request)
results_section(connection)
