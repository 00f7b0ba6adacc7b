"""Budgets and the audit trail where requests are made: charge what is sent, say why not, record.

Status and list calls are charged as they are sent: the page makes a ``viewer_meter`` for what
the viewer asked (a lookup, a refresh tick, a list, an Overview reading), passes it down to the
client, and afterwards ``record``s one audit line with the calls the meter counted; when the
budget stopped some, ``not_asked_note`` is what the page says, once. A token check is one call
decided up front: ``within_budget`` (a refusal is shown where it was asked for, recorded, and
nothing is sent). The budgets and the trail are one per process, shared by every viewer
(``st.cache_resource``), and the budgets are counted in the cache's Redis when there is one (so
every replica counts together); the counting and the line format live in ``a2e.access``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace

import streamlit as st

from a2e.access.audit import BUDGET_OF, AuditEvent, AuditKind, AuditTrail, outcome_counts
from a2e.access.budgets import Budgets, BudgetSettings
from a2e.api.meter import Meter, not_sent
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


def viewer_meter(kind: AuditKind) -> Meter:
    """A meter that charges this viewer's budget for ``kind`` one call per request sent."""
    budgets = shared_budgets(budget_settings())
    return Meter(budgets.spender(viewer_key(), BUDGET_OF[kind]))


def not_asked_note(meter: Meter, tasks: Iterable[Task], *, done: str) -> str | None:
    """What the page says once when the budget stopped requests (``done``: "looked up"…)."""
    if meter.refusal is None:
        return None
    missed = sum(not_sent(task) for task in tasks)
    if meter.calls == 0:
        return f"Not {done}: {meter.refusal}."
    noun = "task was" if missed == 1 else "tasks were"
    return f"{missed:,} {noun} not {done}: {meter.refusal}."


def within_budget(connection: Connection, kind: AuditKind) -> bool:
    """Spend one of this viewer's budget for ``kind`` (a token check: one call, decided up
    front); False, shown and recorded, when it is spent."""
    spend = shared_budgets(budget_settings()).spend(viewer_key(), BUDGET_OF[kind])
    if spend.allowed:
        return True
    _trail().record(_event(connection, kind, 0, {}, REFUSED_BY_BUDGET, 0, False))
    st.warning(spend.message, icon=":material/hourglass_top:")
    return False


def record(
    connection: Connection,
    kind: AuditKind,
    *,
    ids: int,
    outcomes: Mapping[str, int],
    meter: Meter | None = None,
    calls: int = 0,
    tick: bool = False,
) -> None:
    """Write the audit line of a request that was made: the calls its ``meter`` counted (else
    ``calls``), and ``budget`` as why some were refused, if so. An auto-refresh ``tick`` is
    added to its viewer's line of the minute (``a2e.access.audit``)."""
    refused = REFUSED_BY_BUDGET if meter is not None and meter.refusal is not None else None
    sent = meter.calls if meter is not None else calls
    _trail().record(_event(connection, kind, ids, outcomes, refused, sent, tick))


def later_spend(connection: Connection, kind: AuditKind, ids: int) -> Callable[[], str | None]:
    """A spend of this viewer's budget to make later, outside the script run (a download
    route: one call per task), recording its audit line; why it was refused, or None."""
    budgets, trail = shared_budgets(budget_settings()), _trail()
    event = _event(connection, kind, ids, {}, None, 0, False)  # read here: the script's viewer

    def spend() -> str | None:
        spent = budgets.spend(event.user, BUDGET_OF[kind], ids)
        if spent.allowed:
            trail.record(replace(event, outcomes={"ok": 1}, calls=ids))
            return None
        trail.record(replace(event, refused=REFUSED_BY_BUDGET))
        return spent.message

    return spend


def task_outcomes(tasks: Iterable[Task]) -> dict[str, int]:
    """How many tasks came back with each outcome."""
    return outcome_counts(task.outcome.value for task in tasks)


def _event(
    connection: Connection,
    kind: AuditKind,
    ids: int,
    outcomes: Mapping[str, int],
    refused: str | None,
    calls: int,
    tick: bool,
) -> AuditEvent:
    return AuditEvent(
        user=viewer_key(),
        server=connection.base_url,
        kind=kind,
        ids=ids,
        token_source=connection.source.value,
        outcomes=outcomes,
        refused=refused,
        calls=calls,
        ticks=1 if tick else None,
    )


def _trail() -> AuditTrail:
    return shared_audit_trail(server_setting(AUDIT_LOG_SETTING))
