"""The dashboard's settings, read from the environment or ``st.secrets`` (never shown).

A setting with a value it cannot use is reported once per process in the server log, and the
safe default is used instead (an unknown ``A2E_SERVER_TOKEN_FOR`` keeps the token on this
machine).
"""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Mapping

import streamlit as st

from a2e.access.budgets import Budget, BudgetSettings, parse_per_minute
from a2e.access.hosts import AllowedHosts
from a2e.access.policy import (
    SHARED_WITH_ANYONE_WARNING,
    AccessSettings,
    ServerTokenFor,
    proxy_warning,
)
from a2e.access.users import AllowList
from a2e.api.batching import BATCH_SIZE_SETTING, DEFAULT_BATCH_SIZE, parse_batch_size

TOKEN_SETTING = "A2E_API_TOKEN"
BASE_URL_SETTING = "A2E_BASE_URL"
ALLOW_CUSTOM_SETTING = "A2E_ALLOW_CUSTOM_SERVER"
SERVER_TOKEN_FOR_SETTING = "A2E_SERVER_TOKEN_FOR"
ALLOWED_USERS_SETTING = "A2E_ALLOWED_USERS"
ALLOWED_HOSTS_SETTING = "A2E_ALLOWED_HOSTS"
AUDIT_LOG_SETTING = "A2E_AUDIT_LOG"
WEBHOOK_TOKEN_SETTING = "A2E_WEBHOOK_TOKEN"
BUDGET_SETTINGS = {
    Budget.LOOKUP: "A2E_BUDGET_LOOKUPS_PER_MINUTE",
    Budget.TOKEN_CHECK: "A2E_BUDGET_TOKEN_CHECKS_PER_MINUTE",
    Budget.LIST: "A2E_BUDGET_LISTS_PER_MINUTE",
}
# Streamlit's own sign-in configuration: the ``[auth]`` section of ``.streamlit/secrets.toml``.
AUTH_SECTION = "auth"
_NO = ("0", "false", "no", "off")
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


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


def webhooks_on() -> bool:
    """True when ``A2E_WEBHOOK_TOKEN`` turns ``/hooks/a2e`` on (and with it pushed answers)."""
    return server_setting(WEBHOOK_TOKEN_SETTING) is not None


def access_settings() -> AccessSettings:
    """The deployment's access settings."""
    allowed_users = AllowList.parse(server_setting(ALLOWED_USERS_SETTING))
    for entry in allowed_users.malformed:
        _warn_once(f"{ALLOWED_USERS_SETTING}: {entry!r} is neither an email nor @domain; ignored")
    return AccessSettings(
        sign_in=sign_in_configured(),
        server_token_for=_server_token_for(),
        allow_custom_server=(server_setting(ALLOW_CUSTOM_SETTING) or "1").lower() not in _NO,
        allowed_users=allowed_users,
    )


def allowed_hosts() -> AllowedHosts:
    """The names the deployment answers to (``A2E_ALLOWED_HOSTS``; unset: every name)."""
    hosts = AllowedHosts.parse(server_setting(ALLOWED_HOSTS_SETTING))
    for entry in hosts.malformed:
        _warn_once(f"{ALLOWED_HOSTS_SETTING}: {entry!r} is not a host name, .domain, *.domain or *")
    return hosts


def sign_in_configured() -> bool:
    """True when ``[auth]`` is configured in the secrets, so every page requires sign-in."""
    try:
        section = st.secrets.get(AUTH_SECTION)
    except Exception:  # no secrets file, or one that does not parse: no sign-in configured
        return False
    return isinstance(section, Mapping) and bool(section)


def _server_token_for() -> ServerTokenFor:
    value = (server_setting(SERVER_TOKEN_FOR_SETTING) or ServerTokenFor.THIS_MACHINE).lower()
    if value in tuple(ServerTokenFor):
        return ServerTokenFor(value)
    _warn_once(f"{SERVER_TOKEN_FOR_SETTING}={value!r} is not 'this-machine' or 'anyone'")
    return ServerTokenFor.THIS_MACHINE


def budget_settings() -> BudgetSettings:
    """The per-viewer budgets (a value that is not a whole number ≥ 1 keeps the default)."""
    per_minute = {budget: _per_minute(budget) for budget in Budget}
    return BudgetSettings(
        lookups_per_minute=per_minute[Budget.LOOKUP],
        token_checks_per_minute=per_minute[Budget.TOKEN_CHECK],
        lists_per_minute=per_minute[Budget.LIST],
    )


def _per_minute(budget: Budget) -> int:
    name = BUDGET_SETTINGS[budget]
    default = BudgetSettings().per_minute(budget)
    try:
        value = parse_per_minute(server_setting(name))
    except ValueError as exc:
        _warn_once(f"{name} {exc}; using {default:,}")
        return default
    return default if value is None else value


def batch_size() -> int:
    """Ids in one ``batchDetail`` call (``A2E_BATCH_SIZE``; a value it cannot use: 100)."""
    try:
        return parse_batch_size(server_setting(BATCH_SIZE_SETTING))
    except ValueError as exc:
        _warn_once(f"{exc}; using {DEFAULT_BATCH_SIZE}")
        return DEFAULT_BATCH_SIZE


def warn_at_start_up() -> None:
    """Log, once per process, what an operator must know about this deployment's settings."""
    allowed_hosts()
    batch_size()
    token_set = server_setting(TOKEN_SETTING) is not None
    listening = str(st.config.get_option("server.address") or "")
    if (warning := proxy_warning(access_settings(), token_set, listening)) is not None:
        _warn_once(warning)
    if _server_token_for() is not ServerTokenFor.ANYONE or not token_set:
        return
    if sign_in_configured():
        _warn_once(f"{SERVER_TOKEN_FOR_SETTING}=anyone has no effect: sign-in is configured")
    else:
        _warn_once(SHARED_WITH_ANYONE_WARNING)


@functools.cache
def _warn_once(message: str) -> None:
    _server_log().warning(message)


@functools.cache
def _server_log() -> logging.Logger:
    """The dashboard's logger, writing to standard error beside Streamlit's own log lines."""
    logger = logging.getLogger("a2e.settings")
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    logger.addHandler(handler)
    logger.propagate = False
    return logger
