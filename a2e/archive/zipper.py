"""A ZIP of tasks' results, streamed: each file read, from the archive or from A2E, as it is sent.

Inside, the archive's layout: ``<kind>/<task id>/result.mp4``, ``source.png``, ``task.json``.
Files are stored, not compressed (media is compressed already), each with a data descriptor
(zipstream-ng), so nothing is read before it is sent and memory holds a chunk or two whatever
the ZIP's size. A task the archive keeps (``ZipItem.kept``, access already checked by the
caller) is read from the archive; any other from A2E's links through the media fetcher
(guarded, capped). A file that cannot be had (an expired link, a refusal) or that breaks off
midway is named in ``<kind>/<task id>/NOT-INCLUDED.txt`` with the reason, and the ZIP goes on:
one task never spoils the download.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from zipstream import ZIP_STORED, ZipStream

from a2e.archive.destination import Destination
from a2e.archive.fetcher import MediaFetcher
from a2e.archive.layout import TASK_JSON, file_name, task_document, task_folder, task_links
from a2e.archive.manifest import ManifestEntry
from a2e.archive.media_types import extension
from a2e.archive.problems import MediaProblem
from a2e.core.model import Task

NOT_INCLUDED = "NOT-INCLUDED.txt"


@dataclass(frozen=True)
class ZipItem:
    """One task in a ZIP, and its archive entry when the archive keeps it."""

    task: Task
    kept: ManifestEntry | None = None


class _Guarded:
    """A file's chunks; a failure midway ends the file there and is noted, never raised."""

    def __init__(self, chunks: Iterable[bytes], name: str, problems: list[str]) -> None:
        self._chunks, self._name, self._problems = chunks, name, problems

    def __iter__(self) -> Iterator[bytes]:
        try:
            yield from self._chunks
        except MediaProblem as problem:
            self._problems.append(f"{self._name} is cut short: {problem.reason}")


def zip_chunks(
    items: Iterable[ZipItem], fetcher: MediaFetcher, archive: Destination | None = None
) -> Iterator[bytes]:
    """The bytes of a ZIP holding every item's files, produced as they are read."""
    stream = ZipStream(compress_type=ZIP_STORED)
    for item in items:
        yield from _task_files(stream, item, fetcher, archive)
    yield from stream.footer()


def _task_files(
    stream: ZipStream, item: ZipItem, fetcher: MediaFetcher, archive: Destination | None
) -> Iterator[bytes]:
    folder = task_folder(item.task.kind, item.task.id)
    problems: list[str] = []
    if item.kept is not None and archive is not None:
        for saved in item.kept.files:
            chunks = archive.read_chunks(f"{folder}/{saved.name}")
            stream.add(_Guarded(chunks, saved.name, problems), f"{folder}/{saved.name}")
            yield from stream.file()
    else:
        for role, url in task_links(item.task):
            yield from _linked_file(stream, fetcher, folder, role, url, problems)
        stream.add(task_document(item.task), f"{folder}/{TASK_JSON}")
        yield from stream.file()
    if problems:
        stream.add("\n".join(problems).encode() + b"\n", f"{folder}/{NOT_INCLUDED}")
        yield from stream.file()


def _linked_file(
    stream: ZipStream,
    fetcher: MediaFetcher,
    folder: str,
    role: str,
    url: str,
    problems: list[str],
) -> Iterator[bytes]:
    try:
        with fetcher.open(url) as body:
            name = file_name(role, extension(body.media_type))
            stream.add(_Guarded(body.chunks(), name, problems), f"{folder}/{name}")
            yield from stream.file()
    except MediaProblem as problem:
        problems.append(f"{role}: {problem.reason}")
