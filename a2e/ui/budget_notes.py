"""Budgets and the audit trail where requests are made: spend first, say why not, record a line.

Every place that asks an A2E server on a viewer's behalf calls ``within_budget`` before it asks
(a refusal is shown where the request was asked for, recorded, and nothing is sent), then
``record`` with what came back. The budgets and the trail are one per process, shared by every
viewer (``st.cache_resource``), and the budgets are counted in the cache's Redis when there is
one (so every replica counts together); the counting and the line format live in ``a2e.access``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping

import streamlit as st

from a2e.access.audit import BUDGET_OF, AuditEvent, AuditKind, AuditTrail, outcome_counts
from a2e.access.budgets import Budgets, BudgetSettings
from a2e.cache.stores import shared_budget_storage
from a2e.core.model import Task
from a2e.ui.auth import viewer_key
from a2e.ui.connection_model import Connection
from a2e.ui.settings import AUDIT_LOG_SETTING, budget_settings, server_setting

REFUSED_BY_BUDGET = "budget"


@st.cache_resource(show_spinner=False)
def shared_budgets(settings: BudgetSettings) -> Budgets:
    """The process's budgets (one set per distinct settings), in Redis when the cache is."""
    shared, key_secret = shared_budget_storage(os.environ)
    return Budgets(settings, shared=shared, key_secret=key_secret)


@st.cache_resource(show_spinner=False)
def shared_audit_trail(path: str | None) -> AuditTrail:
    """The process's audit trail: the file ``A2E_AUDIT_LOG``, else standard error."""
    return AuditTrail(path)


def within_budget(
    connection: Connection, kind: AuditKind, *, ids: int = 0, cost: int = 1, lead: str = ""
) -> bool:
    """Spend this viewer's budget for a request; False (shown and recorded) when it is spent."""
    refusal = budget_refusal(connection, kind, ids=ids, cost=cost)
    if refusal is None:
        return True
    st.warning(f"{lead}{refusal}", icon=":material/hourglass_top:")
    return False


def budget_refusal(
    connection: Connection, kind: AuditKind, *, ids: int = 0, cost: int = 1
) -> str | None:
    """Spend this viewer's budget; why not (recorded, for the caller to show), or None."""
    spend = shared_budgets(budget_settings()).spend(viewer_key(), BUDGET_OF[kind], cost)
    if spend.allowed:
        return None
    _trail().record(_event(connection, kind, ids, {}, REFUSED_BY_BUDGET))
    return spend.message


def record(
    connection: Connection, kind: AuditKind, *, ids: int, outcomes: Mapping[str, int]
) -> None:
    """Write the audit line of a request that was made."""
    _trail().record(_event(connection, kind, ids, outcomes, None))


def task_outcomes(tasks: Iterable[Task]) -> dict[str, int]:
    """How many tasks came back with each outcome."""
    return outcome_counts(task.outcome.value for task in tasks)


def _event(
    connection: Connection,
    kind: AuditKind,
    ids: int,
    outcomes: Mapping[str, int],
    refused: str | None,
) -> AuditEvent:
    return AuditEvent(
        user=viewer_key(),
        server=connection.base_url,
        kind=kind,
        ids=ids,
        token_source=connection.source.value,
        outcomes=outcomes,
        refused=refused,
    )


def _trail() -> AuditTrail:
    return shared_audit_trail(server_setting(AUDIT_LOG_SETTING))
