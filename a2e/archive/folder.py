"""An archive in a folder: files written as ``<role>.part`` and renamed once whole.

Beside an unfinished part, ``<role>.part.json`` records the file's name and the validator
(``ETag`` or ``Last-Modified``) of the answer it came from, so an interrupted run's next run
asks only for the rest (``Range`` with ``If-Range``); a part without a validator starts again.
The manifest is appended one line at a time. Files are not fsynced: the next run checks each
saved file's size and sha256 against the manifest and fetches again what does not match.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from a2e.archive.destination import DestinationError
from a2e.archive.layout import MANIFEST

CHUNK_BYTES = 1024 * 1024


class FolderPart:
    """One file being written in a folder (a ``PartWriter``)."""

    def __init__(self, folder: Path, role: str) -> None:
        self._folder = folder
        self._part = folder / f"{role}.part"
        self._meta = folder / f"{role}.part.json"
        self._file: BinaryIO | None = None
        self._name: str | None = None
        self.validator = _kept_validator(self._meta)
        self.offset = self._part.stat().st_size if self.validator and self._part.is_file() else 0

    def existing_chunks(self) -> Iterator[bytes]:
        """The part's bytes, up to the offset a resumed download starts from."""
        yield from _read(self._part, 0, self.offset)

    def begin(self, name: str, validator: str | None, *, resume: bool) -> None:
        """Open the part (appending when resuming) and note what it is for."""
        self._folder.mkdir(parents=True, exist_ok=True)
        self._name = name
        self._file = self._part.open("ab" if resume else "wb")
        self._meta.write_text(json.dumps({"name": name, "validator": validator}))

    def write(self, chunk: bytes) -> None:
        """Append bytes to the part."""
        if self._file is None:
            raise RuntimeError("begin() first")
        self._file.write(chunk)

    def commit(self) -> None:
        """Rename the whole part to its name."""
        if self._file is None or self._name is None:
            raise RuntimeError("begin() first")
        self._file.close()
        os.replace(self._part, self._folder / self._name)
        self._meta.unlink(missing_ok=True)

    def abort(self, *, keep: bool) -> None:
        """Close the part; delete it unless ``keep`` (the next run resumes it)."""
        if self._file is not None:
            self._file.close()
        if not keep:
            self._part.unlink(missing_ok=True)
            self._meta.unlink(missing_ok=True)


def _kept_validator(meta: Path) -> str | None:
    try:
        validator = json.loads(meta.read_text()).get("validator")
    except (OSError, ValueError, AttributeError):
        return None
    return validator if isinstance(validator, str) and validator else None


def _read(path: Path, start: int, end: int | None) -> Iterator[bytes]:
    with path.open("rb") as source:
        source.seek(start)
        left = None if end is None else max(0, end - start)
        while left is None or left > 0:
            chunk = source.read(CHUNK_BYTES if left is None else min(CHUNK_BYTES, left))
            if not chunk:
                return
            left = None if left is None else left - len(chunk)
            yield chunk


class FolderDestination:
    """An archive in a local folder (created if needed)."""

    def __init__(self, root: Path) -> None:
        try:
            root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DestinationError(f"the folder cannot be made: {exc.strerror}") from None
        if not os.access(root, os.W_OK):
            raise DestinationError("the folder is not writable")
        self.root = root
        self.label = str(root)
        self._lock = threading.Lock()

    def open_part(self, folder: str, role: str) -> FolderPart:
        """A writer for ``folder``'s file of ``role``, resuming a kept part."""
        return FolderPart(self._path(folder), role)

    def put_bytes(self, path: str, data: bytes) -> None:
        """Write a small file through a temporary name."""
        target = self._path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(target.name + ".part")
        temporary.write_bytes(data)
        os.replace(temporary, target)

    def size_of(self, path: str) -> int | None:
        """The file's size, or ``None`` when it is not there."""
        with contextlib.suppress(OSError):
            found = self._path(path)
            if found.is_file():
                return found.stat().st_size
        return None

    def sha256_of(self, path: str) -> str | None:
        """The file's sha256, read back."""
        digest = hashlib.sha256()
        try:
            for chunk in _read(self._path(path), 0, None):
                digest.update(chunk)
        except OSError:
            return None
        return digest.hexdigest()

    def read_chunks(self, path: str, start: int = 0, end: int | None = None) -> Iterator[bytes]:
        """The file's bytes from ``start`` to ``end``."""
        return _read(self._path(path), start, end)

    def manifest_lines(self) -> list[str]:
        """The manifest's lines."""
        try:
            return self._path(MANIFEST).read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return []

    def append_manifest(self, line: str) -> None:
        """Append one line (whole: one write to a file opened for appending)."""
        with self._lock, self._path(MANIFEST).open("a", encoding="utf-8") as manifest:
            manifest.write(line + "\n")

    def close(self) -> None:
        """Nothing is pending in a folder."""

    def _path(self, relative: str) -> Path:
        if relative.startswith("/") or ".." in relative.split("/"):
            raise ValueError("an archive path stays inside the archive")
        return self.root / relative
