"""``python -m a2e status``: look up tasks from a terminal or a script.

Output goes to stdout: a table closed by a summary line, or ``--json`` lines (one per id,
input order). A pipe or a file gets every cell whole; a terminal gets lines that fit its width.
stderr carries only what a person needs to act on: a progress line while a long batch runs (on
a terminal only), and one line when the server rejected the token, which stops the batch early
(see ``a2e.cli.lookups``). ``--kind auto`` (the default) asks each id as the likeliest kind, then
as the others (``a2e.views.auto_kind``); each row's kind is the one it was found as.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import TextIO

import click

from a2e.api.client import ClientSettings
from a2e.cli.common import (
    TOKEN_VARIABLE,
    base_url_option,
    client_for,
    echo_tasks,
    token_from_environment,
)
from a2e.cli.lookups import BatchLookup
from a2e.cli.progress import ProgressLine
from a2e.core.ids import is_task_id, parse_task_ids
from a2e.core.kinds import KINDS
from a2e.core.model import Task, TaskOutcome, invalid_id
from a2e.views.auto_kind import AUTO_KIND, search_kinds
from a2e.views.kind_choice import choice_names, kinds_of_choice


@click.command()
@click.argument("ids", nargs=-1)
@base_url_option
@click.option(
    "--kind",
    type=click.Choice(choice_names(auto=True)),
    default=AUTO_KIND,
    show_default=True,
    metavar="KIND",
    help="A kind (see `a2e kinds`); a family or all: each id as those kinds in turn; "
    "auto: as every kind, the likeliest first.",
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
    wanted = collect_ids(ids, read_stdin if "-" in ids else None)
    if not wanted:
        raise click.UsageError("no task ids given")
    token = token_from_environment()
    with (
        client_for(base_url, ClientSettings(concurrency=concurrency)) as client,
        ProgressLine(stderr()) as progress,
    ):
        batch = BatchLookup(client, token)
        tasks = _look_up(batch, wanted, kind, progress)
    echo_tasks(tasks, as_json=as_json)
    if batch.rejection is not None:
        click.echo(rejection_message(batch.rejection), err=True)
    sys.exit(1 if any(_lookup_failed(task) for task in tasks) else 0)


def rejection_message(rejection: Task) -> str:
    """The one line that says the token was rejected (never the token itself)."""
    error = rejection.error or "token rejected"
    detail = error.removeprefix("token rejected (").removesuffix(")")
    return f"the server rejected the token ({detail}): check {TOKEN_VARIABLE}"


def collect_ids(arguments: Sequence[str], read_stdin: Callable[[], str] | None) -> list[str]:
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


def read_stdin() -> str:
    """Everything on standard input."""
    return sys.stdin.read()


def stderr() -> TextIO:
    """Standard error, as click writes it."""
    return click.get_text_stream("stderr")


def _look_up(
    batch: BatchLookup, wanted: list[str], kind: str, progress: ProgressLine
) -> list[Task]:
    valid = list(dict.fromkeys(piece.lower() for piece in wanted if is_task_id(piece)))
    if kind in KINDS:
        tasks = batch.fetch(kind, valid, progress.update)
    else:  # auto, all or a family: each id as those kinds in turn
        order = kinds_of_choice(kind)
        tasks = search_kinds(
            batch.asking(), valid, progress.update, order=order, on_kind=progress.asking
        )
    found = dict(zip(valid, tasks, strict=True))
    return [found.get(piece.lower()) or invalid_id(piece, kind) for piece in wanted]


def _lookup_failed(task: Task) -> bool:
    return task.outcome in (TaskOutcome.LOOKUP_ERROR, TaskOutcome.INVALID_ID)
