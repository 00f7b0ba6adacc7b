"""Archiving many tasks: which are saved already, the downloads (a few at once), the report.

A task already saved whole (``saver.is_saved``) is not fetched again: a second run over the
same tasks asks the media servers nothing. Otherwise it is saved by ``saver.save_task`` on
one of ``downloads`` workers, so at most that many downloads are open at once. One task's
problem (expired, refused, failed) is its report, never the run's end; every task gets
exactly one ``TaskReport``, handed to ``on_report`` as it is settled. ``stop()`` (Ctrl+C) makes
every download give up at its next chunk, keeping its part for the next run.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from enum import StrEnum

from a2e.archive.destination import Destination
from a2e.archive.fetcher import MediaFetcher, MediaSettings, human_bytes
from a2e.archive.manifest import ManifestEntry, latest_entries
from a2e.archive.problems import MediaFailed, MediaProblem
from a2e.archive.saver import ByteCap, is_saved, save_task
from a2e.core.model import Task

DEFAULT_DOWNLOADS = 4
NOT_FINAL = "not saved: the task is still running"


class Verdict(StrEnum):
    """What became of one task."""

    SAVED = "saved"
    ALREADY = "already saved"
    EXPIRED = "expired"
    REFUSED = "refused"
    FAILED = "failed"
    NOT_FINAL = "not final"


@dataclass(frozen=True)
class TaskReport:
    """One task's verdict, and why when it was not kept."""

    task_id: str
    kind: str
    verdict: Verdict
    reason: str | None = None
    bytes: int = 0

    @property
    def kept(self) -> bool:
        """True when the task is in the archive, saved now or before."""
        return self.verdict in (Verdict.SAVED, Verdict.ALREADY)


@dataclass
class RunReport:
    """Every task's report, in the order they were settled."""

    reports: list[TaskReport] = field(default_factory=list)

    @property
    def all_kept(self) -> bool:
        """True when every task asked is in the archive."""
        return all(report.kept for report in self.reports)

    def summary_line(self) -> str:
        """``38 saved (1.2 GB), 12 already saved, 2 expired, 1 refused``."""
        counts = Counter(report.verdict for report in self.reports)
        saved = sum(r.bytes for r in self.reports if r.verdict is Verdict.SAVED)
        parts = [f"{counts[Verdict.SAVED]} saved ({human_bytes(saved)})"]
        parts += [f"{counts[v]} {v.value}" for v in list(Verdict)[1:] if counts[v]]
        return ", ".join(parts)


@dataclass(frozen=True)
class ArchiveSettings:
    """How many downloads at once, and how much one run and one file may fetch."""

    downloads: int = DEFAULT_DOWNLOADS
    max_run_bytes: int | None = None
    media: MediaSettings = field(default_factory=MediaSettings)


AfterSave = Callable[[Task, ManifestEntry], None]


class Archiver:
    """Archives tasks into one destination with one fetcher."""

    def __init__(
        self,
        destination: Destination,
        fetcher: MediaFetcher,
        settings: ArchiveSettings | None = None,
        *,
        after_save: AfterSave | None = None,
    ) -> None:
        self.destination, self.fetcher = destination, fetcher
        self.settings = settings or ArchiveSettings()
        self._cap = ByteCap(self.settings.max_run_bytes)
        self._after_save = after_save
        self._entries = latest_entries(destination.manifest_lines())
        self._stopped = threading.Event()

    def stop(self) -> None:
        """Make every download give up at its next chunk (its part is kept)."""
        self._stopped.set()
        self._cap.stop()

    def run(
        self, tasks: Sequence[Task], on_report: Callable[[TaskReport], None] | None = None
    ) -> RunReport:
        """Archive ``tasks`` (each id once), ``downloads`` at a time."""
        report = RunReport()
        unique = list({task.id: task for task in tasks}.values())
        workers = max(1, min(self.settings.downloads, len(unique) or 1))
        with ThreadPoolExecutor(workers, thread_name_prefix="a2e-archive") as pool:
            futures = [pool.submit(self.archive_one, task) for task in unique]
            try:
                for done in as_completed(futures):
                    report.reports.append(done.result())
                    if on_report is not None:
                        on_report(report.reports[-1])
            except BaseException:  # Ctrl+C: nothing new starts, downloads stop at a chunk
                self.stop()
                pool.shutdown(wait=True, cancel_futures=True)
                raise
        return report

    def archive_one(self, task: Task) -> TaskReport:
        """Archive one task (unless it is saved whole already); never raises for its sake."""
        if not task.is_final:
            return TaskReport(task.id, task.kind, Verdict.NOT_FINAL, NOT_FINAL)
        if self._stopped.is_set():
            return TaskReport(task.id, task.kind, Verdict.FAILED, "not saved: the run stopped")
        try:
            kept = self._entries.get(task.id)
            if kept is not None and kept.kind == task.kind and is_saved(self.destination, kept):
                return TaskReport(task.id, task.kind, Verdict.ALREADY, bytes=kept.bytes)
            entry = save_task(task, self.destination, self.fetcher, self._cap)
        except MediaProblem as problem:
            return TaskReport(task.id, task.kind, Verdict(problem.label), problem.reason)
        except Exception as exc:  # one task's surprise is never the run's end
            failure = MediaFailed(f"not saved ({type(exc).__name__})")
            return TaskReport(task.id, task.kind, Verdict.FAILED, failure.reason)
        self._entries[task.id] = entry
        if self._after_save is not None:
            self._after_save(task, entry)
        return TaskReport(task.id, task.kind, Verdict.SAVED, bytes=entry.bytes)

    def entry(self, task_id: str) -> ManifestEntry | None:
        """The manifest's entry for a task (as this archiver knows it), if any."""
        return self._entries.get(task_id)
