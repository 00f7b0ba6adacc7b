"""The watcher's own trouble, and the followed kinds this server cannot list, kept in the state.

**Trouble**: when every call of ``TROUBLE_AFTER_POLLS`` polls in a row failed (A2E unreachable,
or the token rejected: ``rounds.trouble_of``), ``note_trouble`` gives the announcement, once
("A2E unreachable since 10:04 UTC"); while it lasts the watcher backs off (``next_wait``: its
interval doubled for each failed poll, up to 5 minutes), and the first poll that gets an answer
gives the recovery's announcement (only if the trouble was announced). What is kept
(``meta['trouble']``: what, since, polls, announced) survives a restart, so a watcher restarted
during an outage neither repeats the announcement nor forgets the recovery.

**Unlisted kinds**: a followed kind whose list call the server lacks (``ListCallMissing``) is
not trouble (the server answered). ``note_unlisted`` says it once in the log and keeps it in
``meta['unlisted']`` for the Watch page until its list answers; its new tasks are not seen
(ids named on the command line, and pokes, still are).
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterable

from a2e.api.errors import ListCallMissing
from a2e.api.lists import LIST_CALL_MISSING
from a2e.core.kinds import KINDS
from a2e.views.backoff import Backoff
from a2e.watch.db import get_meta, set_meta
from a2e.watch.messages import Draft, recovery_draft, trouble_draft
from a2e.watch.rounds import KindRead

LOG = logging.getLogger("a2e.watch")
TROUBLE_AFTER_POLLS = 2


def note_trouble(connection: sqlite3.Connection, what: str | None, now: float) -> list[Draft]:
    """Keep this poll's trouble (None: none); the announcement it calls for, if any."""
    current = get_meta(connection, "trouble")
    if what is None:
        if current is None:
            return []
        connection.execute("DELETE FROM meta WHERE key = 'trouble'")
        return (
            [recovery_draft(current["what"], current["since"], now)] if current["announced"] else []
        )
    if current is None or current["what"] != what:
        current = {"what": what, "since": now, "polls": 0, "announced": False}
    current["polls"] += 1
    drafts = []
    if not current["announced"] and current["polls"] >= TROUBLE_AFTER_POLLS:
        drafts.append(trouble_draft(what, current["since"]))
        current["announced"] = True
        LOG.warning("trouble: %s since %s", what, current["since"])
    set_meta(connection, "trouble", current)
    return drafts


def next_wait(connection: sqlite3.Connection, interval: float) -> float:
    """Seconds until the next poll: the interval, doubled for each failed poll in a row."""
    failures = (get_meta(connection, "trouble") or {}).get("polls", 0)
    return Backoff(failures=int(failures)).interval(interval)


def note_unlisted(connection: sqlite3.Connection, reads: Iterable[KindRead]) -> list[str]:
    """Keep which followed kinds the server cannot list (logged once each); those kinds."""
    read = list(reads)
    missing = {r.kind for r in read if isinstance(r.error, ListCallMissing)}
    answered = {r.kind for r in read if r.error is None}
    before = set(get_meta(connection, "unlisted") or [])
    for kind in sorted(missing - before):
        label = KINDS[kind].label if kind in KINDS else kind
        LOG.warning("%s: %s: its tasks are not followed (name their ids)", label, LIST_CALL_MISSING)
    unlisted = sorted((before - answered) | missing)
    set_meta(connection, "unlisted", unlisted)
    return unlisted
