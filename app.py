"""The A2E task dashboard: ``streamlit run app.py``.

This entry point runs on every page: it draws the sidebar once, here, so the viewer's server,
token and lookup survive any number of page changes, then runs the page the viewer chose.
"""

import streamlit as st

from a2e.ui.page import configure_page
from a2e.ui.shell import draw_sidebar, open_first_page, pages

configure_page()
navigation = st.navigation(pages())
open_first_page(navigation)
draw_sidebar()
navigation.run()
