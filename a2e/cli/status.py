"""``python -m a2e status``: look up tasks from a terminal or a script."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence

import click

from a2e.api.client import GLOBAL_SERVER, A2EClient, ClientSettings, check_token
from a2e.api.errors import TokenRejected
from a2e.core.ids import is_task_id, parse_task_ids
from a2e.core.kinds import DEFAULT_KIND, KINDS
from a2e.core.model import Task, TaskOutcome, invalid_id
from a2e.views.export import tasks_to_json_lines
from a2e.views.text_table import render_task_table

TOKEN_VARIABLE = "A2E_API_TOKEN"
BASE_URL_VARIABLE = "A2E_BASE_URL"


@click.command()
@click.argument("ids", nargs=-1)
@click.option(
    "--base-url",
    envvar=BASE_URL_VARIABLE,
    default=GLOBAL_SERVER,
    show_default=True,
    help=f"A2E server (default from ${BASE_URL_VARIABLE}).",
)
@click.option(
    "--kind",
    type=click.Choice(list(KINDS)),
    default=DEFAULT_KIND,
    show_default=True,
    help="Task kind.",
)
@click.option("--json", "as_json", is_flag=True, help="JSON Lines, one object per id.")
@click.option(
    "--concurrency",
    type=click.IntRange(1, 64),
    default=ClientSettings.concurrency,
    show_default=True,
    help="Lookups at once.",
)
def status(ids: tuple[str, ...], base_url: str, kind: str, as_json: bool, concurrency: int) -> None:
    """Look up task IDs (use - to read any text with ids from stdin)."""
    wanted = _collect_ids(ids, _read_stdin if "-" in ids else None)
    if not wanted:
        raise click.UsageError("no task ids given")
    token = _token_from_environment()
    try:
        client = A2EClient(base_url, settings=ClientSettings(concurrency=concurrency))
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--base-url") from None
    with client:
        tasks = _look_up(client, token, wanted, kind)
    click.echo(tasks_to_json_lines(tasks) if as_json else render_task_table(tasks), nl=False)
    sys.exit(1 if any(_lookup_failed(task) for task in tasks) else 0)


def _collect_ids(arguments: Sequence[str], read_stdin: Callable[[], str] | None) -> list[str]:
    """Ids and invalid pieces, in input order; ``-`` expands to the ids in stdin's text."""
    collected: list[str] = []
    for argument in arguments:
        if argument == "-" and read_stdin is not None:
            parsed = parse_task_ids(read_stdin())
            collected += [*parsed.ids, *parsed.rejected]
            continue
        parsed = parse_task_ids(argument)
        collected += list(parsed.ids) + list(parsed.rejected) or [argument]
    return collected


def _read_stdin() -> str:
    return sys.stdin.read()


def _token_from_environment() -> str:
    token = os.environ.get(TOKEN_VARIABLE, "")
    try:
        return check_token(token)
    except TokenRejected as exc:
        hint = f"set {TOKEN_VARIABLE} to your A2E API token" if not token.strip() else exc.message
        raise click.UsageError(hint) from None


def _look_up(client: A2EClient, token: str, wanted: list[str], kind: str) -> list[Task]:
    valid = [task_id for task_id in wanted if is_task_id(task_id)]
    found = {task.id: task for task in client.lookup_many(token, valid, kind)}
    return [found.get(piece.lower()) or invalid_id(piece, kind) for piece in wanted]


def _lookup_failed(task: Task) -> bool:
    return task.outcome in (TaskOutcome.LOOKUP_ERROR, TaskOutcome.INVALID_ID)
