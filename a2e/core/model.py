"""The task model: one immutable ``Task`` per looked-up id, whatever the lookup met.

A *task that failed upstream* (``TaskOutcome.FAILED``) and a *lookup that failed*
(``TaskOutcome.LOOKUP_ERROR``: we could not learn the state) are different outcomes and are
never shown as one another.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import StrEnum

from a2e.core.ids import why_not_an_id


class TaskOutcome(StrEnum):
    """What we know about a task after one lookup."""

    COMPLETED = "completed"
    FAILED = "failed"
    IN_PROGRESS = "in_progress"
    LOOKUP_ERROR = "lookup_error"
    INVALID_ID = "invalid_id"

    @property
    def is_final(self) -> bool:
        """True when the task can no longer change upstream (so it need not be asked again)."""
        return self in (TaskOutcome.COMPLETED, TaskOutcome.FAILED)


class LookupCause(StrEnum):
    """Why a lookup failed, grouped the way a person triages it."""

    TOKEN = "token"
    NOT_FOUND = "not_found"
    NETWORK = "network"
    SERVER = "server"
    BAD_ANSWER = "bad_answer"
    REFUSED = "refused"


def utc_now() -> datetime:
    """The current time as an aware UTC datetime."""
    return datetime.now(UTC)


MAX_RESULT_URLS = 20


@dataclass(frozen=True)
class Task:
    """What one lookup of one task id taught us.

    ``result_urls`` holds every result link of the task (an image kind may give several), the
    likeliest first; ``result_url`` is the first of them, kept for what shows one result. The
    two agree: given only ``result_url``, ``result_urls`` is that one link; given
    ``result_urls``, ``result_url`` is its first (``a2e.core.media`` tells each link's type).
    """

    id: str
    kind: str
    outcome: TaskOutcome
    status: str | None = None
    name: str | None = None
    image_url: str | None = None
    result_url: str | None = None
    result_urls: tuple[str, ...] = ()
    prompt: str | None = None
    negative_prompt: str | None = None
    coins: float | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    finished_at: datetime | None = None
    failed_code: str | None = None
    failed_message: str | None = None
    progress: float | None = None
    trace_id: str | None = None
    error: str | None = None
    error_cause: LookupCause | None = None
    http_status: int | None = None
    notes: tuple[str, ...] = ()
    raw_json: str | None = field(default=None, repr=False)
    fetched_at: datetime = field(default_factory=utc_now, compare=False)

    def __post_init__(self) -> None:
        # Frozen: the two result fields are brought into agreement once, here.
        urls = tuple(dict.fromkeys(self.result_urls))[:MAX_RESULT_URLS]
        if not urls and self.result_url:
            urls = (self.result_url,)
        object.__setattr__(self, "result_urls", urls)
        object.__setattr__(self, "result_url", urls[0] if urls else None)

    @property
    def is_final(self) -> bool:
        """True when the task is completed or failed upstream."""
        return self.outcome.is_final

    @property
    def run_seconds(self) -> float | None:
        """Seconds from creation to finish, when both are known and in order."""
        if self.created_at is None or self.finished_at is None:
            return None
        seconds = (self.finished_at - self.created_at).total_seconds()
        return seconds if seconds >= 0 else None

    def with_fetched_at(self, when: datetime) -> Task:
        """A copy stamped with another fetch time."""
        return replace(self, fetched_at=when)


def lookup_error(
    task_id: str,
    kind: str,
    message: str,
    cause: LookupCause,
    *,
    http_status: int | None = None,
    trace_id: str | None = None,
) -> Task:
    """A ``Task`` for an id whose state we could not learn."""
    return Task(
        id=task_id,
        kind=kind,
        outcome=TaskOutcome.LOOKUP_ERROR,
        error=message,
        error_cause=cause,
        http_status=http_status,
        trace_id=trace_id,
    )


def invalid_id(piece: str, kind: str) -> Task:
    """A ``Task`` row for a piece of input that is not a task id (never sent to a server)."""
    return Task(
        id=piece,
        kind=kind,
        outcome=TaskOutcome.INVALID_ID,
        error=why_not_an_id(piece),
    )
