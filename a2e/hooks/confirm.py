"""Confirming webhook ids off the request: one worker thread per process, on a schedule.

``Confirmer.submit`` records a webhook's ids (``a2e.hooks.schedule``: at most once per id per
2 s, bursts gathered) and returns at once, so the webhook is answered in milliseconds. The
worker thread, started with the first webhook, takes the ids that are due, has them confirmed
(``confirm``: ``a2e.hooks.ask`` on the server's token), hands the confirmed tasks to
``announce`` (the cache's push notices, so viewers see them), and counts each webhook whose
ids are all confirmed: ``unknown_id`` when one of them no kind knew, else ``ok``, with the
delay from its receipt. A confirmation that raises is logged (its type only) and ends as
``ok``: the ids were asked; polling covers what it could not learn.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from a2e.api.metrics import WEBHOOK_CONFIRM_SECONDS, WEBHOOKS
from a2e.core.model import LookupCause, Task
from a2e.hooks.receipt import MAX_IDS
from a2e.hooks.schedule import ConfirmSchedule, Receipt

Confirm = Callable[[list[str]], list[Task]]
Announce = Callable[[list[Task]], None]

logger = logging.getLogger("a2e.hooks")


class Confirmer:
    """Confirms the ids webhooks name, each at most once per gap (see the module docstring)."""

    def __init__(
        self,
        confirm: Confirm,
        announce: Announce,
        *,
        schedule: ConfirmSchedule | None = None,
        clock: Callable[[], float] = time.monotonic,
        per_round: int = MAX_IDS,
    ) -> None:
        self._confirm, self._announce = confirm, announce
        self._schedule = schedule or ConfirmSchedule()
        self._clock, self._per_round = clock, per_round
        self._wake = threading.Condition()
        self._stopping = False
        self._thread: threading.Thread | None = None
        self.confirmations = 0

    def submit(self, task_ids: list[str], received_at: float) -> bool:
        """Schedule a webhook's ids; False (nothing scheduled) when too many already wait."""
        with self._wake:
            if self._schedule.add(task_ids, received_at) is None:
                return False
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="a2e-hooks", daemon=True)
                self._thread.start()
            self._wake.notify()
        return True

    def stop(self) -> None:
        """Stop the worker (returns once it ended)."""
        with self._wake:
            self._stopping = True
            self._wake.notify()
            thread = self._thread
        if thread is not None:
            thread.join(timeout=30)

    def _run(self) -> None:
        while (due := self._next_round()) is not None:
            self._confirm_round(due)

    def _next_round(self) -> list[str] | None:
        """The ids to confirm next, waiting until some are due; None once stopping."""
        with self._wake:
            while not self._stopping:
                now = self._clock()
                due = self._schedule.take_due(now, self._per_round)
                if due:
                    return due
                next_due = self._schedule.next_due()
                self._wake.wait(None if next_due is None else max(0.0, next_due - now))
        return None

    def _confirm_round(self, task_ids: list[str]) -> None:
        tasks: list[Task] = []
        try:
            tasks = self._confirm(task_ids)
            self._announce(tasks)
        except Exception as exc:  # one broken round must not stop the worker
            logger.warning("webhook confirmation failed (%s)", type(exc).__name__)
        with self._wake:
            self.confirmations += 1
            complete = self._schedule.settle(_found(task_ids, tasks))
        for receipt in complete:
            _count(receipt, self._clock())


def _found(task_ids: list[str], tasks: list[Task]) -> dict[str, bool]:
    """Id → whether some kind knew it (an id asked as several kinds needs one to know it)."""
    known = {task.id for task in tasks if task.error_cause is not LookupCause.NOT_FOUND}
    missing = {task.id for task in tasks if task.error_cause is LookupCause.NOT_FOUND}
    return {task_id: task_id in known or task_id not in missing for task_id in task_ids}


def _count(receipt: Receipt, now: float) -> None:
    WEBHOOKS.labels("unknown_id" if receipt.unknown else "ok").inc()
    WEBHOOK_CONFIRM_SECONDS.observe(max(0.0, now - receipt.received_at))
