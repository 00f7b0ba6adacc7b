"""What the table's timing columns need from outside the board: the viewer's time zone, and
A2E's typical run time per kind (asked at most every ten minutes per server, token and kind;
a call sent is charged to the viewer's status-call budget and audited like a lookup)."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo

import streamlit as st

from a2e.access.audit import AuditKind
from a2e.core.kinds import KINDS
from a2e.core.model import Task, TaskOutcome
from a2e.ui.budget_notes import record, viewer_meter
from a2e.ui.cached import shared_client
from a2e.ui.connection_model import Connection
from a2e.views.eta import AvgTimeCache, TypicalRun, typical_run
from a2e.views.tables import RowTiming


@st.cache_resource(show_spinner=False)
def shared_avg_times() -> AvgTimeCache:
    """The process's cache of A2E's average processing times."""
    return AvgTimeCache()


def viewer_tz() -> tzinfo:
    """The viewer's browser time zone (UTC when unknown)."""
    with contextlib.suppress(KeyError, ValueError, OSError):
        return ZoneInfo(st.context.timezone or "UTC")
    return UTC


def api_average_seconds(connection: Connection, kind: str) -> float | None:
    """A2E's average processing time of ``kind`` (cached; a call sent is charged and audited)."""
    meter = viewer_meter(AuditKind.LOOKUP)
    client = shared_client(connection.base_url, connection.scope)
    seconds = shared_avg_times().get(client, connection.token, kind, meter)
    if meter.calls or meter.refusal:
        outcome = "refused" if meter.refusal else "avg_processing_time"
        record(connection, AuditKind.LOOKUP, ids=0, outcomes={outcome: 1}, meter=meter)
    return seconds


def row_timing(
    connection: Connection, tasks: Sequence[Task], seen_final: Mapping[str, datetime]
) -> RowTiming:
    """Typical run times for the kinds that have running tasks, and what the board observed."""
    running = {task.kind for task in tasks if task.outcome is TaskOutcome.IN_PROGRESS}
    typical: dict[str, TypicalRun] = {}
    for kind in running & set(KINDS):
        api_seconds = api_average_seconds(connection, kind)
        found = typical_run(api_seconds, [task for task in tasks if task.kind == kind])
        if found is not None:
            typical[kind] = found
    return RowTiming(typical=typical, seen_final=seen_final, tz=viewer_tz())
