"""Which kind of media a file is, and the file name extension that says so. No I/O.

A file is kept only when its ``Content-Type`` is ``image/*``, ``video/*`` or ``audio/*``. Object
stores often send a generic type (none, ``application/octet-stream``, ``binary/octet-stream``):
then the type is guessed from the URL path's extension (``.mp4`` is ``video/mp4``), and kept
only if that guess is a media type. The extension comes from the media type alone (a table of
the common ones, else the subtype's letters and digits), never from a name or the URL's text,
so a file name can never be chosen by whoever wrote the task or the link.
"""

from __future__ import annotations

import mimetypes
import re
from urllib.parse import urlsplit

from a2e.archive.problems import MediaRefused

MEDIA_FAMILIES = ("image", "video", "audio")
GENERIC_TYPES = frozenset({"", "application/octet-stream", "binary/octet-stream"})
EXTENSIONS = {
    "video/mp4": "mp4",
    "video/quicktime": "mov",
    "video/webm": "webm",
    "video/x-matroska": "mkv",
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/webp": "webp",
    "image/gif": "gif",
    "image/avif": "avif",
    "image/heic": "heic",
    "audio/mpeg": "mp3",
    "audio/mp4": "m4a",
    "audio/aac": "aac",
    "audio/wav": "wav",
    "audio/x-wav": "wav",
    "audio/ogg": "ogg",
    "audio/flac": "flac",
}
_SUBTYPE_LETTERS = re.compile(r"[^a-z0-9]")
_LONGEST_EXTENSION = 8


def media_type(content_type: str | None, url: str) -> str:
    """The file's media type (``video/mp4``); raises ``MediaRefused`` when it is not media."""
    declared = (content_type or "").split(";", 1)[0].strip().lower()
    found = declared
    if declared in GENERIC_TYPES:
        found = (mimetypes.guess_type(urlsplit(url).path)[0] or "").lower()
    if found.partition("/")[0] not in MEDIA_FAMILIES or not found.partition("/")[2]:
        shown = declared or "no media type"
        raise MediaRefused(f"refused: the server sent {shown[:60]}, not an image, video or audio")
    return found


def extension(kind_of_media: str) -> str:
    """The file name extension for a media type: ``mp4``, ``png``, ``mp3``…"""
    known = EXTENSIONS.get(kind_of_media)
    if known is not None:
        return known
    subtype = kind_of_media.partition("/")[2].removeprefix("x-")
    letters = _SUBTYPE_LETTERS.sub("", subtype)[:_LONGEST_EXTENSION]
    return letters or "bin"
