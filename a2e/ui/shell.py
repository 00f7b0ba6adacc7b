"""The dashboard's frame, drawn by ``app.py`` on every page: navigation and the sidebar.

The sidebar's widgets live in the entry point, not in a page, so Streamlit keeps their state
when the viewer changes pages. What they settle on is kept for this script run and read by
the page with ``connection_state()`` (``a2e.ui.page.page_start``).
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from a2e.ui.auth import account_sidebar, require_admission
from a2e.ui.connection_model import ConnectionState
from a2e.ui.opening import RECENT, opening_page
from a2e.ui.overview_history import history_path
from a2e.ui.sidebar import connection_sidebar

_STATE = "_connection_state_this_run"
_THROUGH_ENTRY_POINT = "_run_through_entry_point"
_FIRST_PAGE_OPENED = "_first_page_opened"
RECENT_PAGE = "pages/recent.py"
LOOKUP_PAGE = "pages/lookup.py"
LOOKUP_ADDRESS = "lookup"
# The default page is served at the root URL but still reserves a pathname of its own (never
# shown): not "lookup", which the page's own address takes.
_ROOT_PAGE_PATH = "lookup-at-root"


def pages() -> list[st.Page]:
    """The dashboard's pages, in navigation order (Lookup stays at the root URL, and answers at
    ``/lookup`` too)."""
    return [
        st.Page(RECENT_PAGE, title="Recent", icon=":material/history:", url_path="recent"),
        st.Page(
            LOOKUP_PAGE,
            title="Lookup",
            icon=":material/search:",
            default=True,
            url_path=_ROOT_PAGE_PATH,
        ),
        st.Page("pages/overview.py", title="Overview", icon=":material/monitoring:"),
        st.Page("pages/failures.py", title="Failures", icon=":material/healing:"),
        # The watcher's page, shown only when A2E_HISTORY names its state.
        *(
            [st.Page("pages/watch.py", title="Watch", icon=":material/notifications:")]
            if history_path()
            else []
        ),
        st.Page(_lookup_address, title="Lookup", url_path=LOOKUP_ADDRESS, visibility="hidden"),
    ]


def _lookup_address() -> None:
    """``/lookup``: opens Lookup (whose page is the root URL) with the same query (``?ids=``)."""
    st.switch_page(LOOKUP_PAGE, query_params=st.query_params.to_dict())


def open_first_page(page: st.Page) -> None:
    """At a session's first run on the root URL, go to Recent when that is where it opens.

    Decided once, before anything is drawn, so the page never changes under the viewer
    afterwards (typing a token later does not move them); ``a2e.ui.opening`` says when.
    """
    if st.session_state.get(_FIRST_PAGE_OPENED):
        return
    st.session_state[_FIRST_PAGE_OPENED] = True
    if page.url_path == "" and opening_page() == RECENT:
        st.switch_page(RECENT_PAGE, query_params=st.query_params.to_dict())


def draw_sidebar() -> ConnectionState:
    """Draw the connection controls; remember, for this run, what they settled on.

    A viewer who is not admitted (sign-in) never gets this far: ``app.py`` stops the run
    first, and a page run without it (Streamlit's old pages-folder mode) stops here.
    """
    require_admission()
    account_sidebar()
    state = connection_sidebar()
    st.session_state[_STATE] = state
    st.session_state[_THROUGH_ENTRY_POINT] = True
    return state


def leave_pages_folder_mode() -> None:
    """On a server's first run, rerun at once under the entry point's own navigation.

    Because a ``pages/`` folder sits beside ``app.py``, Streamlit runs a fresh server's first
    run in its older pages-folder mode (app.py nested in a navigation of its own making) until
    ``st.navigation`` is called; widgets drawn in that run would not match the next run's, and
    a viewer's first click would be lost.
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def ensure_entry_point() -> None:
    """Make sure this run went through app.py; if not, run again through it.

    A server whose first request opens a page's URL (``/failures``) runs that page alone,
    as Streamlit's older pages-folder apps did, until some run calls ``st.navigation``. Tell
    Streamlit the entry point's navigation is in charge, and rerun through it.
    """
    if st.session_state.pop(_THROUGH_ENTRY_POINT, False):
        return
    PagesManager.uses_pages_directory = False
    st.rerun()


def connection_state() -> ConnectionState:
    """What the sidebar settled on in this run."""
    state = st.session_state.get(_STATE)
    return state if isinstance(state, ConnectionState) else draw_sidebar()
