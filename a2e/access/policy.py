"""The dashboard's access policy: who may use the server token and which servers they may reach.

The UI asks these questions and never decides them itself; every answer is a ``Verdict`` with
a reason fit to show the viewer. The rules, from the settings in the README:

- With sign-in configured (``[auth]`` in the secrets), nobody sees the dashboard signed out,
  and a signed-in user must be admitted by the allow-list (``a2e.access.users``).
- A viewer's own typed token is theirs: it always works, for any server the viewer may reach.
- The server token (``A2E_API_TOKEN``) goes only to the server it was configured for, and:
  with sign-in configured, only to signed-in users on the allow-list; without sign-in, only
  to viewers on this machine (see ``a2e.access.viewer``), unless ``A2E_SERVER_TOKEN_FOR=anyone``.
- A custom server URL, when custom servers are allowed at all, may resolve to any address for
  a viewer on this machine and only to public addresses for everyone else (checked when the
  connection is made, by ``a2e.api.addresses``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from a2e.access.hosts import LOCALHOST, is_loopback_address
from a2e.access.users import AllowList, SignedInUser
from a2e.access.viewer import Viewer
from a2e.api.addresses import AddressScope


class ServerTokenFor(StrEnum):
    """Who the server token serves when there is no sign-in (``A2E_SERVER_TOKEN_FOR``)."""

    THIS_MACHINE = "this-machine"
    ANYONE = "anyone"


@dataclass(frozen=True)
class AccessSettings:
    """The deployment's access settings."""

    sign_in: bool = False
    server_token_for: ServerTokenFor = ServerTokenFor.THIS_MACHINE
    allow_custom_server: bool = True
    allowed_users: AllowList = field(default_factory=AllowList)


@dataclass(frozen=True)
class Verdict:
    """A decision and the reason to show the viewer (empty when allowed without remark)."""

    allowed: bool
    reason: str = ""


NOT_ON_THIS_MACHINE = (
    "The server's token is only used for viewers on the dashboard's own machine; "
    "enter your own API token."
)
SIGN_IN_NEEDED = "Sign in to use the server's token, or enter your own API token."
SHARED_WITH_ANYONE = "The server's token is shared with anyone who can open this page."
SHARED_WITH_ANYONE_WARNING = (
    "A2E_SERVER_TOKEN_FOR=anyone: the server's A2E token is shared with anyone who can open "
    "this dashboard."
)
PROXY_WARNING = (
    "A2E_API_TOKEN is set without sign-in and Streamlit listens on {where}: the server token "
    "serves viewers on this machine only, so a reverse proxy in front of the dashboard must "
    "add X-Forwarded-For (or configure sign-in [auth]), or every viewer it passes on may use "
    "the token."
)
SIGNED_OUT = "Sign in to use this dashboard."
NO_EMAIL = (
    "Your sign-in did not include an email address, so it cannot be checked against this "
    "dashboard's list of allowed users."
)


def admission(settings: AccessSettings, user: SignedInUser | None) -> Verdict:
    """May this viewer (``user`` None: not signed in) see the dashboard at all?"""
    if not settings.sign_in:
        return Verdict(True)
    if user is None:
        return Verdict(False, SIGNED_OUT)
    allowed = settings.allowed_users
    if not allowed.configured:
        return Verdict(True)
    if user.email is None:
        return Verdict(False, NO_EMAIL)
    if user.email_verified is False:
        return Verdict(False, _not_verified(user))
    if not allowed.admits(user.email):
        return Verdict(
            False,
            f"{user.email} is not on this dashboard's list of allowed users. Ask whoever runs "
            "it to add you, or sign in with another account.",
        )
    return Verdict(True)


def _not_verified(user: SignedInUser) -> str:
    refusal = f"Your identity provider says {user.email} is not verified"
    if user.verified_claim is None:
        return f"{refusal}."
    return f"{refusal} (email_verified is {user.verified_claim}; only true verifies an email)."


def server_token_verdict(
    settings: AccessSettings, viewer: Viewer, *, signed_in_allowed: bool = False
) -> Verdict:
    """May this viewer's lookups use the server token?"""
    if settings.sign_in:
        return Verdict(True) if signed_in_allowed else Verdict(False, SIGN_IN_NEEDED)
    if settings.server_token_for is ServerTokenFor.ANYONE:
        return Verdict(True, SHARED_WITH_ANYONE)
    if viewer.on_this_machine:
        return Verdict(True)
    return Verdict(False, NOT_ON_THIS_MACHINE)


def proxy_warning(settings: AccessSettings, token_set: bool, listen_address: str) -> str | None:
    """What to log at start-up when the server token is kept to this machine by addresses alone
    (no sign-in) while Streamlit listens beyond loopback (``server.address``; empty: every
    interface); None when there is nothing to say."""
    if not token_set or settings.sign_in or settings.server_token_for is ServerTokenFor.ANYONE:
        return None
    address = listen_address.strip()
    if address.lower() == LOCALHOST or is_loopback_address(address):
        return None
    return PROXY_WARNING.format(where=address or "every network interface")


def address_scope(viewer: Viewer) -> AddressScope:
    """Which addresses a custom server chosen by this viewer may resolve to."""
    return AddressScope.ANY if viewer.on_this_machine else AddressScope.PUBLIC_ONLY
