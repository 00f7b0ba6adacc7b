"""What the page says about the whole board, in plain words that never contradict the table.

No I/O, no Streamlit: the auto-refresh status line, and the banner shown once above the table
when most lookups failed for the same reason, with what to do about it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from a2e.api.meter import not_sent
from a2e.core.model import LookupCause, Task, TaskOutcome
from a2e.views.live import RETRIED_CAUSES

# A cause is "most lookups" when it covers more than this share of the ids looked up.
DOMINANT_SHARE = 0.5

_ADVICE = {
    LookupCause.TOKEN: "The server rejected the token. Check it with Check token in the "
    "sidebar, or enter another one (video.a2e.ai › Account › API Token).",
    LookupCause.NETWORK: "The server could not be reached. Check the server and your network; "
    "auto-refresh tries again.",
    LookupCause.NOT_FOUND: "The server does not know these ids. Check the task kind (Auto tries "
    "every kind), and that the ids belong to this account and this server.",
    LookupCause.SERVER: "The server answered with errors. Auto-refresh tries again; if it "
    "persists, A2E may be having trouble.",
    LookupCause.BAD_ANSWER: "The server's answers could not be read. Is this an A2E server?",
    LookupCause.REFUSED: "This server's address is not one the dashboard connects to for viewers "
    "on other machines (loopback, private or reserved). Use Global or China, or a public URL.",
}


@dataclass(frozen=True)
class Banner:
    """One line about a failure most lookups share."""

    cause: LookupCause
    count: int
    total: int

    @property
    def text(self) -> str:
        """The banner's words."""
        return f"{self.count} of {self.total} lookups failed. {_ADVICE[self.cause]}"


def failure_banner(tasks: Sequence[Task]) -> Banner | None:
    """The banner for the lookup failure most rows share, if it is most of them."""
    # Rows a budget kept from being sent are said once where the request was made.
    looked_up = [t for t in tasks if t.outcome is not TaskOutcome.INVALID_ID and not not_sent(t)]
    causes = Counter(
        task.error_cause
        for task in looked_up
        if task.outcome is TaskOutcome.LOOKUP_ERROR and task.error_cause is not None
    )
    if not causes:
        return None
    cause, count = causes.most_common(1)[0]
    if count <= DOMINANT_SHARE * len(looked_up):
        return None
    return Banner(cause=cause, count=count, total=len(looked_up))


def refresh_note(
    tasks: Sequence[Task], *, polling: bool, interval: int, retry_token: bool = False
) -> str:
    """What auto-refresh is doing, counting running tasks and retried lookups apart.

    ``retry_token`` as the board's: while a refused token is being confirmed (or cleared),
    the lookups it failed are asked again, and are counted so; once polling stopped for it,
    they are said to wait for the token, never to have failed for good.
    """
    causes = RETRIED_CAUSES | {LookupCause.TOKEN} if retry_token else RETRIED_CAUSES
    running = sum(task.outcome is TaskOutcome.IN_PROGRESS for task in tasks)
    retried = sum(_failed_lookup(task, causes) for task in tasks)
    if running or retried:
        what = plural(running, "running task") if running else ""
        if retried:
            what += (" and " if what else "") + plural(retried, "failed lookup") + " to retry"
        return f"checking {what} every {interval} s" if polling else f"{what}; auto-refresh is off"
    unsent = sum(not_sent(task) for task in tasks)
    if unsent:  # never asked again by itself: that would spend the budget tick after tick
        return f"nothing to refresh: {plural(unsent, 'task')} not asked (look up again later)"
    refused = sum(_failed_lookup(task, frozenset({LookupCause.TOKEN})) for task in tasks)
    if refused:
        return (
            f"nothing is asked again: the token was refused for {plural(refused, 'lookup')}; "
            "check it in the sidebar"
        )
    stuck = sum(task.outcome is TaskOutcome.LOOKUP_ERROR for task in tasks) - unsent
    if stuck:
        return f"nothing to refresh: {plural(stuck, 'lookup')} failed for good (see Reason)"
    return "every task is final: nothing left to refresh"


def _failed_lookup(task: Task, causes: frozenset[LookupCause]) -> bool:
    return task.outcome is TaskOutcome.LOOKUP_ERROR and task.error_cause in causes


def plural(count: int, noun: str) -> str:
    """``1 task``, ``2 tasks``: a count with its noun (an ``s`` added past one)."""
    return f"{count} {noun}" + ("" if count == 1 else "s")
