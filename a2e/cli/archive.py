"""``python -m a2e archive``: keep finished tasks' media before A2E's links expire.

    python -m a2e archive --to DEST [--kind K|family|all] [--since 3d|2026-12-01]
                          [--status completed|failed|all] [IDS… | - | --ids FILE]

With ids (arguments, ``-`` for any text on stdin, or ``--ids FILE``), those tasks are looked up
(each as the first of ``--kind``'s kinds that knows it: every kind by default, a family's, or
the one named); without, the account's tasks of ``--kind`` (every
listable kind by default, or a family's, or one) created within ``--since`` are read from
the list calls. Each task is saved by ``a2e.archive`` (layout, manifest, resume, caps).

stdout gets the summary line ("38 saved (1.2 GB), 12 already saved, 2 expired, 1 refused");
stderr one line per task not kept, saying why, and a progress bar while it runs, on a
terminal only. Exit status: 0 when every task asked was saved or was already, 1 when some
could not be (or a list or a lookup failed), 2 for usage errors. The token comes from
``A2E_API_TOKEN`` only and is never printed; S3 keys from the ``AWS_*`` variables only.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence

import click

from a2e.api.client import A2EClient
from a2e.api.errors import LookupFailed
from a2e.archive.destination import Destination, DestinationError, destination_from
from a2e.archive.fetcher import DEFAULT_MAX_FILE_BYTES, MediaFetcher, MediaSettings, media_scope
from a2e.archive.manifest import ManifestEntry
from a2e.archive.plan import DEFAULT_SINCE, STATUSES, Wanted, listed_tasks, parse_since
from a2e.archive.problems import MediaProblem
from a2e.archive.run import (
    DEFAULT_DOWNLOADS,
    AfterSave,
    Archiver,
    ArchiveSettings,
    RunReport,
    TaskReport,
)
from a2e.cli.common import base_url_option, client_for, token_from_environment
from a2e.cli.lookups import BatchLookup
from a2e.cli.progress import ProgressLine
from a2e.cli.status import collect_ids, read_stdin, stderr
from a2e.core.ids import is_task_id
from a2e.core.kinds import KINDS, get_kind
from a2e.core.model import Task, TaskOutcome, utc_now
from a2e.views.auto_kind import search_kinds
from a2e.views.kind_choice import ALL_KINDS, choice_names, kinds_of_choice
from a2e.views.listing import kinds_of

DOWNLOADS_SETTING = "A2E_ARCHIVE_DOWNLOADS"
DEFAULT_MAX_RUN_BYTES = 50 * 1024**3
BAR_WIDTH = 20
_SIZE = re.compile(r"([0-9]+(?:\.[0-9]+)?)\s*([kmgt]?)(i?)b?", re.IGNORECASE)


class ByteSize(click.ParamType[int]):
    """``2GiB``, ``500MB``, ``1.5G``, ``1000000``: a size in bytes."""

    name = "size"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> int:
        """The size in bytes (``k``/``M``/``G``/``T`` are powers of 1000, ``KiB``… of 1024)."""
        if isinstance(value, int):
            return value
        found = _SIZE.fullmatch(str(value).strip())
        if found is None or float(found[1]) <= 0:
            self.fail("use a size such as 2GiB, 500MB or 1000000", param, ctx)
        power = "kmgt".find(found[2].lower()) + 1 if found[2] else 0
        return int(float(found[1]) * (1024 if found[3] else 1000) ** power)


@click.command()
@click.argument("ids", nargs=-1)
@click.option("--to", "to", required=True, help="A folder, or s3://bucket/prefix.")
@click.option(
    "--kind",
    type=click.Choice(choice_names()),
    default=ALL_KINDS,
    metavar="KIND",
    show_default=True,
    help="A kind (see `a2e kinds`), a family, or all (ids: each as the first that knows it).",
)
@click.option(
    "--since",
    default=DEFAULT_SINCE,
    show_default=True,
    help="Without ids: tasks created this recently (30m, 24h, 3d, 2w) or since a date.",
)
@click.option(
    "--status",
    type=click.Choice(list(STATUSES)),
    default="completed",
    show_default=True,
    help="Which final tasks: completed, failed (their task.json), or all.",
)
@click.option("--ids", "ids_file", type=click.File("r"), help="Read ids from a file (any text).")
@base_url_option
@click.option("--endpoint-url", help="S3 endpoint (else $AWS_ENDPOINT_URL).")
@click.option(
    "--downloads",
    type=click.IntRange(1, 32),
    default=DEFAULT_DOWNLOADS,
    envvar=DOWNLOADS_SETTING,
    show_default=True,
    help=f"Downloads at once (default from ${DOWNLOADS_SETTING}).",
)
@click.option(
    "--max-file-size",
    type=ByteSize(),
    default=DEFAULT_MAX_FILE_BYTES,
    show_default="2GiB",
    help="Refuse a file larger than this.",
)
@click.option(
    "--max-run-size",
    type=ByteSize(),
    default=DEFAULT_MAX_RUN_BYTES,
    show_default="50GiB",
    help="Stop fetching once a run has fetched this much.",
)
@click.option(
    "--mark-downloaded",
    is_flag=True,
    help="Call A2E's markDownloaded for each image-to-video task saved.",
)
def archive(
    ids: tuple[str, ...],
    to: str,
    kind: str,
    since: str,
    status: str,
    ids_file: click.utils.LazyFile | None,
    base_url: str,
    endpoint_url: str | None,
    downloads: int,
    max_file_size: int,
    max_run_size: int,
    mark_downloaded: bool,
) -> None:
    """Keep finished tasks' results (media, source, task.json) in a folder or on S3."""
    wanted = _wanted(status, since, listing=not ids and ids_file is None)
    token = token_from_environment()
    destination = _destination(to, endpoint_url)
    settings = ArchiveSettings(downloads, max_run_size, MediaSettings(max_bytes=max_file_size))
    with client_for(base_url) as client:
        tasks, troubles = _tasks(client, token, ids, ids_file, kind, wanted)
        try:
            report = _archive(client, token, destination, settings, tasks, mark_downloaded)
        finally:
            troubles |= _closed(destination)
    for trouble in troubles:
        click.echo(f"a2e archive: {trouble}", err=True)
    click.echo(report.summary_line())
    sys.exit(0 if report.all_kept and not any(troubles.values()) else 1)


