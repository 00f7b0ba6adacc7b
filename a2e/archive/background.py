"""Archiving in the background what the dashboard sees (``A2E_ARCHIVE``), and who may see it.

- ``offer`` never blocks a page: the completed tasks it is given that are not saved, queued or
  refused already go on a queue of at most ``QUEUE_CAP`` tasks (past it, they wait to be
  offered again: a later lookup, refresh or Recent page sees them again), and ``WORKERS``
  threads save them (``Archiver.archive_one``: nothing is fetched for a task saved whole).
- Access is keyed by (server, token fingerprint, task id): a task saved, or found saved, while
  one token's viewer saw it is served back (``kept_for``) only to viewers of that server and
  token, never to others. The keys live in this process's memory: after a restart a task is
  served again once a viewer's token sees it anew (its manifest line spares the download).
- ``link_expired``: A2E's result links live about three days (``LINK_LIFETIME``; GPT Image's
  three, Flux 2's seven): past that, the dashboard plays the archived copy instead.
"""

from __future__ import annotations

import logging
import queue
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from a2e.api.addresses import AddressScope
from a2e.archive.destination import Destination
from a2e.archive.fetcher import MediaFetcher, MediaSettings, viewer_media_scope
from a2e.archive.manifest import ManifestEntry
from a2e.archive.run import Archiver, ArchiveSettings
from a2e.core.model import Task, TaskOutcome

logger = logging.getLogger("a2e.archive")

WORKERS = 2
QUEUE_CAP = 1_000
LINK_LIFETIME = timedelta(days=3)


@dataclass(frozen=True)
class Owner:
    """Whose tasks: a server and a token's fingerprint (never the token)."""

    server: str
    fingerprint: str
    scope: AddressScope = AddressScope.ANY


def link_expired(task: Task, now: datetime) -> bool:
    """True once a completed task's result link is past its likely lifetime."""
    made = task.finished_at or task.created_at
    return made is not None and now - made > LINK_LIFETIME


class BackgroundArchiver:
    """Saves completed tasks into one destination from a few threads; never blocks a caller."""

    def __init__(
        self,
        destination: Destination,
        *,
        workers: int = WORKERS,
        queue_cap: int = QUEUE_CAP,
        media: MediaSettings | None = None,
    ) -> None:
        self.destination = destination
        self._media = media or MediaSettings()
        self._queue: queue.Queue[tuple[Owner, Task]] = queue.Queue(maxsize=queue_cap)
        self._lock = threading.Lock()
        self._fetchers: dict[AddressScope, Archiver] = {}
        self._pending: set[tuple[Owner, str]] = set()
        self._kept: dict[tuple[str, str, str], ManifestEntry] = {}
        self._refused: set[str] = set()
        self.dropped = 0
        for number in range(max(1, workers)):
            name = f"a2e-background-archive-{number}"
            threading.Thread(target=self._work, name=name, daemon=True).start()

    def offer(self, owner: Owner, tasks: list[Task]) -> None:
        """Queue the completed tasks not yet saved for ``owner`` (at once; never waits)."""
        for task in tasks:
            if task.outcome is not TaskOutcome.COMPLETED or not task.result_url:
                continue
            key = (owner, task.id)
            with self._lock:
                known = (owner.server, owner.fingerprint, task.id) in self._kept
                if known or key in self._pending or task.id in self._refused:
                    continue
                self._pending.add(key)
            try:
                self._queue.put_nowait((owner, task))
            except queue.Full:
                with self._lock:
                    self._pending.discard(key)
                    self.dropped += 1

    def kept_for(self, owner: Owner, task_id: str) -> ManifestEntry | None:
        """The archive's entry for the task, when ``owner``'s token was seen to own it."""
        with self._lock:
            return self._kept.get((owner.server, owner.fingerprint, task_id))

    def idle(self) -> bool:
        """True when nothing is queued or being saved."""
        with self._lock:
            return not self._pending

    def _work(self) -> None:
        while True:
            owner, task = self._queue.get()
            try:
                self._save(owner, task)
            except Exception:  # a worker never dies of one task
                logger.exception("background archiving failed for one task")
            finally:
                with self._lock:
                    self._pending.discard((owner, task.id))
                if self._queue.empty():
                    self._flush()

    def _flush(self) -> None:
        """Write what the destination holds back (S3's manifest) once the queue is drained."""
        try:
            self.destination.close()
        except Exception:
            logger.exception("the archive's manifest could not be written")

    def _save(self, owner: Owner, task: Task) -> None:
        with self._lock:
            archiver = self._archiver(owner)
        report = archiver.archive_one(task)
        with self._lock:
            if report.kept:
                entry = archiver.entry(task.id)
                if entry is not None:
                    self._kept[(owner.server, owner.fingerprint, task.id)] = entry
            elif report.verdict.value in ("expired", "refused"):
                self._refused.add(task.id)
        if not report.kept:
            logger.warning("not archived: %s %s: %s", task.kind, task.id, report.reason)

    def _archiver(self, owner: Owner) -> Archiver:
        """The archiver for the owner's media scope (called with the lock held)."""
        scope = viewer_media_scope(owner.server, owner.scope)
        archiver = self._fetchers.get(scope)
        if archiver is None:
            fetcher = MediaFetcher(scope, self._media)
            archiver = Archiver(self.destination, fetcher, ArchiveSettings(media=self._media))
            self._fetchers[scope] = archiver
        return archiver
