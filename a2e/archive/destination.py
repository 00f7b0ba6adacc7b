"""Where an archive lives: a folder, or ``s3://bucket/prefix`` on any S3-compatible store.

Both answer the same small interface (``Destination``); paths are ``/``-separated and relative
to the archive's root (``image2video/<id>/result.mp4``). A file is written through a
``PartWriter``: it appears under its final name only once it is complete (a folder writes
``<role>.part`` and renames it; S3 completes a multipart upload), so a reader never sees half
a file. A folder keeps an interrupted ``.part`` (with the validator of the answer it came from)
so the next run asks only for the rest; S3 starts such a file again.

``destination_from`` reads the ``--to`` text: ``s3://`` (or ``s3a://``) is S3, with the
endpoint, region and keys from the usual ``AWS_*`` variables (``AWS_ENDPOINT_URL``,
``AWS_REGION``, ``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``, ``AWS_SESSION_TOKEN``…) and
an ``endpoint_url`` that overrides the variable; anything else is a folder path.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Protocol

S3_SCHEMES = ("s3://", "s3a://")


class PartWriter(Protocol):
    """One file being written; nothing shows under its final name until ``commit``."""

    offset: int
    validator: str | None

    def existing_chunks(self) -> Iterator[bytes]:
        """The bytes a previous run already wrote (to hash them before going on)."""
        ...

    def begin(self, name: str, validator: str | None, *, resume: bool) -> None:
        """Start writing the file to be named ``name`` (after the part, or over it)."""
        ...

    def write(self, chunk: bytes) -> None:
        """Append bytes."""
        ...

    def commit(self) -> None:
        """Make the file appear whole under its name."""
        ...

    def abort(self, *, keep: bool) -> None:
        """Give up; ``keep`` leaves what was written for the next run to resume (if it can)."""
        ...


class Destination(Protocol):
    """An archive's storage."""

    label: str

    def open_part(self, folder: str, role: str) -> PartWriter:
        """A writer for the file of ``role`` in ``folder`` (resuming a kept part if any)."""
        ...

    def put_bytes(self, path: str, data: bytes) -> None:
        """Write a small file whole (atomically)."""
        ...

    def size_of(self, path: str) -> int | None:
        """The size of a file, or ``None`` when it is not there."""
        ...

    def sha256_of(self, path: str) -> str | None:
        """The sha256 of a file when reading it back is cheap (a folder), else ``None``."""
        ...

    def read_chunks(self, path: str, start: int = 0, end: int | None = None) -> Iterator[bytes]:
        """The bytes of a file from ``start`` to ``end`` (exclusive), chunk by chunk."""
        ...

    def manifest_lines(self) -> list[str]:
        """The manifest's lines (none when there is no manifest yet)."""
        ...

    def append_manifest(self, line: str) -> None:
        """Add one line to the manifest."""
        ...

    def close(self) -> None:
        """Write whatever is pending (the manifest, on S3)."""
        ...


class DestinationError(ValueError):
    """The ``--to`` text names no usable destination; the message says why."""


def destination_from(
    text: str, *, endpoint_url: str | None = None, env: Mapping[str, str] | None = None
) -> Destination:
    """The destination ``text`` names: ``s3://bucket/prefix``, or a folder path."""
    cleaned = text.strip()
    if not cleaned:
        raise DestinationError("give a folder or s3://bucket/prefix")
    if cleaned.lower().startswith(S3_SCHEMES):
        from a2e.archive.s3 import S3Destination

        return S3Destination.from_url(cleaned, endpoint_url=endpoint_url, env=env)
    if "://" in cleaned:
        raise DestinationError("only a folder or s3://bucket/prefix can be archived to")
    from a2e.archive.folder import FolderDestination

    return FolderDestination(Path(cleaned).expanduser())
