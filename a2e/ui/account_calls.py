"""The one door for calls that read an account's task lists (the place for budgets and audit).

Every list call of the Recent page, every window the Overview reads, and the status call that
completes a listed row's detail pass through ``account_call``, named by what they do. Each gets
a ``Meter`` of the viewer's budget for its kind, so the calls it sends (retries included) are
what the budget and its audit line count; a call the budget refuses is not sent (``OverBudget``,
a ``LookupFailed``, when it was one the answer needed). Nothing else here decides.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from a2e.access.audit import AuditKind
from a2e.api.client import A2EClient
from a2e.api.errors import LookupFailed
from a2e.api.meter import Meter
from a2e.cache.fetch import TaskCache
from a2e.ui.budget_notes import record, task_outcomes, viewer_meter
from a2e.ui.cached import shared_client, shared_task_cache
from a2e.ui.connection_model import Connection

T = TypeVar("T")
AccountRead = Callable[[TaskCache, A2EClient, str, Meter], T]

LIST_PAGE = "list page"
LIST_ALL_KINDS = "list all kinds"
READ_WINDOW = "read window"
READ_CREDITS = "read credits history"
COMPLETE_DETAIL = "complete detail"
# What each action is, for the viewer's budget and the audit trail.
AUDIT_KIND = {
    LIST_PAGE: AuditKind.LIST,
    LIST_ALL_KINDS: AuditKind.LIST,
    READ_WINDOW: AuditKind.OVERVIEW,
    READ_CREDITS: AuditKind.CREDITS,
    COMPLETE_DETAIL: AuditKind.LOOKUP,
}


def account_call(connection: Connection, action: str, read: AccountRead[T]) -> T:
    """Run ``read`` with the shared cache, this connection's client and token, and a meter of
    the viewer's budget; write the audit line with the calls it sent.

    Lets any ``LookupFailed`` of ``read`` through, recorded (``OverBudget`` when the budget
    refused a call the answer needed: its message says when more frees up).
    """
    kind = AUDIT_KIND[action]
    meter = viewer_meter(kind)
    client = shared_client(connection.base_url, connection.scope)
    try:
        result = read(shared_task_cache(), client, connection.token, meter)
    except LookupFailed as exc:
        record(connection, kind, ids=0, outcomes={exc.cause.value: 1}, meter=meter)
        raise
    outcomes = _outcomes_in(result)
    record(connection, kind, ids=_ids_in(result), outcomes=outcomes, meter=meter)
    return result


def _ids_in(result: object) -> int:
    tasks = getattr(result, "tasks", None)
    return len(tasks) if isinstance(tasks, list | tuple) else 0


def _outcomes_in(result: object) -> dict[str, int]:
    tasks = getattr(result, "tasks", None)
    return task_outcomes(tasks) if isinstance(tasks, list | tuple) else {"ok": 1}
