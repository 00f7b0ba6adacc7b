"""A task's results as links that say what they hold: ``result-1.png`` an image, and so on.

No I/O. Each of ``Task.result_urls`` gets its media type (``a2e.core.media.media_type``: the
link's extension, else what the task's kind usually makes) and a file name to save it under
(``result-1.png``, ``result-2.png``…, numbered in the task's order). The dashboard draws images
as images, videos as players and audio as an audio player from these; the archiver names files
with them.
"""

from __future__ import annotations

from dataclasses import dataclass

from a2e.core.kinds import KINDS
from a2e.core.media import MediaKind, file_name, media_type
from a2e.core.model import Task


@dataclass(frozen=True)
class ResultLink:
    """One result of a task: where it is, what it holds, and the file name to save it as."""

    url: str
    media: MediaKind
    file_name: str


def result_links(task: Task) -> tuple[ResultLink, ...]:
    """Every result of ``task``, in its order, with its media type and file name."""
    kind = KINDS.get(task.kind)
    usual: MediaKind = kind.result_media if kind is not None else "video"
    links = []
    for position, url in enumerate(task.result_urls, start=1):
        media = media_type(url, default=usual)
        links.append(ResultLink(url, media, file_name(url, position, media)))
    return tuple(links)


def first_image(task: Task) -> str | None:
    """The first result that is an image (a thumbnail for kinds that make images), if any."""
    return next((link.url for link in result_links(task) if link.media == "image"), None)
