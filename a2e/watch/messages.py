"""What an announcement says: one task's finish, a digest of many, the watcher's own trouble.

A person reads one line: ``Failed: Portrait #12 (image to video) — face_not_detected: No face
was detected… — 67e0…c8d``, then each of a completed task's result links (``Task.result_urls``:
every image of a Nano Banana task, say; only http(s) URLs ever get there), then a link to the
task on the dashboard when ``A2E_DASHBOARD_URL`` is set (its Lookup opens ``/?ids=ID&kind=KIND``).
A digest is one line per task (its links are in the webhook body and on the dashboard). A
machine reads the JSON ``payload`` (the Standard Webhooks shape ``{"type", "timestamp",
"data"}``): the task's id, kind, name, status, failed_code, failed_message, coins, created and
finished times, every result URL and trace_id; never a token. API text stays text: it is cut
to length, never interpreted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from a2e.core.kinds import KINDS
from a2e.core.model import Task, TaskOutcome
from a2e.notify.message import Tone

NAME_CHARS = 80
MESSAGE_CHARS = 100
DIGEST_LINES = 20
DASHBOARD_URL_SETTING = "A2E_DASHBOARD_URL"


@dataclass(frozen=True)
class Draft:
    """An announcement before it is queued: what it is about, and its words and payload."""

    subject: str
    title: str
    body: str
    payload: dict[str, Any]
    tone: Tone = Tone.INFO


def task_draft(task: Task, dashboard_url: str | None = None) -> Draft:
    """The announcement of one task's finish (or of an id found as no kind)."""
    link = task_link(task, dashboard_url)
    outcome = _outcome_word(task)
    lines = [task_line(task), *task.result_urls, *([link] if link else [])]
    return Draft(
        subject=f"task:{task.id}:{outcome}",
        title=f"A2E task {outcome.replace('_', ' ')}",
        body="\n".join(lines),
        payload=_envelope(f"task.{outcome}", task_data(task, dashboard_url)),
        tone=_TONES.get(task.outcome, Tone.WARNING),
    )


def digest_draft(key: str, tasks: Sequence[Task], dashboard_url: str | None = None) -> Draft:
    """One announcement for many finishes: counts, then the failures first, one line each."""
    ordered = sorted(tasks, key=lambda t: (t.outcome is not TaskOutcome.FAILED, t.id))
    lines = [task_line(task) for task in ordered[:DIGEST_LINES]]
    if len(ordered) > DIGEST_LINES:
        lines.append(f"… and {len(ordered) - DIGEST_LINES} more")
    counts = digest_counts(tasks)
    data = {"counts": counts, "tasks": [task_data(t, dashboard_url) for t in ordered]}
    return Draft(
        subject=f"digest:{key}",
        title=f"A2E: {counts_text(counts)}",
        body=f"{counts_text(counts)}:\n" + "\n".join(lines),
        payload=_envelope("tasks.digest", data),
        tone=Tone.FAILURE if counts.get("failed") else Tone.SUCCESS,
    )


def trouble_draft(what: str, since: float) -> Draft:
    """The watcher's own trouble, said once: A2E unreachable, or the token rejected."""
    words = f"{trouble_words(what)} since {_clock(since)}"
    return Draft(
        subject=f"trouble:{what}:{since:.3f}",
        title="A2E watcher: trouble",
        body=f"{words}. The watcher keeps its state and keeps trying.",
        payload=_envelope("watcher.trouble", {"trouble": what, "since": _iso(since)}),
        tone=Tone.WARNING,
    )


def recovery_draft(what: str, since: float, now: float) -> Draft:
    """The watcher's trouble is over."""
    span = f"{_clock(since)}–{_clock(now)}"
    return Draft(
        subject=f"recovery:{what}:{since:.3f}",
        title="A2E watcher: recovered",
        body=f"A2E answers again ({_TROUBLE_SPANS.get(what, what)} {span}).",
        payload=_envelope(
            "watcher.recovered", {"trouble": what, "since": _iso(since), "until": _iso(now)}
        ),
        tone=Tone.SUCCESS,
    )


def test_draft(key: str, now: float) -> Draft:
    """A test message, asked for from the dashboard's Watch page."""
    return Draft(
        subject=f"test:{key}",
        title="A2E watcher: test message",
        body=f"Test message from the A2E watcher, sent {_clock(now)}. Announcements arrive here.",
        payload=_envelope("watcher.test", {"sent": _iso(now)}),
    )


