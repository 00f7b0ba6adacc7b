"""The A2E task dashboard: ``streamlit run app.py``.

This entry point runs on every page: it draws the sidebar once, here, so the viewer's server,
token and lookup survive any number of page changes, then runs the page the viewer chose.
"""

import streamlit as st

from a2e.ui.auth import sign_in_gate
from a2e.ui.page import configure_page
from a2e.ui.settings import warn_at_start_up
from a2e.ui.shell import draw_sidebar, leave_pages_folder_mode, pages

leave_pages_folder_mode()
configure_page()
# Access (issue 9): a viewer who is not admitted sees only the sign-in or "not allowed" page.
warn_at_start_up()
admitted = sign_in_gate()
navigation = st.navigation(pages(), position="sidebar" if admitted else "hidden")
if not admitted:
    st.stop()
# End of access.
draw_sidebar()
navigation.run()
