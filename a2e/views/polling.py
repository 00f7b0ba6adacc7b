"""One auto-refresh tick without Streamlit: ask again for what is not final, merge it in."""

from __future__ import annotations

from a2e.api.client import A2EClient
from a2e.cache.fetch import TaskCache
from a2e.views.board import Board
from a2e.views.live import RefreshResult, merge_refresh


def poll_once(
    cache: TaskCache, client: A2EClient, token: str, board: Board, *, max_age: float
) -> RefreshResult | None:
    """Refresh the board's unfinished tasks through the cache; None when nothing is left."""
    pollable = board.pollable()
    if not pollable:
        return None
    fresh = cache.fetch(client, token, board.kind, pollable, max_age=max_age)
    result = merge_refresh(board.tasks, fresh)
    board.apply(result)
    return result