def _wanted(status: str, since: str, *, listing: bool) -> Wanted:
    try:
        moment = parse_since(since, utc_now()) if listing else None
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--since") from None
    return Wanted(STATUSES[status], moment)


def _destination(to: str, endpoint_url: str | None) -> Destination:
    try:
        return destination_from(to, endpoint_url=endpoint_url)
    except DestinationError as exc:
        raise click.BadParameter(str(exc), param_hint="--to") from None


def _tasks(
    client: A2EClient,
    token: str,
    ids: Sequence[str],
    ids_file: click.utils.LazyFile | None,
    kind: str,
    wanted: Wanted,
) -> tuple[list[Task], dict[str, bool]]:
    """The tasks to archive, and each trouble met finding them (True: a failure)."""
    if not ids and ids_file is None:
        listed = listed_tasks(client, token, kinds_of(kind), wanted)
        return list(listed.tasks), dict.fromkeys(listed.troubles, True)
    pieces = collect_ids(ids, read_stdin if "-" in ids else None)
    if ids_file is not None:
        pieces += collect_ids([ids_file.read()], None)
    return _looked_up(client, token, pieces, kind, wanted)


def _looked_up(
    client: A2EClient, token: str, pieces: list[str], kind: str, wanted: Wanted
) -> tuple[list[Task], dict[str, bool]]:
    """The tasks the ids name; an id not looked up fails the run, one of another status not."""
    valid = list(dict.fromkeys(piece.lower() for piece in pieces if is_task_id(piece)))
    troubles = {f"not a task id: {piece[:40]}": True for piece in pieces if not is_task_id(piece)}
    if not valid:
        raise click.UsageError("no task ids given")
    batch = BatchLookup(client, token)
    if kind in KINDS:
        tasks = batch.fetch(kind, valid)
    else:  # all or a family: each id as those kinds in turn
        tasks = search_kinds(batch.asking(), valid, order=kinds_of_choice(kind))
    for task in tasks:
        if task.outcome is TaskOutcome.LOOKUP_ERROR:
            troubles[f"{task.id}: not looked up: {task.error}"] = True
        elif task.is_final and task.outcome not in wanted.outcomes:
            troubles[f"{task.id}: {task.outcome.value}, not archived (see --status)"] = False
    kept = [t for t in tasks if t.outcome is not TaskOutcome.LOOKUP_ERROR]
    return [t for t in kept if not t.is_final or t.outcome in wanted.outcomes], troubles


def _archive(
    client: A2EClient,
    token: str,
    destination: Destination,
    settings: ArchiveSettings,
    tasks: list[Task],
    mark_downloaded: bool,
) -> RunReport:
    after_save = _marker(client, token) if mark_downloaded else None
    total = len(tasks)
    with (
        MediaFetcher(media_scope(client.base_url), settings.media) as fetcher,
        ProgressLine(stderr(), describe=_bar) as progress,
    ):
        archiver = Archiver(destination, fetcher, settings, after_save=after_save)
        counted = [0]

        def settled(report: TaskReport) -> None:
            counted[0] += 1
            progress.update(counted[0], total)
            if not report.kept:
                progress.clear()
                click.echo(f"{report.task_id} {report.kind}: {report.reason}", err=True)

        return archiver.run(tasks, settled)


def _closed(destination: Destination) -> dict[str, bool]:
    """Write what the destination holds back (S3's manifest); a failure is a trouble."""
    try:
        destination.close()
    except MediaProblem as problem:
        return {f"the manifest was not written: {problem.reason}": True}
    return {}


def _bar(done: int, total: int) -> str:
    filled = BAR_WIDTH * done // max(total, 1)
    return f"archiving [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done} of {total} tasks"


def _marker(client: A2EClient, token: str) -> AfterSave:
    """Calls A2E's markDownloaded for each completed task saved whose kind has the call."""

    def mark(task: Task, entry: ManifestEntry) -> None:
        if (
            task.outcome is not TaskOutcome.COMPLETED
            or not get_kind(task.kind).mark_downloaded_path
        ):
            return
        try:
            client.mark_downloaded(token, task.id, task.kind)
        except LookupFailed as exc:
            click.echo(f"{task.id}: saved, but markDownloaded failed: {exc.message}", err=True)

    return mark
