"""The A2E task dashboard: `streamlit run app.py`."""

import streamlit as st

if __name__ == "__main__":  # each viewer's script run: Streamlit runs this file as __main__
    from a2e.ui.page import configure_page

    configure_page("A2E tasks")
    navigation = st.navigation(
        [
            st.Page("pages/lookup.py", title="Lookup", icon=":material/search:", default=True),
            st.Page("pages/failures.py", title="Failures", icon=":material/healing:"),
        ]
    )
    navigation.run()

else:
    # ---- The server (st.App) -------------------------------------------------------------
    # `streamlit run app.py` sees `app = st.App(...)` below, imports this file once at start
    # (as the module `app`, so only this branch runs) and serves `app` with uvicorn: the same
    # pages, static files, sign-in and health routes as before, plus the dashboard's own
    # routes (/metrics with A2E_METRICS=1). Cache settings are checked here, at start.
    from a2e.ui.server_routes import server_routes

    app = st.App("app.py", routes=server_routes())
