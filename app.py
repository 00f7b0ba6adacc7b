"""The A2E task dashboard: ``streamlit run app.py``.

Streamlit runs this file as ``__main__`` for every viewer's script run: it draws the sidebar
once, here, so the viewer's server, token and lookup survive any number of page changes, then
runs the page the viewer chose. At start, ``streamlit run`` also imports it once as a module
(the ``else`` branch) to find ``app = st.App(...)``, the server that adds the dashboard's own
routes (``/metrics`` with ``A2E_METRICS=1``, ``/hooks/a2e`` with ``A2E_WEBHOOK_TOKEN``) to
Streamlit's, behind the check that a request names a host the deployment answers to
(``A2E_ALLOWED_HOSTS``, ``a2e.ui.host_guard``).
"""

import streamlit as st

if __name__ == "__main__":  # each viewer's script run
    from a2e.ui.auth import sign_in_gate
    from a2e.ui.page import configure_page
    from a2e.ui.settings import warn_at_start_up
    from a2e.ui.shell import draw_sidebar, leave_pages_folder_mode, open_first_page, pages

    leave_pages_folder_mode()
    configure_page()
    # Access: a viewer who is not admitted (a host name the deployment does not answer to, or
    # no sign-in) sees only the sign-in or "not allowed" page.
    warn_at_start_up()
    admitted = sign_in_gate()
    navigation = st.navigation(pages(), position="sidebar" if admitted else "hidden")
    if not admitted:
        st.stop()
    open_first_page(navigation)
    draw_sidebar()
    navigation.run()

else:  # the server, once at start: cache settings are checked, access warnings logged
    from a2e.ui.host_guard import host_guard
    from a2e.ui.server_routes import server_routes
    from a2e.ui.settings import allowed_hosts, warn_at_start_up

    warn_at_start_up()
    app = st.App("app.py", routes=server_routes(), middleware=host_guard(allowed_hosts()))
