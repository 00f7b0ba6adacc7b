"""One auto-refresh tick without Streamlit: ask again for what is not final, merge it in.

Every refresh goes through the shared cache, so viewers of the same ids share one upstream
request per task. *Refresh now* asks with ``max_age=REFRESH_NOW_MAX_AGE``: an answer younger
than that is fresh enough, so clicks (one viewer's or many viewers') within a few seconds cost
the server nothing more. While the server is failing, a tick asks only the board's sample.
Each request sent is charged to the caller's ``Meter``; a task whose request its budget
stopped keeps what the board knew (a running task is asked again on the next tick).
"""

from __future__ import annotations

from dataclasses import replace

from a2e.api.client import A2EClient
from a2e.api.meter import Meter, not_sent
from a2e.cache.fetch import TaskCache
from a2e.core.model import Task
from a2e.views.board import Board
from a2e.views.live import RefreshResult, merge_refresh

REFRESH_NOW_MAX_AGE = 3.0
# Timers fire a little early or late: a tick is due once 90% of the interval has passed.
DUE_FRACTION = 0.9


def poll_once(
    cache: TaskCache,
    client: A2EClient,
    token: str,
    board: Board,
    *,
    max_age: float,
    ids: list[str] | None = None,
    meter: Meter | None = None,
) -> RefreshResult | None:
    """Refresh the board's unfinished tasks through the cache; None when nothing is left.

    ``ids``: the ones to ask, when the caller already chose them (``board.to_ask()``, once:
    while the server fails, each call moves the board's sample on).
    """
    to_ask = board.to_ask() if ids is None else ids
    if not to_ask:
        return None
    fresh: list[Task] = []
    for kind, task_ids in ids_by_kind(board, to_ask).items():
        fresh += cache.fetch(client, token, kind, task_ids, max_age=max_age, meter=meter)
    sent = merge_refresh(board.tasks, [task for task in fresh if not not_sent(task)])
    board.apply(sent)
    return replace(sent, answers=tuple(fresh))  # every answer, the ones not sent included


def ids_by_kind(board: Board, task_ids: list[str]) -> dict[str, list[str]]:
    """The ids grouped by the kind each task was found as (an "Auto" board holds several)."""
    grouped: dict[str, list[str]] = {}
    for task_id in task_ids:
        grouped.setdefault(board.tasks[task_id].kind, []).append(task_id)
    return grouped
