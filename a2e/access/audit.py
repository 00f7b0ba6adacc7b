"""The audit trail: one JSON object per line for each request the dashboard makes for a viewer.

A line, in this key order::

    {"time": "2026-11-25T10:04:05.123Z", "user": "alice@team.example", "server":
     "https://video.a2e.ai", "kind": "lookup", "ids": 3, "calls": 3, "token_source": "server",
     "outcomes": {"completed": 2, "failed": 1}, "refused": null}

- ``user``: the signed-in user's email, else ``anon-`` and a random id per session (never the
  Streamlit session id itself, which could resume that session).
- ``kind``: ``lookup``, ``refresh``, ``list``, ``overview``, ``credits`` (the Overview's
  reading of A2E's credits history), ``token_check``, ``download`` (a ZIP of results) or
  ``webhook`` (a webhook's ids confirmed on the server token; ``user`` is then ``webhook``);
  ``ids``: how many task ids it asked about (0 for a token check or a list); ``calls``: how
  many HTTP requests were sent upstream for it (retries and Auto's other kinds included; 0 when
  the cache answered everything; for a download, its media files), the unit the budgets count.
- ``token_source``: ``server``, ``viewer`` or ``demo``: whose token, never the token, nor a hash
  of it (a hash could be matched across deployments that share a token).
- ``outcomes``: counts by outcome (a task's outcome, or for a token check ``ok`` or the cause
  of the failure); ``refused``: why the request was not made (``budget``), else null.
- ``ticks`` (auto-refresh lines only): a viewer's auto-refresh ticks are counted, not written
  one by one: the first tick opens a line that adds up that viewer's ticks (their ids and
  outcomes, on the same server, token source and refusal) for ``TICKS_LINE_SECONDS``, then is
  written with ``ticks`` and the first tick's ``time``. Every lookup, list, overview, token
  check and *Refresh now* keeps a line of its own, written at once.

Lines are appended to the file ``A2E_AUDIT_LOG`` when it is set, else written to the server's
standard error with its other logs (the terminal that runs the dashboard). A line that cannot be
written is reported there and never stops the request it describes; the lines still adding up
ticks are written when the process exits.
"""

from __future__ import annotations

import atexit
import json
import os
import sys
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import StrEnum
from typing import TextIO

from a2e.access.budgets import Budget

# Only its owner reads the audit file: it names users.
AUDIT_FILE_MODE = 0o600
# A viewer's auto-refresh ticks are added up into one line over this long.
TICKS_LINE_SECONDS = 60.0

# Runs a callback after a delay (a daemon timer; tests pass one they drive themselves).
Scheduler = Callable[[float, Callable[[], None]], None]


class AuditKind(StrEnum):
    """What kind of request a line records."""

    LOOKUP = "lookup"
    REFRESH = "refresh"
    LIST = "list"
    OVERVIEW = "overview"
    CREDITS = "credits"
    TOKEN_CHECK = "token_check"
    DOWNLOAD = "download"
    WEBHOOK = "webhook"


# Which budget each kind of request spends.
BUDGET_OF: Mapping[AuditKind, Budget] = {
    AuditKind.LOOKUP: Budget.LOOKUP,
    AuditKind.REFRESH: Budget.LOOKUP,
    AuditKind.LIST: Budget.LIST,
    AuditKind.OVERVIEW: Budget.LIST,
    AuditKind.CREDITS: Budget.LIST,
    AuditKind.TOKEN_CHECK: Budget.TOKEN_CHECK,
    AuditKind.DOWNLOAD: Budget.LOOKUP,
}


@dataclass(frozen=True)
class AuditEvent:
    """One request made (or refused) for a viewer."""

    user: str
    server: str
    kind: AuditKind
    ids: int
    token_source: str
    outcomes: Mapping[str, int] = field(default_factory=dict)
    refused: str | None = None
    calls: int = 0
    # An auto-refresh tick (1), or the count of the ticks one line adds up; None otherwise.
    ticks: int | None = None

    def line(self, moment: datetime) -> str:
        """The event as one line of JSON, stamped with ``moment``."""
        stamp = moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        record = {
            "time": stamp,
            "user": self.user,
            "server": self.server,
            "kind": self.kind.value,
            "ids": self.ids,
            "calls": self.calls,
            "token_source": self.token_source,
            "outcomes": dict(sorted(self.outcomes.items())),
            "refused": self.refused,
        }
        if self.ticks is not None:
            record["ticks"] = self.ticks
        return json.dumps(record, ensure_ascii=False)


def outcome_counts(outcomes: Iterable[str]) -> dict[str, int]:
    """How many of each outcome."""
    return dict(Counter(outcomes))


def _after(seconds: float, callback: Callable[[], None]) -> None:
    timer = threading.Timer(seconds, callback)
    timer.daemon = True
    timer.start()


@dataclass
class _Ticks:
    """One viewer's auto-refresh ticks being added up into one line."""

    first: AuditEvent
    at: datetime
    ticks: int = 0
    ids: int = 0
    calls: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)

    def add(self, event: AuditEvent) -> None:
        self.ticks += event.ticks or 1
        self.ids += event.ids
        self.calls += event.calls
        self.outcomes.update(event.outcomes)

    def event(self) -> AuditEvent:
        outcomes = dict(self.outcomes)
        return replace(
            self.first, ids=self.ids, calls=self.calls, outcomes=outcomes, ticks=self.ticks
        )


class AuditTrail:
    """Where audit lines go: a file (appended, created owner-only) or a stream."""

    def __init__(
        self,
        path: str | None = None,
        stream: TextIO | None = None,
        *,
        schedule: Scheduler = _after,
    ) -> None:
        self.path = path
        self._stream = stream
        self._lock = threading.Lock()
        self._schedule = schedule
        self._ticks: dict[tuple[str, str, str, str | None], _Ticks] = {}
        atexit.register(self.flush)

    def record(self, event: AuditEvent) -> None:
        """Write one line for ``event``; an auto-refresh tick is added to its viewer's line."""
        now = datetime.now(UTC)
        if event.ticks is None:
            self._write_line(event.line(now))
            return
        key = (event.user, event.server, event.token_source, event.refused)
        with self._lock:
            opened = key not in self._ticks
            tally = self._ticks.setdefault(key, _Ticks(event, now))
            tally.add(event)
        if opened:
            self._schedule(TICKS_LINE_SECONDS, lambda: self._close(key))

    def flush(self) -> None:
        """Write every line still adding up ticks (at exit, and for tests)."""
        with self._lock:
            keys = list(self._ticks)
        for key in keys:
            self._close(key)

    def _close(self, key: tuple[str, str, str, str | None]) -> None:
        with self._lock:
            tally = self._ticks.pop(key, None)
        if tally is not None:
            self._write_line(tally.event().line(tally.at))

    def _write_line(self, text: str) -> None:
        with self._lock:
            try:
                self._write(text + "\n")
            except OSError as exc:
                self._errors().write(f"a2e audit: could not write to {self.path}: {exc}\n")

    def _write(self, line: str) -> None:
        if self.path is None:
            stream = self._errors()
            stream.write(line)
            stream.flush()
            return
        descriptor = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, AUDIT_FILE_MODE)
        with os.fdopen(descriptor, "a", encoding="utf-8") as audit_file:
            audit_file.write(line)

    def _errors(self) -> TextIO:
        return self._stream or sys.stderr
