"""``python -m a2e recent``: the account's newest tasks, without their ids.

Pages through the kind's list (or every listable kind's, merged newest first) until ``--limit``
tasks match ``--status`` and ``--since``, the list ends, or the reading cap (40 list calls per
kind) is reached. Output and exit status are those of ``status`` (the table as wide as the
terminal, and its summary line): 0 when every list call worked, 1 when a list call failed, a
row could not be read or a task's state is unknown, 2 for usage errors. What cut a reading
short goes to stderr; when a list call failed and nothing was read, stdout stays empty.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta

import click

from a2e.api.client import A2EClient
from a2e.api.errors import LookupFailed
from a2e.api.lists import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, TaskPage, newest_first
from a2e.cache.fetch import TaskCache
from a2e.cli.common import base_url_option, client_for, echo_tasks, token_from_environment
from a2e.core.kinds import DEFAULT_KIND, get_kind
from a2e.core.model import Task, TaskOutcome, utc_now
from a2e.views.kind_choice import choice_names
from a2e.views.listing import dropped_rows, kinds_of
from a2e.views.paging import Caps, read_pages

STATUS_OUTCOMES = {
    "completed": TaskOutcome.COMPLETED,
    "failed": TaskOutcome.FAILED,
    "running": TaskOutcome.IN_PROGRESS,
}
_SINCE = re.compile(r"([0-9]{1,6})\s*(m|min|h|d|w)", re.IGNORECASE)
_UNIT_SECONDS = {"m": 60, "min": 60, "h": 3_600, "d": 86_400, "w": 604_800}


@dataclass(frozen=True)
class Wanted:
    """Which tasks the command shows: how many, which outcome, how recent."""

    limit: int
    outcome: TaskOutcome | None
    since: timedelta | None

    def matches(self, task: Task) -> bool:
        """True when ``task`` passes the ``--status`` and ``--since`` filters."""
        if self.outcome is not None and task.outcome is not self.outcome:
            return False
        if self.since is None:
            return True
        return task.created_at is not None and task.created_at >= utc_now() - self.since


@click.command()
@click.option(
    "--kind",
    type=click.Choice(choice_names()),
    default=DEFAULT_KIND,
    show_default=True,
    metavar="KIND",
    help="A kind (see `a2e kinds`), a family, or all: those kinds' newest, merged.",
)
@click.option(
    "--limit", type=click.IntRange(1, 2000), default=50, show_default=True, help="Tasks to show."
)
@click.option("--status", type=click.Choice(list(STATUS_OUTCOMES)), help="Only these tasks.")
@click.option("--since", help="Only tasks created this recently, e.g. 30m, 24h, 7d, 2w.")
@click.option("--json", "as_json", is_flag=True, help="JSON Lines, one object per task.")
@base_url_option
@click.option(
    "--page-size",
    type=click.IntRange(1, MAX_PAGE_SIZE),
    default=DEFAULT_PAGE_SIZE,
    show_default=True,
    help="Tasks per list call.",
)
def recent(
    kind: str,
    limit: int,
    status: str | None,
    since: str | None,
    as_json: bool,
    base_url: str,
    page_size: int,
) -> None:
    """Show the account's newest tasks (no ids needed)."""
    wanted = Wanted(limit, STATUS_OUTCOMES.get(status or ""), _parse_since(since))
    token = token_from_environment()
    with client_for(base_url) as client:
        tasks, troubles = _read_kinds(client, token, kinds_of(kind), wanted, page_size)
    for trouble in troubles:
        click.echo(f"a2e recent: {trouble}", err=True)
    # A list call that failed is said on stderr: no empty table stands for it.
    if tasks or not any(troubles.values()):
        echo_tasks(tasks, as_json=as_json)
    unknown = any(task.outcome is TaskOutcome.LOOKUP_ERROR for task in tasks)
    sys.exit(1 if unknown or any(troubles.values()) else 0)


def _parse_since(since: str | None) -> timedelta | None:
    if since is None:
        return None
    match = _SINCE.fullmatch(since.strip())
    if match is None:
        raise click.BadParameter("use a number and a unit: 30m, 24h, 7d, 2w", param_hint="--since")
    return timedelta(seconds=int(match[1]) * _UNIT_SECONDS[match[2].lower()])


def _read_kinds(
    client: A2EClient, token: str, kinds: Sequence[str], wanted: Wanted, page_size: int
) -> tuple[list[Task], dict[str, bool]]:
    """The newest matching tasks of ``kinds``, and each trouble met (True: a failure)."""
    cache, found, troubles = TaskCache(), list[Task](), dict[str, bool]()
    for kind in kinds:
        label = get_kind(kind).label
        try:
            read = read_pages(
                cache, client, token, kind, _enough(wanted), Caps(page_size=page_size)
            )
        except LookupFailed as exc:
            troubles[f"{label}: {exc.message}"] = True
            continue
        found += [task for task in read.tasks if wanted.matches(task)]
        skipped, duplicates = dropped_rows(read.skipped, 0), dropped_rows(0, read.duplicates)
        troubles |= {f"{label}: {note}": True for note in skipped}
        troubles |= {f"{label}: {note}": False for note in duplicates}  # nothing is missing
        if read.cut_short:
            troubles[f"{label}: {read.cut_short}"] = read.failed
    return newest_first(found)[: wanted.limit], troubles


def _enough(wanted: Wanted) -> Callable[[TaskPage, list[Task]], bool]:
    """True once ``limit`` tasks match, or a newest-first page reaches past ``--since``."""

    def enough(page: TaskPage, tasks: list[Task]) -> bool:
        if not page.is_newest_first:  # then later pages may hold newer tasks
            return False
        if sum(wanted.matches(task) for task in tasks) >= wanted.limit:
            return True
        start = utc_now() - wanted.since if wanted.since else None
        return start is not None and any(t.created_at and t.created_at < start for t in page.tasks)

    return enough
