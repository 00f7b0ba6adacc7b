"""The one door for calls that read an account's task lists (the place for budgets and audit).

Every list call of the Recent page, every window the Overview reads, and the status call that
completes a listed row's detail pass through ``account_call``, named by what they do and with
the most upstream calls they may make, before anything is sent. Nothing else here decides.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from a2e.access.audit import AuditKind
from a2e.api.client import A2EClient
from a2e.api.errors import LookupFailed
from a2e.cache.fetch import TaskCache
from a2e.ui.budget_notes import budget_refusal, record, task_outcomes
from a2e.ui.cached import shared_client, shared_task_cache
from a2e.ui.connection_model import Connection

T = TypeVar("T")
AccountRead = Callable[[TaskCache, A2EClient, str], T]

LIST_PAGE = "list page"
LIST_ALL_KINDS = "list all kinds"
READ_WINDOW = "read window"
COMPLETE_DETAIL = "complete detail"
# What each action is, for the viewer's budget and the audit trail.
AUDIT_KIND = {
    LIST_PAGE: AuditKind.LIST,
    LIST_ALL_KINDS: AuditKind.LIST,
    READ_WINDOW: AuditKind.OVERVIEW,
    COMPLETE_DETAIL: AuditKind.LOOKUP,
}


class OverBudget(LookupFailed):
    """The viewer's budget for this kind of call is spent: nothing was sent."""


def account_call(connection: Connection, action: str, max_calls: int, read: AccountRead[T]) -> T:
    """Spend the viewer's budget (``max_calls`` list calls, or ids for a detail), run ``read``
    with the shared cache, this connection's client and its token, and write the audit line.

    Raises ``OverBudget`` (a ``LookupFailed`` whose message says when more frees up) when the
    budget is spent, and lets any other ``LookupFailed`` of ``read`` through, recorded.
    """
    kind = AUDIT_KIND[action]
    if (refusal := budget_refusal(connection, kind, ids=max_calls, cost=max_calls)) is not None:
        raise OverBudget(refusal)
    client = shared_client(connection.base_url, connection.scope)
    try:
        result = read(shared_task_cache(), client, connection.token)
    except LookupFailed as exc:
        record(connection, kind, ids=0, outcomes={exc.cause.value: 1})
        raise
    record(connection, kind, ids=_ids_in(result), outcomes=_outcomes_in(result))
    return result


def _ids_in(result: object) -> int:
    tasks = getattr(result, "tasks", None)
    return len(tasks) if isinstance(tasks, list | tuple) else 0


def _outcomes_in(result: object) -> dict[str, int]:
    tasks = getattr(result, "tasks", None)
    return task_outcomes(tasks) if isinstance(tasks, list | tuple) else {"ok": 1}
