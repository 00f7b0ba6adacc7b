"""Answers a webhook pushed into the cache, taken into a viewer's board without asking A2E.

A board's tasks that may still change are watched under their cache keys (the viewer's
server, the cache's hash of the viewer's token, the kind each task was found as, its id).
When ``a2e.cache.notices`` names one of them, its answer is read from the cache (a read, never
an upstream call) and merged as a refresh would merge it; an answer equal to the board's is
not news, and neither is a failed lookup (polling asks about those). The caller redraws the
page only when something changed.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence

from a2e.cache.notices import notice_name
from a2e.cache.store import Cached, CacheKey
from a2e.core.model import Task, TaskOutcome
from a2e.views.board import Board
from a2e.views.live import RefreshResult, merge_refresh

ReadCache = Callable[[Sequence[CacheKey]], dict[CacheKey, Cached]]


def watched_keys(board: Board, origin: str, token_hash: str) -> dict[str, CacheKey]:
    """The notice names of the board's tasks that may still change, with their cache keys."""
    tasks = board.tasks
    keys = [(origin, token_hash, tasks[task_id].kind, task_id) for task_id in board.pollable()]
    return {notice_name(key): key for key in keys}


def take_pushed(
    board: Board,
    watched: dict[str, CacheKey],
    names: Collection[str] | None,
    read: ReadCache,
) -> RefreshResult | None:
    """Merge the cached answers of the named keys (every watched one for ``None``) into the
    board; the result when any task changed, else None."""
    named = [key for name, key in watched.items() if names is None or name in names]
    if not named:
        return None
    cached = read(named)
    news = [entry.task for entry in cached.values() if _is_news(entry.task, board)]
    if not news:
        return None
    result = merge_refresh(board.tasks, news)
    board.take_pushed(result)
    return result


def _is_news(task: Task, board: Board) -> bool:
    """A task's state that differs from the board's (a failed lookup is never news here)."""
    known = task.outcome not in (TaskOutcome.LOOKUP_ERROR, TaskOutcome.INVALID_ID)
    return known and task != board.tasks.get(task.id)
