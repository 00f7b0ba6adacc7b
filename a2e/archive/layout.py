"""Where a task's files go in an archive, and what its ``task.json`` holds. No I/O.

    DEST/manifest.jsonl              one line per task saved (``a2e.archive.manifest``)
    DEST/<kind>/<task id>/result.mp4         the result (``result-1.png``, ``result-2.png``…
                                             when a task has several)
    DEST/<kind>/<task id>/source.png         the source image(s), the same way
    DEST/<kind>/<task id>/task.json          the record as read, sanitised

Every path is made of the kind's registry key, the 24-hex task id and a role (``result``,
``source``) with the extension of the file's media type: never a task's name, never a URL's
text, so nothing a server or a person wrote can choose where a file lands. ``task.json`` is the
task as the CLI's ``--json`` prints it plus the record the API answered, with every field whose
name says it is a secret (``webhook_token``, ``api_key``…) removed; our own token is never in it.
"""

from __future__ import annotations

import json
import re
from typing import Any

from a2e.core.ids import is_task_id
from a2e.core.kinds import get_kind
from a2e.core.model import Task
from a2e.views.export import task_record

MANIFEST = "manifest.jsonl"
TASK_JSON = "task.json"
RESULT, SOURCE = "result", "source"
REMOVED = "(removed: a secret)"
_SECRET_NAME = re.compile(
    r"token|secret|password|passwd|authori[sz]ation|api[_-]?key|credential|cookie", re.I
)


def task_folder(kind: str, task_id: str) -> str:
    """``<kind>/<task id>``: the folder of one task (the kind must be a registry key)."""
    if not is_task_id(task_id):
        raise ValueError("not a task id")
    return f"{get_kind(kind).key}/{task_id.lower()}"


def role_name(role: str, index: int, count: int) -> str:
    """``result`` for a task's only result, ``result-1``, ``result-2``… for several."""
    return role if count == 1 else f"{role}-{index + 1}"


def file_name(role: str, extension: str) -> str:
    """``result.mp4``: a role and the extension of its media type."""
    return f"{role}.{extension}"


def result_urls(task: Task) -> tuple[str, ...]:
    """Every result link of a completed task, in the order the record gives them."""
    return task.result_urls


def source_urls(task: Task) -> tuple[str, ...]:
    """The task's source image link(s)."""
    return (task.image_url,) if task.image_url else ()


def task_links(task: Task) -> list[tuple[str, str]]:
    """``(role, link)`` of each file a task has: its results, then its source image(s)."""
    results, sources = result_urls(task), source_urls(task)
    return [(role_name(RESULT, i, len(results)), url) for i, url in enumerate(results)] + [
        (role_name(SOURCE, i, len(sources)), url) for i, url in enumerate(sources)
    ]


def is_result(role: str) -> bool:
    """True for a result's role (``result``, ``result-2``…), not a source's."""
    return role == RESULT or role.startswith(f"{RESULT}-")


def task_document(task: Task) -> bytes:
    """``task.json``: the task as read, and the API's record with secret fields removed."""
    document = task_record(task) | {"record": sanitised(_record(task.raw_json))}
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode()


def _record(raw_json: str | None) -> Any:
    if raw_json is None:
        return None
    try:
        return json.loads(raw_json)
    except ValueError:  # cut short by the record's size bound: kept as text
        return raw_json


def sanitised(value: Any) -> Any:
    """``value`` with every field whose name says it holds a secret replaced by a note."""
    if isinstance(value, dict):
        return {
            key: REMOVED if _SECRET_NAME.search(str(key)) else sanitised(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [sanitised(item) for item in value]
    return value
