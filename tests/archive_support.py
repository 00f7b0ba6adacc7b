"""Shared by the archive tests: an archiver over a folder, and reading what it kept."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from a2e.api.addresses import AddressScope
from a2e.api.client import A2EClient
from a2e.archive.fetcher import MediaFetcher, MediaSettings
from a2e.archive.folder import FolderDestination
from a2e.archive.run import Archiver, ArchiveSettings, RunReport
from a2e.core.model import Task
from a2e.sandbox import Emulator
from tests.conftest import FAST_RETRIES


def archive_into(
    folder: Path,
    tasks: list[Task],
    *,
    scope: AddressScope = AddressScope.PUBLIC_AND_LOOPBACK,
    max_bytes: int | None = None,
    max_run_bytes: int | None = None,
) -> RunReport:
    """One archive run of ``tasks`` into ``folder`` (media from loopback allowed by default)."""
    media = MediaSettings(retry=FAST_RETRIES)
    if max_bytes is not None:
        media = MediaSettings(max_bytes=max_bytes, retry=FAST_RETRIES)
    settings = ArchiveSettings(max_run_bytes=max_run_bytes, media=media)
    with MediaFetcher(scope, media) as fetcher:
        return Archiver(FolderDestination(folder), fetcher, settings).run(tasks)


def looked_up(emulator: Emulator, ids: list[str], kind: str = "image2video") -> list[Task]:
    with A2EClient(emulator.base_url) as client:
        return client.lookup_many(emulator.token, ids, kind)


def manifest(folder: Path) -> list[dict[str, object]]:
    text = (folder / "manifest.jsonl").read_text() if (folder / "manifest.jsonl").exists() else ""
    return [json.loads(line) for line in text.splitlines()]


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def every_file_text(folder: Path) -> str:
    return "".join(p.read_bytes().decode("latin-1") for p in folder.rglob("*") if p.is_file())
