"""Which page the dashboard's root URL opens on, decided once per session at its first run.

- A share link (``?ids=``, every one made so far) opens Lookup with its ids.
- A link made on the Recent page (it carries ``page``, ``size`` or ``status``) opens Recent.
- Otherwise Recent when a token is usable at once (the server's token, for this viewer), else
  Lookup: the demo opens on Lookup, and so does a dashboard waiting for the viewer's token.
The choice is kept for the session, so the page never changes under a viewer who types a token.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from a2e.api.servers import normalise_base_url
from a2e.ui.connection_model import SERVER_CHOICES, default_choice
from a2e.ui.recent_query import RECENT_ONLY_KEYS
from a2e.ui.server_token import server_token_for
from a2e.ui.settings import BASE_URL_SETTING, server_setting

LOOKUP, RECENT = "lookup", "recent"
_OPENING = "_opening_page"


def first_page(query: Mapping[str, str], server_token_usable: bool) -> str:
    """The page a session opens on, from its first URL and whether a token is usable."""
    if query.get("ids"):
        return LOOKUP
    if any(key in query for key in RECENT_ONLY_KEYS):
        return RECENT
    return RECENT if server_token_usable else LOOKUP


def opening_page() -> str:
    """This session's opening page (decided at its first run, then kept)."""
    page = st.session_state.get(_OPENING)
    if page not in (LOOKUP, RECENT):
        page = first_page(st.query_params.to_dict(), _server_token_usable())
        st.session_state[_OPENING] = page
    return str(page)


def _server_token_usable() -> bool:
    """True when the sidebar will open with the server's token in use for this viewer."""
    configured = server_setting(BASE_URL_SETTING)
    choice = default_choice(configured, True, link_server=st.query_params.get("server"))
    try:
        base_url = SERVER_CHOICES.get(choice) or normalise_base_url(configured or "")
    except ValueError:
        return False
    return server_token_for(base_url)[0] is not None
