"""Whether this viewer's lookups on a server may use the server's token (one answer for the
sidebar and for the choice of the opening page)."""

from __future__ import annotations

from a2e.access.policy import Verdict, server_token_verdict
from a2e.api.servers import GLOBAL_SERVER
from a2e.ui.auth import current_admission
from a2e.ui.connection_model import server_token_applies
from a2e.ui.settings import BASE_URL_SETTING, TOKEN_SETTING, access_settings, server_setting
from a2e.ui.viewer_context import current_viewer

ONLY_ITS_OWN_SERVER = "The server's token is only sent to its own server."


def server_token_for(base_url: str) -> tuple[str | None, Verdict]:
    """The server token if this viewer may use it on this server, and the policy's verdict."""
    server_token = server_setting(TOKEN_SETTING)
    if not server_token:
        return None, Verdict(False)
    token_url = server_setting(BASE_URL_SETTING) or GLOBAL_SERVER
    if not applies(base_url, token_url):
        return None, Verdict(False, ONLY_ITS_OWN_SERVER)
    signed_in_allowed = current_admission().signed_in_allowed
    verdict = server_token_verdict(
        access_settings(), current_viewer(), signed_in_allowed=signed_in_allowed
    )
    return (server_token if verdict.allowed else None), verdict


def applies(base_url: str, token_url: str) -> bool:
    """True when ``base_url`` is the server the token was configured for."""
    try:
        return server_token_applies(base_url, token_url)
    except ValueError:
        return False
