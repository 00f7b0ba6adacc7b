"""Saving one task into an archive: its results, its source image(s), ``task.json``, a line.

- A completed task keeps every result link as a file (``result.<ext>``, or ``result-1.<ext>``…
  for several), its source image(s) (``source.<ext>``) and ``task.json``; then its manifest
  line is added. The results decide: when one cannot be kept (expired, refused, failed), the
  task gets no manifest line and the problem is raised; files kept so far stay for the next
  run. A source image that cannot be kept is a note in the line, never a failure.
- A failed task keeps ``task.json`` only: its reason is what matters.
- Each file streams from the link to the destination chunk by chunk through a sha256, so
  memory stays flat however large it is, and counts against the run's ``ByteCap``.
- ``is_saved``: every file of a task's manifest line is there with its size (and, in a
  folder, its sha256): such a task is not fetched again.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from typing import TypeVar

from a2e.archive.destination import Destination, PartWriter
from a2e.archive.fetcher import MediaBody, MediaFetcher, human_bytes
from a2e.archive.layout import (
    TASK_JSON,
    file_name,
    is_result,
    result_urls,
    task_document,
    task_folder,
    task_links,
)
from a2e.archive.manifest import ManifestEntry, SavedFile
from a2e.archive.media_types import extension
from a2e.archive.problems import MediaFailed, MediaProblem, MediaRefused, StoreFailed
from a2e.core.model import Task, TaskOutcome, utc_now

T = TypeVar("T")
NO_RESULT = "refused: the completed task has no result link"


class ByteCap:
    """The bytes one run may fetch, shared by its downloads."""

    def __init__(self, limit: int | None) -> None:
        self.limit = limit
        self.taken = 0
        self._lock = threading.Lock()
        self._stopped = False

    def stop(self) -> None:
        """Make every download that counts here give up at its next chunk."""
        self._stopped = True

    def take(self, count: int) -> None:
        """Count ``count`` more bytes; raises ``MediaRefused`` past the limit, ``MediaFailed``
        once stopped."""
        if self._stopped:
            raise MediaFailed("not saved: the run stopped")
        with self._lock:
            if self.limit is None or self.taken + count <= self.limit:
                self.taken += count
                return
        raise MediaRefused(f"refused: the run reached its cap of {human_bytes(self.limit)}")


def is_saved(destination: Destination, entry: ManifestEntry) -> bool:
    """True when every file the entry records is there, whole."""
    folder = task_folder(entry.kind, entry.id)
    for saved in entry.files:
        path = f"{folder}/{saved.name}"
        if destination.size_of(path) != saved.bytes:
            return False
        digest = destination.sha256_of(path)
        if digest is not None and digest != saved.sha256:
            return False
    return True


def save_task(
    task: Task, destination: Destination, fetcher: MediaFetcher, cap: ByteCap
) -> ManifestEntry:
    """Keep the task's files and add its manifest line; raises ``MediaProblem``."""
    folder = task_folder(task.kind, task.id)
    files: list[SavedFile] = []
    notes: list[str] = []
    if task.outcome is TaskOutcome.COMPLETED:
        if not result_urls(task):
            raise MediaRefused(NO_RESULT)
        files += _save_links(destination, fetcher, cap, task, notes)
    files.append(_save_document(destination, folder, task))
    entry = ManifestEntry(
        task.id, task.kind, task.outcome.value, tuple(files), utc_now(), tuple(notes)
    )
    _stored(lambda: destination.append_manifest(entry.line()), "add to the manifest")
    return entry


def _save_links(
    destination: Destination, fetcher: MediaFetcher, cap: ByteCap, task: Task, notes: list[str]
) -> list[SavedFile]:
    """Every result (each must be kept), then the source image(s) (a note when not kept)."""
    folder, saved = task_folder(task.kind, task.id), []
    for role, url in task_links(task):
        try:
            saved.append(save_file(destination, fetcher, cap, folder, role, url))
        except MediaFailed:
            raise  # the network or the store failed: another run does better
        except MediaProblem as problem:
            if is_result(role):
                raise
            notes.append(f"{role} not kept: {problem.reason}")
    return saved


def _save_document(destination: Destination, folder: str, task: Task) -> SavedFile:
    document = task_document(task)
    _stored(lambda: destination.put_bytes(f"{folder}/{TASK_JSON}", document), "write task.json")
    digest = hashlib.sha256(document).hexdigest()
    return SavedFile(TASK_JSON, len(document), digest, "application/json")


def save_file(
    destination: Destination,
    fetcher: MediaFetcher,
    cap: ByteCap,
    folder: str,
    role: str,
    url: str,
) -> SavedFile:
    """Stream one link into ``folder`` as ``<role>.<ext>``, resuming a kept part if it can."""
    part = _stored(lambda: destination.open_part(folder, role), "open a file")
    try:
        with fetcher.open(url, offset=part.offset, validator=part.validator) as body:
            saved = _stream(part, body, cap, role)
        _stored(part.commit, "finish a file")
    except (MediaRefused, StoreFailed) as problem:
        part.abort(keep=isinstance(problem, StoreFailed))
        raise
    except BaseException:  # expired, failed, interrupted: a kept part may be resumed
        part.abort(keep=True)
        raise
    return saved


def _stream(part: PartWriter, body: MediaBody, cap: ByteCap, role: str) -> SavedFile:
    # A declared size is counted whole before reading: a file the run cannot afford is not begun.
    declared = body.length is not None
    cap.take(body.length - body.offset if body.length is not None else 0)
    digest = hashlib.sha256()
    resume = body.offset > 0
    for chunk in part.existing_chunks() if resume else ():
        digest.update(chunk)
    name = file_name(role, extension(body.media_type))
    _stored(lambda: part.begin(name, body.validator, resume=resume), "start a file")
    size = body.offset
    try:
        for chunk in body.chunks():
            cap.take(0 if declared else len(chunk))
            part.write(chunk)
            digest.update(chunk)
            size += len(chunk)
    except OSError as exc:
        raise _store_failed("write a file", exc) from exc
    if body.length is not None and size != body.length:
        raise MediaFailed("the download ended before the whole file came")
    return SavedFile(name, size, digest.hexdigest(), body.media_type)


def _stored(action: Callable[[], T], what: str) -> T:
    """Run a destination call; its ``OSError`` becomes a ``StoreFailed`` naming ``what``."""
    try:
        return action()
    except OSError as exc:
        raise _store_failed(what, exc) from exc


def _store_failed(what: str, exc: OSError) -> StoreFailed:
    return StoreFailed(f"the archive could not {what} ({exc.strerror or type(exc).__name__})")
