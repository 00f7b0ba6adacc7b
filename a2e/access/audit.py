"""The audit trail: one JSON object per line for each request the dashboard makes for a viewer.

A line, in this key order::

    {"time": "2026-11-25T10:04:05.123Z", "user": "alice@team.example", "server":
     "https://video.a2e.ai", "kind": "lookup", "ids": 3, "calls": 3, "token_source": "server",
     "outcomes": {"completed": 2, "failed": 1}, "refused": null}

- ``user``: the signed-in user's email, else ``anon-`` and a random id per session (never the
  Streamlit session id itself, which could resume that session).
- ``kind``: ``lookup``, ``refresh``, ``list``, ``overview``, ``token_check`` or ``download``
  (a ZIP of results); ``ids``: how many task ids it asked about (0 for a token check or a
  list); ``calls``: how many HTTP requests were sent upstream for it (retries and Auto's other
  kinds included; 0 when the cache answered everything; for a download, its media files), the
  unit the budgets count.
- ``token_source``: ``server``, ``viewer`` or ``demo``: whose token, never the token, nor a hash
  of it (a hash could be matched across deployments that share a token).
- ``outcomes``: counts by outcome (a task's outcome, or for a token check ``ok`` or the cause
  of the failure); ``refused``: why the request was not made (``budget``), else null.

Lines are appended to the file ``A2E_AUDIT_LOG`` when it is set, else written to the server's
standard error with its other logs. A line that cannot be written is reported there and never
stops the request it describes.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import TextIO

from a2e.access.budgets import Budget

# Only its owner reads the audit file: it names users.
AUDIT_FILE_MODE = 0o600


class AuditKind(StrEnum):
    """What kind of request a line records."""

    LOOKUP = "lookup"
    REFRESH = "refresh"
    LIST = "list"
    OVERVIEW = "overview"
    TOKEN_CHECK = "token_check"
    DOWNLOAD = "download"


# Which budget each kind of request spends.
BUDGET_OF: Mapping[AuditKind, Budget] = {
    AuditKind.LOOKUP: Budget.LOOKUP,
    AuditKind.REFRESH: Budget.LOOKUP,
    AuditKind.LIST: Budget.LIST,
    AuditKind.OVERVIEW: Budget.LIST,
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
        return json.dumps(record, ensure_ascii=False)


def outcome_counts(outcomes: Iterable[str]) -> dict[str, int]:
    """How many of each outcome."""
    return dict(Counter(outcomes))


class AuditTrail:
    """Where audit lines go: a file (appended, created owner-only) or a stream."""

    def __init__(self, path: str | None = None, stream: TextIO | None = None) -> None:
        self.path = path
        self._stream = stream
        self._lock = threading.Lock()

    def record(self, event: AuditEvent) -> None:
        """Write one line for ``event``."""
        line = event.line(datetime.now(UTC)) + "\n"
        with self._lock:
            try:
                self._write(line)
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