def trouble_words(what: str) -> str:
    """What the watcher's trouble is, in words: ``A2E unreachable``, ``A2E rejects …``."""
    return _TROUBLE_WORDS.get(what, what)


def task_line(task: Task) -> str:
    """``Failed: Portrait #12 (image to video) — code: message… — 67e0…c8d``; an id no kind
    knew: ``Not found: 67e0df7f1213ef9fbf3d453b — not found as any of the 34 kinds tried``."""
    if _is_not_found(task):  # no name, and its kind would only be the first one tried
        return f"{_HEADS['not_found']}: {task.id} — {_reason(task)}"
    kind = KINDS[task.kind].label.lower() if task.kind in KINDS else task.kind
    name = _cut(task.name or "(no name)", NAME_CHARS)
    head = f"{_HEADS[_outcome_word(task)]}: {name} ({kind})"
    reason = _reason(task)
    return f"{head} — {reason} — {short_id(task.id)}" if reason else f"{head} — {short_id(task.id)}"


def task_link(task: Task, dashboard_url: str | None) -> str | None:
    """The task on the dashboard (its Lookup), when the dashboard's address is known."""
    if not dashboard_url or not dashboard_url.startswith(("https://", "http://")):
        return None
    query = urlencode({"ids": task.id, "kind": task.kind})
    return f"{dashboard_url.rstrip('/')}/?{query}"


def task_data(task: Task, dashboard_url: str | None = None) -> dict[str, Any]:
    """The task as a webhook body carries it."""
    return {
        "id": task.id,
        "kind": task.kind,
        "name": task.name,
        "status": task.status,
        "outcome": _outcome_word(task),
        "failed_code": task.failed_code,
        "failed_message": task.failed_message or (task.error if _is_not_found(task) else None),
        "coins": task.coins,
        "created_at": task.created_at.isoformat() if task.created_at else None,
        "finished_at": task.finished_at.isoformat() if task.finished_at else None,
        "result_urls": list(task.result_urls),
        "trace_id": task.trace_id,
        "dashboard_url": task_link(task, dashboard_url),
    }


def digest_counts(tasks: Sequence[Task]) -> dict[str, int]:
    """Finishes by outcome word (``completed``, ``failed``, ``not_found``)."""
    counts: dict[str, int] = {}
    for task in tasks:
        word = _outcome_word(task)
        counts[word] = counts.get(word, 0) + 1
    return counts


def counts_text(counts: dict[str, int]) -> str:
    """``12 completed, 2 failed``."""
    order = ["completed", "failed", "not_found"]
    return ", ".join(f"{counts[w]} {w.replace('_', ' ')}" for w in order if counts.get(w))


def short_id(task_id: str) -> str:
    """``67e0…c8d``: enough to recognise an id in a chat line."""
    return f"{task_id[:4]}…{task_id[-3:]}" if len(task_id) > 10 else task_id


_HEADS = {"completed": "Completed", "failed": "Failed", "not_found": "Not found"}
_TONES = {TaskOutcome.COMPLETED: Tone.SUCCESS, TaskOutcome.FAILED: Tone.FAILURE}
_TROUBLE_WORDS = {"unreachable": "A2E unreachable", "token": "A2E rejects the watcher's token"}
_TROUBLE_SPANS = {"unreachable": "unreachable", "token": "token rejected"}


def _outcome_word(task: Task) -> str:
    if task.outcome is TaskOutcome.COMPLETED:
        return "completed"
    if task.outcome is TaskOutcome.FAILED:
        return "failed"
    return "not_found"


def _is_not_found(task: Task) -> bool:
    return task.outcome is TaskOutcome.LOOKUP_ERROR


def _reason(task: Task) -> str:
    if task.outcome is TaskOutcome.LOOKUP_ERROR:
        return _cut(task.error or "not found", MESSAGE_CHARS)
    if task.outcome is not TaskOutcome.FAILED:
        return ""
    code, message = task.failed_code or "", _cut(task.failed_message or "", MESSAGE_CHARS)
    return f"{code}: {message}" if code and message else code or message or "no reason given"


def _cut(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _envelope(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    return {"type": kind, "timestamp": datetime.now(UTC).isoformat(), "data": data}


def _clock(moment: float) -> str:
    return datetime.fromtimestamp(moment, UTC).strftime("%H:%M UTC")


def _iso(moment: float) -> str:
    return datetime.fromtimestamp(moment, UTC).isoformat()
