"""The dashboard's settings, read from the environment or ``st.secrets`` (never shown)."""

from __future__ import annotations

import os

import streamlit as st

from a2e.access.policy import AccessSettings, ServerTokenFor

TOKEN_SETTING = "A2E_API_TOKEN"
BASE_URL_SETTING = "A2E_BASE_URL"
ALLOW_CUSTOM_SETTING = "A2E_ALLOW_CUSTOM_SERVER"
SERVER_TOKEN_FOR_SETTING = "A2E_SERVER_TOKEN_FOR"
_NO = ("0", "false", "no", "off")


def server_setting(name: str) -> str | None:
    """A setting from the environment, else from ``st.secrets``; None when unset or blank."""
    value = os.environ.get(name)
    if value and value.strip():
        return value.strip()
    try:
        secret = st.secrets.get(name)
    except Exception:  # no secrets file, or one that does not parse: the setting is unset
        return None
    return str(secret).strip() or None if secret else None


def access_settings() -> AccessSettings:
    """The deployment's access settings."""
    anyone = (server_setting(SERVER_TOKEN_FOR_SETTING) or "").lower() == ServerTokenFor.ANYONE
    return AccessSettings(
        server_token_for=ServerTokenFor.ANYONE if anyone else ServerTokenFor.THIS_MACHINE,
        allow_custom_server=(server_setting(ALLOW_CUSTOM_SETTING) or "1").lower() not in _NO,
    )
