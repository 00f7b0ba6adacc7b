"""What a result link holds (an image, a video or audio), told from the link alone. No I/O.

A2E's answers do not say what a result is: most kinds give one video, image kinds one image or
several, voice kinds audio. ``media_type`` reads the file extension of the URL's path (the query
of a signed link is ignored), then a hint (the field the URL came from, ``result_image_url``),
then the kind's usual result (``TaskKind.result_media``). ``result_media`` pairs every result of
a task with its type, and ``file_name`` names the n-th result for saving (``result-1.png``), so
the dashboard, the exports and the archiver agree on what a link is.
"""

from __future__ import annotations

import posixpath
import re
from typing import Literal
from urllib.parse import unquote, urlsplit

MediaKind = Literal["image", "video", "audio"]

EXTENSIONS: dict[str, MediaKind] = {
    **dict.fromkeys((".png", ".jpg", ".jpeg", ".webp", ".gif", ".bmp", ".avif", ".heic"), "image"),
    **dict.fromkeys((".mp4", ".mov", ".webm", ".m4v", ".mkv", ".avi", ".m3u8"), "video"),
    **dict.fromkeys((".mp3", ".wav", ".m4a", ".aac", ".ogg", ".oga", ".flac", ".opus"), "audio"),
}
# What a file of each type is saved as when its link has no usable extension.
DEFAULT_EXTENSIONS: dict[MediaKind, str] = {"image": ".png", "video": ".mp4", "audio": ".mp3"}
_HINTS: tuple[tuple[re.Pattern[str], MediaKind], ...] = (
    (re.compile(r"audio|voice|sound|speech|music|mp3|wav", re.IGNORECASE), "audio"),
    (re.compile(r"video|movie|clip|mp4", re.IGNORECASE), "video"),
    (re.compile(r"image|img|photo|picture|png|jpe?g", re.IGNORECASE), "image"),
)


def url_extension(url: str) -> str | None:
    """The lower-case extension of the URL's path (``.png``), when it is a known media one."""
    try:
        path = unquote(urlsplit(url).path)
    except ValueError:
        return None
    extension = posixpath.splitext(path)[1].lower()
    return extension if extension in EXTENSIONS else None


def media_type(url: str, hint: str | None = None, default: MediaKind = "video") -> MediaKind:
    """What ``url`` holds: by its extension, else by ``hint`` (a field name), else ``default``."""
    extension = url_extension(url)
    if extension is not None:
        return EXTENSIONS[extension]
    for pattern, kind in _HINTS:
        if hint and pattern.search(hint):
            return kind
    return default


def file_name(url: str, position: int, media: MediaKind, stem: str = "result") -> str:
    """A safe file name for the ``position``-th (1-based) result: ``result-1.png``."""
    extension = url_extension(url)
    if extension is None or EXTENSIONS[extension] != media:
        extension = DEFAULT_EXTENSIONS[media]
    return f"{stem}-{position}{extension}"
