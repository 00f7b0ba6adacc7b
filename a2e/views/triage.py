"""Failure triage: failed tasks grouped by code, failed lookups grouped by cause. No I/O."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from a2e.core.model import LookupCause, Task, TaskOutcome

NO_CODE = "(no code)"
CAUSE_LABELS = {
    LookupCause.TOKEN: "Token rejected",
    LookupCause.NOT_FOUND: "Not found",
    LookupCause.NETWORK: "Network",
    LookupCause.SERVER: "Server error",
    LookupCause.BAD_ANSWER: "Unreadable answer",
    LookupCause.REFUSED: "Not sent (server not allowed, or budget spent)",
}


@dataclass(frozen=True)
class FailureGroup:
    """Failed tasks that share a ``failed_code``."""

    code: str
    tasks: tuple[Task, ...]
    messages: tuple[tuple[str, int], ...]
    coins: float
    first_seen: datetime | None
    last_seen: datetime | None

    @property
    def count(self) -> int:
        """How many tasks failed with this code."""
        return len(self.tasks)


@dataclass(frozen=True)
class LookupErrorGroup:
    """Lookups that failed for the same kind of reason."""

    cause: LookupCause
    tasks: tuple[Task, ...]
    messages: tuple[tuple[str, int], ...]

    @property
    def label(self) -> str:
        """The cause, for people."""
        return CAUSE_LABELS[self.cause]


def failure_groups(tasks: Sequence[Task]) -> list[FailureGroup]:
    """Failed tasks grouped by code, largest group first (ties by code)."""
    by_code: dict[str, list[Task]] = {}
    for task in tasks:
        if task.outcome is TaskOutcome.FAILED:
            by_code.setdefault(task.failed_code or NO_CODE, []).append(task)
    groups = [_failure_group(code, members) for code, members in by_code.items()]
    return sorted(groups, key=lambda group: (-group.count, group.code))


def _failure_group(code: str, members: list[Task]) -> FailureGroup:
    times = [task.created_at for task in members if task.created_at]
    return FailureGroup(
        code=code,
        tasks=tuple(members),
        messages=_message_counts(task.failed_message for task in members),
        coins=sum(task.coins or 0.0 for task in members),
        first_seen=min(times, default=None),
        last_seen=max(times, default=None),
    )


def lookup_error_groups(tasks: Sequence[Task]) -> list[LookupErrorGroup]:
    """Failed lookups grouped by cause, in the order of ``LookupCause``."""
    by_cause: dict[LookupCause, list[Task]] = {}
    for task in tasks:
        if task.outcome is TaskOutcome.LOOKUP_ERROR:
            by_cause.setdefault(task.error_cause or LookupCause.BAD_ANSWER, []).append(task)
    return [
        LookupErrorGroup(cause, tuple(members), _message_counts(t.error for t in members))
        for cause in LookupCause
        if (members := by_cause.get(cause))
    ]


def _message_counts(messages: Iterable[str | None]) -> tuple[tuple[str, int], ...]:
    counted = Counter(message or "(no message)" for message in messages)
    return tuple(counted.most_common())
