"""What every command shares: where the token and the server come from, how tasks print, and
the client's batch size (``A2E_BATCH_SIZE``, as for the dashboard)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import replace

import click

from a2e.api.batching import BATCH_SIZE_SETTING, parse_batch_size
from a2e.api.client import A2EClient, ClientSettings
from a2e.api.errors import TokenRejected
from a2e.api.servers import GLOBAL_SERVER, check_token, normalise_base_url
from a2e.core.model import Task
from a2e.views.export import tasks_to_json_lines

TOKEN_VARIABLE = "A2E_API_TOKEN"
BASE_URL_VARIABLE = "A2E_BASE_URL"


def base_url_help(env: Mapping[str, str] = os.environ) -> str:
    """The ``--base-url`` help: the server in effect, and where it comes from."""
    configured = (env.get(BASE_URL_VARIABLE) or "").strip()
    variable = f"${BASE_URL_VARIABLE}"
    if not configured:
        return f"A2E server [in effect: {GLOBAL_SERVER}; {variable} sets another]"
    try:
        return f"A2E server [in effect: {normalise_base_url(configured)}, from {variable}]"
    except ValueError:
        return f"A2E server [{variable} is set but is no server URL; default: {GLOBAL_SERVER}]"


base_url_option = click.option(
    "--base-url", envvar=BASE_URL_VARIABLE, default=GLOBAL_SERVER, help=base_url_help()
)


def token_from_environment() -> str:
    """The token of ``A2E_API_TOKEN``, checked; a usage error (never echoing it) otherwise."""
    token = os.environ.get(TOKEN_VARIABLE, "")
    try:
        return check_token(token)
    except TokenRejected as exc:
        hint = f"set {TOKEN_VARIABLE} to your A2E API token" if not token.strip() else exc.message
        raise click.UsageError(hint) from None


def batch_size_from_environment() -> int:
    """``A2E_BATCH_SIZE`` (default 100); a usage error saying what it takes otherwise."""
    try:
        return parse_batch_size(os.environ.get(BATCH_SIZE_SETTING))
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None


def client_for(base_url: str, settings: ClientSettings | None = None) -> A2EClient:
    """A client for ``--base-url`` with the environment's batch size; a usage error (naming the
    option) when it is no server URL."""
    batch_size = batch_size_from_environment()
    try:
        return A2EClient(
            base_url, settings=replace(settings or ClientSettings(), batch_size=batch_size)
        )
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--base-url") from None


def echo_tasks(tasks: Sequence[Task], *, as_json: bool) -> None:
    """JSON Lines, or the table and its summary (both as wide as the terminal, when stdout is
    one).

    No tasks print no table: only the summary line says so.
    """
    if as_json:
        click.echo(tasks_to_json_lines(tasks), nl=False)
        return
    from a2e.views.text_table import render_task_table, summary_line, wrap_cell  # (text only)

    stdout = click.get_text_stream("stdout")
    width = shutil.get_terminal_size().columns if stdout.isatty() else None
    table = render_task_table(tasks, width) if tasks else ""
    summary = wrap_cell(summary_line(tasks), width) if width else [summary_line(tasks)]
    click.echo(table + "\n".join(summary))
