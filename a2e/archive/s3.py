"""An archive on S3 or any S3-compatible store (MinIO, R2, Ceph…), through obstore.

A file is streamed as a multipart upload in parts of ``PART_BYTES`` (at most ``PARTS_IN_FLIGHT``
uploading at once, so memory stays near ``PART_BYTES × (PARTS_IN_FLIGHT + 1)`` per file), and
appears only when the upload completes; a failed one is aborted. An interrupted file starts
again on the next run (S3 has no partial object to resume). S3 cannot append: the manifest is
read once, kept in memory, and written whole at most every ``MANIFEST_EVERY_SECONDS`` and when
the run closes, so an interrupted run may fetch its last few tasks again. Error messages name
the kind of failure only: never a key, a secret or the store's own text.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

import obstore
from obstore.store import S3Store

from a2e.archive.destination import DestinationError
from a2e.archive.layout import MANIFEST
from a2e.archive.problems import MediaFailed, StoreFailed

if TYPE_CHECKING:
    from obstore import WritableFile

PART_BYTES = 5 * 1024 * 1024  # S3's smallest part
PARTS_IN_FLIGHT = 2
READ_CHUNK_BYTES = 1024 * 1024
MANIFEST_EVERY_SECONDS = 2.0
# The usual AWS variables, and the obstore setting each one gives.
AWS_VARIABLES = {
    "AWS_ACCESS_KEY_ID": "access_key_id",
    "AWS_SECRET_ACCESS_KEY": "secret_access_key",
    "AWS_SESSION_TOKEN": "session_token",
    "AWS_DEFAULT_REGION": "region",
    "AWS_REGION": "region",
    "AWS_ENDPOINT_URL": "endpoint",
    "AWS_ENDPOINT_URL_S3": "endpoint",
}


def store_failed(action: str, exc: BaseException) -> StoreFailed:
    """The failure of one store call, named by what it was and the kind of error only."""
    return StoreFailed(f"the S3 store could not {action} ({type(exc).__name__})")


class S3Part:
    """One file being uploaded (a ``PartWriter``); S3 keeps no part to resume."""

    offset = 0
    validator: str | None = None

    def __init__(self, store: S3Store, folder: str) -> None:
        self._store, self._folder = store, folder
        self._writer: WritableFile | None = None

    def existing_chunks(self) -> Iterator[bytes]:
        """Nothing: an S3 file is never resumed."""
        return iter(())

    def begin(self, name: str, validator: str | None, *, resume: bool) -> None:
        """Start the upload of ``folder/name``."""
        self._writer = obstore.open_writer(
            self._store,
            f"{self._folder}/{name}",
            buffer_size=PART_BYTES,
            max_concurrency=PARTS_IN_FLIGHT,
        )

    def write(self, chunk: bytes) -> None:
        """Add bytes to the upload."""
        if self._writer is None:
            raise RuntimeError("begin() first")
        try:
            self._writer.write(chunk)
        except Exception as exc:
            raise store_failed("take the upload", exc) from exc

    def commit(self) -> None:
        """Complete the upload: the file appears whole."""
        if self._writer is None:
            raise RuntimeError("begin() first")
        try:
            self._writer.close()
        except Exception as exc:
            raise store_failed("complete the upload", exc) from exc

    def abort(self, *, keep: bool) -> None:
        """Abort the upload (nothing appears)."""
        if self._writer is not None and not self._writer.closed():
            reason = MediaFailed("aborted")
            # The writer aborts its multipart upload when its block exits with an error.
            self._writer.__exit__(type(reason), reason, None)


class S3Destination:
    """An archive under ``s3://bucket/prefix``."""

    def __init__(self, store: S3Store, label: str) -> None:
        self._store = store
        self.label = label
        self._lines = self._read_manifest()
        self._dirty = False
        self._written_at = time.monotonic()
        self._lock = threading.Lock()

    @classmethod
    def from_url(
        cls, url: str, *, endpoint_url: str | None = None, env: Mapping[str, str] | None = None
    ) -> S3Destination:
        """The store ``url`` names, configured from ``AWS_*`` and ``endpoint_url``."""
        config = aws_config(os.environ if env is None else env, endpoint_url)
        normal = "s3://" + url.split("://", 1)[1].strip("/")
        bucket = normal.removeprefix("s3://").split("/", 1)[0]
        if not bucket:
            raise DestinationError("an S3 destination names a bucket: s3://bucket/prefix")
        endpoint = str(config.get("endpoint", ""))
        options: dict[str, Any] = {"allow_http": endpoint.lower().startswith("http://")}
        try:
            store = S3Store.from_url(normal, config=config, client_options=options)  # type: ignore[arg-type]
        except Exception as exc:
            raise DestinationError(
                f"the S3 destination is not usable ({type(exc).__name__})"
            ) from None
        return cls(store, normal)

    def open_part(self, folder: str, role: str) -> S3Part:
        """A writer for one file of ``folder``."""
        return S3Part(self._store, folder)

    def put_bytes(self, path: str, data: bytes) -> None:
        """Write a small object whole."""
        try:
            obstore.put(self._store, path, data)
        except Exception as exc:
            raise store_failed(f"write {path.rsplit('/', 1)[-1]}", exc) from exc

    def size_of(self, path: str) -> int | None:
        """The object's size, or ``None`` when it is not there."""
        try:
            return int(obstore.head(self._store, path)["size"])
        except FileNotFoundError:
            return None
        except Exception as exc:
            raise store_failed("look a file up", exc) from exc

    def sha256_of(self, path: str) -> str | None:
        """Not read back from S3 (it would cost a download): sizes are checked instead."""
        return None

    def read_chunks(self, path: str, start: int = 0, end: int | None = None) -> Iterator[bytes]:
        """The object's bytes from ``start`` to ``end``."""
        options: dict[str, Any] = {}
        if start or end is not None:
            options["range"] = {"offset": start} if end is None else {"start": start, "end": end}
        try:
            answer = obstore.get(self._store, path, options=options)  # type: ignore[arg-type]
            for chunk in answer.stream(min_chunk_size=READ_CHUNK_BYTES):
                yield bytes(chunk)
        except Exception as exc:
            raise store_failed("read a file", exc) from exc

    def manifest_lines(self) -> list[str]:
        """The manifest's lines, as read at start plus those added since."""
        with self._lock:
            return list(self._lines)

    def append_manifest(self, line: str) -> None:
        """Add a line; the manifest is written whole every few seconds and on ``close``."""
        with self._lock:
            self._lines.append(line)
            self._dirty = True
            if time.monotonic() - self._written_at >= MANIFEST_EVERY_SECONDS:
                self._write_manifest()

    def close(self) -> None:
        """Write the manifest if lines were added."""
        with self._lock:
            if self._dirty:
                self._write_manifest()

    def _read_manifest(self) -> list[str]:
        try:
            obstore.list_with_delimiter(self._store)  # a missing bucket or refused keys say so here
            data = bytes(obstore.get(self._store, MANIFEST).bytes())
        except FileNotFoundError:
            return []
        except Exception as exc:
            raise DestinationError(
                f"the S3 destination could not be read ({type(exc).__name__})"
            ) from None
        return data.decode("utf-8", errors="replace").splitlines()

    def _write_manifest(self) -> None:
        body = "".join(line + "\n" for line in self._lines).encode()
        self.put_bytes(MANIFEST, body)
        self._dirty, self._written_at = False, time.monotonic()


def aws_config(env: Mapping[str, str], endpoint_url: str | None) -> dict[str, str]:
    """obstore's S3 settings from the ``AWS_*`` variables, ``endpoint_url`` winning."""
    config: dict[str, str] = {}
    for variable, setting in AWS_VARIABLES.items():
        value = (env.get(variable) or "").strip()
        if value:
            config[setting] = value
    if endpoint_url:
        config["endpoint"] = endpoint_url.strip()
    return config
