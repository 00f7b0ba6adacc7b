"""``python -m a2e watch``: announce finished tasks to Slack, Teams, email or any webhook.

``--kind`` takes what every command takes (``a2e.views.kind_choice``): a kind, a family of
kinds, ``all`` (the default) or ``auto`` (the same as ``all`` here); an unknown one is refused
naming the known ones. With ids (arguments, or ``--ids FILE``, ``-`` for stdin) it watches
those tasks, each asked as the kinds ``--kind`` names (as each in turn, the likeliest first,
when it names several): each one's final state is announced once, even if it was final at
start; ``--until-done`` exits 0 once every id is final and every announcement delivered (1 if
any was given up). Without ids it follows the lists of ``--kind``'s kinds that have a list
call (none: a usage error): tasks already final at the first start are the baseline; every
later finish is announced. Exit status 2 for usage errors (no target, a target that cannot be
used, no token), 3 when another watcher holds the state. The token comes from
``A2E_API_TOKEN`` and target URLs are never printed: only their labels (secrets masked).
"""

from __future__ import annotations

import logging
import os
import signal
import sqlite3
import sys
import threading
from pathlib import Path
from types import FrameType

import click
from standardwebhooks.webhooks import Webhook

from a2e.api.client import A2EClient
from a2e.cache.stores import URL_SETTING as CACHE_URL_SETTING
from a2e.cli.common import base_url_option, client_for, token_from_environment
from a2e.core.ids import parse_task_ids
from a2e.notify.schedule import DEFAULT_RETRY_DELAYS, parse_delays, parse_duration
from a2e.notify.send import MissingSecret, signer
from a2e.notify.targets import Target, TargetError, parse_target
from a2e.views.kind_choice import ALL_KINDS, choice_names, kinds_of_choice
from a2e.views.listing import kinds_of
from a2e.watch.db import StateLocked
from a2e.watch.loop import StateMismatch, Watcher, WatchSettings
from a2e.watch.messages import DASHBOARD_URL_SETTING

WEBHOOK_SECRET_SETTING = "A2E_NOTIFY_WEBHOOK_SECRET"
NOTIFY_SETTING = "A2E_NOTIFY"
DEFAULT_STATE = "a2e-watch.sqlite"
LOCKED_EXIT = 3
LOG = logging.getLogger("a2e.watch")


def chosen_kinds(choice: str | None, *, following: bool) -> tuple[str, ...]:
    """The kinds ``--kind`` stands for (a kind, a family, ``all``; by default every kind).

    Following, only the kinds with a list call (the registry says which); none: a usage error.
    """
    chosen = choice or ALL_KINDS
    if not following:
        return kinds_of_choice(chosen)
    listable = tuple(kinds_of(chosen))
    if not listable:
        hint = f"no kind of {chosen!r} has a list call: give its task ids to watch them"
        raise click.BadParameter(hint, param_hint="--kind")
    return listable


def _duration(_ctx: click.Context, param: click.Parameter, value: str) -> float:
    try:
        return parse_duration(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint=f"--{param.name}") from None


