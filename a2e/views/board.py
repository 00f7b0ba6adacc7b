"""What one viewer's page shows: the requested ids, their latest Tasks, and polling state.

Plain Python (the UI keeps one ``Board`` in its session): testable without Streamlit.

Polling stops for a rejected token only once the rejection is confirmed: the first answer
that refuses the token puts it *in doubt* (``token_doubt``) and the refused lookups are asked
again on the next refresh; a second refusal in a row (or a failed *Check token*) stops
polling (``polling_stopped``). Any answer that shows the token works (or a successful *Check
token*) clears both. While the server is failing, ``backoff`` asks less often and fewer ids.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TypeGuard

from a2e.core.model import LookupCause, Task, TaskOutcome, invalid_id, utc_now
from a2e.views.backoff import Backoff
from a2e.views.live import RefreshResult, ids_to_poll

Scope = tuple[str, str, str]
TOKEN_REJECTED = "the token was rejected"
TOKEN_DOUBT = "the server refused the token; asking once more before stopping auto-refresh"


@dataclass
class Board:
    """The ids a viewer asked for, in order, and the latest Task of each."""

    scope: Scope
    kind: str
    order: tuple[str, ...] = ()
    rejected: tuple[str, ...] = ()
    tasks: dict[str, Task] = field(default_factory=dict)
    updated_at: float | None = None
    polling_stopped: str | None = None
    token_doubt: str | None = None
    backoff: Backoff = field(default_factory=Backoff)
    # When the dashboard first saw each task become final (for tasks whose answers lack it).
    seen_final: dict[str, datetime] = field(default_factory=dict)

    def show(self, ids: tuple[str, ...], rejected: tuple[str, ...], tasks: list[Task]) -> None:
        """Replace what the board shows with a fresh lookup's results."""
        self.order, self.rejected = ids, rejected
        self.tasks = {task.id: task for task in tasks}
        self.updated_at = time.time()
        self.resume_polling()
        self._learn(tasks)

    def apply(self, result: RefreshResult) -> None:
        """Merge a refresh into the board."""
        self.take_pushed(result)
        self.updated_at = time.time()
        self._learn(result.answers)

    def take_pushed(self, result: RefreshResult) -> None:
        """Merge answers a webhook pushed (polling's schedule and token state are left alone)."""
        self.tasks = result.tasks
        for transition in result.finished:
            self.seen_final.setdefault(transition.task.id, utc_now())

    def take_finish_times(self, known: Mapping[str, Task]) -> None:
        """Final tasks whose finish time is unknown here take the one ``known`` holds (an
        answer since, such as a task list's row), so a task shows one finish time everywhere."""
        for task_id, task in list(self.tasks.items()):
            other = known.get(task_id)
            if task.is_final and task.finished_at is None and _finished(other, task.outcome):
                self.tasks[task_id] = replace(task, finished_at=other.finished_at)

    def rows(self) -> list[Task]:
        """One Task per requested id, in order, then one row per rejected piece."""
        found = [self.tasks[task_id] for task_id in self.order if task_id in self.tasks]
        return found + [invalid_id(piece, self.kind) for piece in self.rejected]

    def pollable(self) -> list[str]:
        """Ids worth asking again (refused-token ones too, until polling stops)."""
        return ids_to_poll(self.tasks, retry_token=self.polling_stopped is None)

    def to_ask(self) -> list[str]:
        """The ids the next refresh asks: all pollable ones, or a few while the server fails."""
        return self.backoff.sample(self.pollable())

    def resume_polling(self) -> None:
        """Start polling again (the viewer's *Resume* button): no stop, no doubt, no backoff."""
        self.polling_stopped = self.token_doubt = None
        self.backoff.reset()

    def token_checked(self, accepted: bool) -> None:
        """What *Check token* found: a working token resumes polling, a refused one stops it."""
        if accepted:
            self.polling_stopped = self.token_doubt = None
        else:
            self.polling_stopped, self.token_doubt = TOKEN_REJECTED, None

    def _learn(self, answers: Iterable[Task]) -> None:
        asked = list(answers)
        self.backoff.record(asked)
        if any(_token_worked(task) for task in asked):
            self.polling_stopped = self.token_doubt = None
        elif any(task.error_cause is LookupCause.TOKEN for task in asked):
            self._token_refused()

    def _token_refused(self) -> None:
        if self.token_doubt is None and self.polling_stopped is None:
            self.token_doubt = TOKEN_DOUBT
        else:
            self.polling_stopped, self.token_doubt = TOKEN_REJECTED, None


def _finished(task: Task | None, outcome: TaskOutcome) -> TypeGuard[Task]:
    """True when ``task`` is known to have finished with ``outcome``, its finish time known."""
    return task is not None and task.finished_at is not None and task.outcome is outcome


def _token_worked(task: Task) -> bool:
    """True for an answer the server could only give to a token it accepted."""
    if task.outcome is TaskOutcome.LOOKUP_ERROR:
        return task.error_cause is LookupCause.NOT_FOUND
    return task.outcome is not TaskOutcome.INVALID_ID
