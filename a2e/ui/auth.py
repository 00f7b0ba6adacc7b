"""Sign-in: the gate every page passes, who is signed in, and the viewer's key for budgets.

The gate first checks the name the viewer's connection used (its ``Host``) against
``A2E_ALLOWED_HOSTS``: a name the deployment does not answer to gets a plain refusal and
nothing else (the server refuses such requests before any page loads, ``a2e.ui.host_guard``;
this check holds wherever the script runs without that guard). Then, with ``[auth]`` in the
secrets, Streamlit's ``st.login()`` signs the viewer in with the OIDC provider configured
there, and ``st.user`` holds the provider's claims. Whether a viewer is admitted is the
policy's decision (``a2e.access.policy.admission``); this module only asks it and draws the
answer: for a viewer who is not admitted, a sign-in page (a "Log in" button) or a "not
allowed" page (with "Log out"), and nothing else, so no data is shown and no lookup made.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import streamlit as st
from streamlit.errors import StreamlitAPIException

from a2e.access.policy import Verdict, admission
from a2e.access.users import SignedInUser
from a2e.ui.plain import plain
from a2e.ui.settings import AUTH_SECTION, access_settings, allowed_hosts
from a2e.ui.viewer_context import connection_host

UNKNOWN_HOST = (
    "This dashboard does not answer to the name this page was opened with. Use the address "
    "its administrator gave you."
)
_ANONYMOUS_KEY = "_anonymous_viewer"
# Keys of ``[auth]`` that are settings shared by all providers, not a provider's section.
_SHARED_AUTH_KEYS = {"redirect_uri", "cookie_secret", "expose_tokens", "client_kwargs"}


@dataclass(frozen=True)
class Admission:
    """May this viewer see the dashboard, and who signed in (None: nobody, or no sign-in)."""

    verdict: Verdict
    user: SignedInUser | None

    @property
    def signed_in_allowed(self) -> bool:
        """True for a signed-in user the allow-list admits (the server token may serve them)."""
        return self.verdict.allowed and self.user is not None


def current_admission() -> Admission:
    """This viewer's admission, from the settings and ``st.user``."""
    settings = access_settings()
    if not settings.sign_in:
        return Admission(admission(settings, None), None)
    claims = st.user.to_dict()
    user = SignedInUser.from_claims(claims) if claims.get("is_logged_in") is True else None
    return Admission(admission(settings, user), user)


def sign_in_gate() -> bool:
    """True when this viewer may see the dashboard; else draw the sign-in or refusal page."""
    if not allowed_hosts().admits(connection_host()):
        st.title("Not allowed")
        st.error(UNKNOWN_HOST, icon=":material/block:")
        return False
    state = current_admission()
    if state.verdict.allowed:
        return True
    if state.user is None:
        _sign_in_page()
    else:
        _refusal_page(state.user, state.verdict.reason)
    return False


def require_admission() -> None:
    """Stop the run (after drawing the sign-in or refusal page) unless the viewer is admitted."""
    if not sign_in_gate():
        st.stop()


def account_sidebar() -> None:
    """Who is signed in, and "Log out" (nothing when sign-in is not configured)."""
    user = current_admission().user
    if user is None:
        return
    with st.sidebar:
        st.caption(f":material/account_circle: Signed in as **{plain(user.label)}**")
        if st.button("Log out", key="log_out", icon=":material/logout:"):
            st.logout()


def viewer_key() -> str:
    """Whose budgets and audit lines: the signed-in user, else an anonymous id of this session."""
    user = current_admission().user
    if user is not None:
        return user.key
    if _ANONYMOUS_KEY not in st.session_state:
        st.session_state[_ANONYMOUS_KEY] = f"anon-{secrets.token_hex(6)}"
    return str(st.session_state[_ANONYMOUS_KEY])


def _sign_in_page() -> None:
    st.title("A2E task dashboard")
    st.info("Sign in to use this dashboard.", icon=":material/lock:")
    providers = _providers()
    for provider in providers:
        label = "Log in" if len(providers) == 1 else f"Log in with {provider.title()}"
        if st.button(label, key=f"log_in_{provider}", type="primary", icon=":material/login:"):
            _log_in(provider)


def _refusal_page(user: SignedInUser, reason: str) -> None:
    st.title("Not allowed")
    st.error(plain(reason), icon=":material/block:")
    st.caption(f"Signed in as {plain(user.label)}.")
    if st.button("Log out", key="log_out", icon=":material/logout:"):
        st.logout()


def _log_in(provider: str) -> None:
    try:
        st.login(None if provider == "default" else provider)
    except StreamlitAPIException as exc:  # [auth] incomplete, or Authlib missing
        st.error(f"Sign-in is not set up correctly on this server: {plain(str(exc))}")


def _providers() -> list[str]:
    """The providers configured in ``[auth]``: named sections, else Streamlit's default one."""
    section = st.secrets.get(AUTH_SECTION) or {}
    named = [
        str(name)
        for name, value in section.items()
        if name not in _SHARED_AUTH_KEYS and hasattr(value, "keys")
    ]
    return named or ["default"]