@click.command()
@click.argument("ids", nargs=-1)
@click.option("--ids", "ids_file", type=click.File("r"), help="A file with task ids (- for stdin).")
@click.option(
    "--kind",
    type=click.Choice(choice_names(auto=True)),
    metavar="KIND",
    help="A kind (see `a2e kinds`), a family, or all (the default); auto: as all.",
)
@click.option(
    "--notify",
    "targets",
    multiple=True,
    required=True,
    envvar=NOTIFY_SETTING,
    help=f"Target URL (repeat; default from ${NOTIFY_SETTING}, space-separated).",
)
@click.option("--state", default=DEFAULT_STATE, show_default=True, help="The SQLite state file.")
@click.option(
    "--interval", default="30s", show_default=True, callback=_duration, help="Poll every."
)
@click.option("--only", type=click.Choice(["failed"]), help="Announce only failures.")
@click.option("--digest", default="60s", show_default=True, callback=_duration, help="Window.")
@click.option("--until-done", is_flag=True, help="Exit once every id is final and announced.")
@click.option("--retry-delays", default=",".join(f"{d:g}s" for d in DEFAULT_RETRY_DELAYS))
@base_url_option
def watch(
    ids: tuple[str, ...],
    ids_file: click.utils.LazyFile | None,
    kind: str | None,
    targets: tuple[str, ...],
    state: str,
    interval: float,
    only: str | None,
    digest: float,
    until_done: bool,
    retry_delays: str,
    base_url: str,
) -> None:
    """Announce when tasks finish, to every --notify target."""
    wanted = _ids(ids, ids_file)
    if until_done and not wanted:
        raise click.UsageError("--until-done needs task ids to wait for")
    kinds = chosen_kinds(kind, following=not wanted)
    settings = WatchSettings(
        kinds=() if wanted else kinds,
        ids=tuple(wanted),
        id_kinds=kinds if wanted else (),
        interval=max(0.1, interval),
        only_failed=only == "failed",
        digest=digest,
        until_done=until_done,
        retry_delays=_delays(retry_delays),
        dashboard_url=os.environ.get(DASHBOARD_URL_SETTING) or None,
    )
    parsed = [_target(url) for url in targets]
    webhook_signer = _signer(parsed)
    token = token_from_environment()
    _configure_logging()
    client = client_for(base_url)
    redis_url = os.environ.get(CACHE_URL_SETTING) or None
    watcher = Watcher(
        Path(state), settings, client, token, parsed, signer=webhook_signer, redis_url=redis_url
    )
    sys.exit(_run(watcher, parsed, client))


def _run(watcher: Watcher, targets: list[Target], client: A2EClient) -> int:
    try:
        watcher.start()
    except StateLocked as exc:
        click.echo(f"a2e watch: {exc}", err=True)
        return LOCKED_EXIT
    except StateMismatch as exc:
        click.echo(f"a2e watch: {exc}", err=True)
        return 2
    except (sqlite3.DatabaseError, OSError) as exc:
        click.echo(f"a2e watch: the state {watcher.path} cannot be used ({exc})", err=True)
        return 2
    stopping = threading.Event()

    def stop(_signum: int, _frame: FrameType | None) -> None:
        stopping.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    what = f"{len(watcher.settings.ids)} ids" if watcher.settings.ids else "the account's lists"
    LOG.info("watching %s; announcing to %s", what, ", ".join(t.label for t in targets))
    try:
        return watcher.run(stopping)
    finally:
        watcher.stop()
        client.close()


def _configure_logging() -> None:
    """The watcher's own lines at INFO; libraries that would print URLs stay silent."""
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(message)s")
    LOG.setLevel(logging.INFO)
    # httpx logs each request's URL (a webhook's path may be its secret); Apprise's reports are
    # read from its own capture of each attempt, never printed.
    logging.getLogger("apprise").propagate = False


def _ids(ids: tuple[str, ...], ids_file: click.utils.LazyFile | None) -> list[str]:
    text = " ".join(ids) + "\n" + (ids_file.read() if ids_file is not None else "")
    parsed = parse_task_ids(text)
    if parsed.rejected:
        shown = ", ".join(piece[:40] for piece in parsed.rejected[:5])
        raise click.UsageError(f"not task ids: {shown}")
    return list(parsed.ids)


def _delays(text: str) -> tuple[float, ...]:
    try:
        return parse_delays(text)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--retry-delays") from None


def _target(url: str) -> Target:
    try:
        return parse_target(url)
    except TargetError as exc:
        raise click.BadParameter(str(exc), param_hint="--notify") from None


def _signer(targets: list[Target]) -> Webhook | None:
    if not any(target.kind == "webhook" for target in targets):
        return None
    try:
        found = signer(os.environ.get(WEBHOOK_SECRET_SETTING))
    except MissingSecret as exc:
        raise click.UsageError(f"{WEBHOOK_SECRET_SETTING}: {exc}") from None
    if found is None:
        raise click.UsageError(f"a webhook+ target needs {WEBHOOK_SECRET_SETTING} (whsec_…)")
    return found
