"""Auto-refresh logic without Streamlit: what to poll, how to merge, what to announce."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from a2e.core.model import LookupCause, Task, TaskOutcome


@dataclass(frozen=True)
class Transition:
    """A task that became final during a refresh."""

    task: Task
    previous_status: str | None


@dataclass(frozen=True)
class RefreshResult:
    """The merged tasks, the tasks that finished, whether the token was refused, the answers."""

    tasks: dict[str, Task]
    finished: tuple[Transition, ...]
    token_rejected: bool
    answers: tuple[Task, ...] = ()


# Lookups that failed for a passing reason are asked again; a rejected token or an unknown id
# would fail the same way on every tick.
RETRIED_CAUSES = frozenset({LookupCause.NETWORK, LookupCause.SERVER, LookupCause.BAD_ANSWER})


def ids_to_poll(tasks: Mapping[str, Task], *, retry_token: bool = False) -> list[str]:
    """Ids whose tasks may still change: running ones and lookups that failed for now.

    With ``retry_token``, lookups whose token was refused are asked again too (to confirm
    a rejection before polling stops, or to see it cleared).
    """
    causes = RETRIED_CAUSES | {LookupCause.TOKEN} if retry_token else RETRIED_CAUSES
    return [task_id for task_id, task in tasks.items() if _may_change(task, causes)]


def _may_change(task: Task, causes: frozenset[LookupCause]) -> bool:
    if task.outcome is TaskOutcome.IN_PROGRESS:
        return True
    return task.outcome is TaskOutcome.LOOKUP_ERROR and task.error_cause in causes


def merge_refresh(current: Mapping[str, Task], fresh: Iterable[Task]) -> RefreshResult:
    """``current`` updated with ``fresh`` answers; a failed lookup keeps what was known."""
    merged = dict(current)
    finished: list[Transition] = []
    token_rejected = False
    answers = tuple(fresh)
    for task in answers:
        before = merged.get(task.id)
        merged[task.id] = _merge_one(before, task)
        token_rejected |= task.error_cause is LookupCause.TOKEN
        if task.is_final and before is not None and not before.is_final:
            finished.append(Transition(task=task, previous_status=before.status))
    return RefreshResult(merged, tuple(finished), token_rejected, answers)


def _merge_one(before: Task | None, fresh: Task) -> Task:
    if before is None or fresh.outcome is not TaskOutcome.LOOKUP_ERROR:
        return fresh
    if before.outcome is TaskOutcome.INVALID_ID:
        return fresh
    return replace(
        before,
        outcome=TaskOutcome.LOOKUP_ERROR,
        error=fresh.error,
        error_cause=fresh.error_cause,
        http_status=fresh.http_status,
        trace_id=fresh.trace_id or before.trace_id,
        fetched_at=fresh.fetched_at,
    )


def announcement(transition: Transition) -> str:
    """A one-line plain-text note for a task that finished."""
    task = transition.task
    label = task.name or task.id
    if task.outcome is TaskOutcome.COMPLETED:
        return f"Completed: {label}"
    reason = task.failed_message or task.failed_code or task.status or "failed"
    return f"Failed: {label} ({reason})"
