"""The support bundle: what A2E support needs about one task, as text to copy. No I/O.

It never contains the token: it is built only from the Task and the server's URL.
"""

from __future__ import annotations

from datetime import datetime

from a2e.core.kinds import KINDS
from a2e.core.model import Task


def _when(moment: datetime | None) -> str | None:
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC") if moment else None


def _one_line(value: str) -> str:
    """API text on one line, so a message can't pose as another field of the bundle."""
    return " ".join(value.split())


def support_bundle(task: Task, server: str) -> str:
    """A plain-text summary of one task for a support ticket."""
    kind = KINDS.get(task.kind)
    lines = {
        "task id": task.id,
        "kind": f"{kind.label} ({task.kind})" if kind else task.kind,
        "server": server,
        "status": task.status,
        "outcome": task.outcome.value,
        "failed_code": task.failed_code,
        "failed_message": task.failed_message,
        "trace_id": task.trace_id,
        "created at": _when(task.created_at),
        "looked up at": _when(task.fetched_at),
        "lookup error": task.error,
        "HTTP status": str(task.http_status) if task.http_status else None,
        "result_url": task.result_url,
    }
    width = max(len(label) for label in lines) + 1
    body = "\n".join(
        f"{label + ':':<{width}} {_one_line(value)}" for label, value in lines.items() if value
    )
    return "A2E task support bundle\n" + body + "\n"
