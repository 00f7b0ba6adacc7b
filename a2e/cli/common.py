"""What every command shares: where the token and the server come from."""

from __future__ import annotations

import os

import click

from a2e.api.client import GLOBAL_SERVER, A2EClient, ClientSettings, check_token
from a2e.api.errors import TokenRejected

TOKEN_VARIABLE = "A2E_API_TOKEN"
BASE_URL_VARIABLE = "A2E_BASE_URL"

base_url_option = click.option(
    "--base-url",
    envvar=BASE_URL_VARIABLE,
    default=GLOBAL_SERVER,
    show_default=True,
    help=f"A2E server (default from ${BASE_URL_VARIABLE}).",
)


def token_from_environment() -> str:
    """The token of ``A2E_API_TOKEN``, checked; a usage error (never echoing it) otherwise."""
    token = os.environ.get(TOKEN_VARIABLE, "")
    try:
        return check_token(token)
    except TokenRejected as exc:
        hint = f"set {TOKEN_VARIABLE} to your A2E API token" if not token.strip() else exc.message
        raise click.UsageError(hint) from None


def client_for(base_url: str, settings: ClientSettings | None = None) -> A2EClient:
    """A client for ``--base-url``; a usage error (naming the option) when it is no server URL."""
    try:
        return A2EClient(base_url, settings=settings)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--base-url") from None
