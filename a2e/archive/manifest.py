"""The archive's manifest: one JSON line per task saved, the proof that it was saved whole.

    {"id": "67d2…", "kind": "image2video", "outcome": "completed",
     "files": [{"name": "result.mp4", "bytes": 92263, "sha256": "…", "type": "video/mp4"}, …],
     "bytes": 151998, "saved_at": "2026-12-05T10:04:05.123Z", "notes": []}

``bytes`` is the total of the files; ``notes`` say what was not kept and why (a source image
that expired, say) without failing the task. A task is *already saved* when its latest line's
files are all there with the sizes (and, in a folder, the sha256) it records; a later line for
the same id replaces an earlier one. A line that cannot be read is skipped, never a crash.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from a2e.api.records import timestamp
from a2e.core.ids import is_task_id


@dataclass(frozen=True)
class SavedFile:
    """One file of a saved task."""

    name: str
    bytes: int
    sha256: str
    type: str


@dataclass(frozen=True)
class ManifestEntry:
    """One task saved: its files and when."""

    id: str
    kind: str
    outcome: str
    files: tuple[SavedFile, ...]
    saved_at: datetime
    notes: tuple[str, ...] = ()

    @property
    def bytes(self) -> int:
        """The size of every file together."""
        return sum(saved.bytes for saved in self.files)

    def line(self) -> str:
        """The entry as one manifest line (no newline)."""
        stamp = self.saved_at.astimezone(UTC).isoformat(timespec="milliseconds")
        return json.dumps(
            {
                "id": self.id,
                "kind": self.kind,
                "outcome": self.outcome,
                "files": [saved.__dict__ for saved in self.files],
                "bytes": self.bytes,
                "saved_at": stamp.replace("+00:00", "Z"),
                "notes": list(self.notes),
            },
            ensure_ascii=False,
        )


def entry_from_line(line: str) -> ManifestEntry | None:
    """The entry a manifest line records, or ``None`` when the line cannot be read."""
    try:
        data = json.loads(line)
        files = tuple(_saved_file(item) for item in data["files"])
        saved_at = timestamp(data["saved_at"])
        if not is_task_id(data["id"]) or saved_at is None:
            return None
        notes = tuple(str(note) for note in data.get("notes") or ())
        return ManifestEntry(
            data["id"], str(data["kind"]), str(data["outcome"]), files, saved_at, notes
        )
    except (ValueError, KeyError, TypeError):
        return None


def _saved_file(item: Any) -> SavedFile:
    name, size, digest = item["name"], item["bytes"], item["sha256"]
    if not isinstance(name, str) or "/" in name or not isinstance(size, int) or size < 0:
        raise ValueError("not a saved file")
    return SavedFile(name, size, str(digest), str(item.get("type") or ""))


def latest_entries(lines: Iterable[str]) -> dict[str, ManifestEntry]:
    """Each task's latest entry, by id."""
    found: dict[str, ManifestEntry] = {}
    for line in lines:
        entry = entry_from_line(line) if line.strip() else None
        if entry is not None:
            found[entry.id.lower()] = entry
    return found
