"""The A2E task dashboard: `streamlit run app.py`."""

import streamlit as st

from a2e.ui.page import configure_page

configure_page("A2E tasks")
navigation = st.navigation(
    [
        st.Page("pages/lookup.py", title="Lookup", icon=":material/search:", default=True),
        st.Page("pages/failures.py", title="Failures", icon=":material/healing:"),
    ]
)
navigation.run()
