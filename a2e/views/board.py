"""What one viewer's page shows: the requested ids, their latest Tasks, and polling state.

Plain Python (the UI keeps one ``Board`` in its session): testable without Streamlit.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from a2e.core.model import LookupCause, Task, invalid_id
from a2e.views.live import RefreshResult, ids_to_poll

Scope = tuple[str, str, str]
TOKEN_REJECTED = "the token was rejected"


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

    def show(self, ids: tuple[str, ...], rejected: tuple[str, ...], tasks: list[Task]) -> None:
        """Replace what the board shows with a fresh lookup's results."""
        self.order, self.rejected = ids, rejected
        self.tasks = {task.id: task for task in tasks}
        self.updated_at = time.time()
        rejected_token = any(task.error_cause is LookupCause.TOKEN for task in tasks)
        self.polling_stopped = TOKEN_REJECTED if rejected_token else None

    def apply(self, result: RefreshResult) -> None:
        """Merge a refresh into the board."""
        self.tasks = result.tasks
        self.updated_at = time.time()
        if result.token_rejected:
            self.polling_stopped = TOKEN_REJECTED

    def rows(self) -> list[Task]:
        """One Task per requested id, in order, then one row per rejected piece."""
        found = [self.tasks[task_id] for task_id in self.order if task_id in self.tasks]
        return found + [invalid_id(piece, self.kind) for piece in self.rejected]

    def pollable(self) -> list[str]:
        """Ids worth asking again."""
        return ids_to_poll(self.tasks)
