"""Telling the watcher (``python -m a2e watch``) about a webhook's tasks, so it announces them now.

After a webhook round is confirmed, the ids some kind knew are poked, grouped by that kind (the
watcher then asks each as its kind instead of trying every kind); with no server token to
confirm on, every id is poked with no kind (the watcher asks). Ids no kind knew are not poked:
they are no task of this account. A poke only says "ask now"; the watcher's own lookup decides.

Where the poke goes:

- ``A2E_HISTORY`` set: into that state file (``a2e.watch.pokes.poke``): the dashboard reads the
  watcher's state anyway, so they share it (``deploy/compose.yaml``);
- else ``A2E_CACHE_URL`` set: published on Redis (``a2e.watch.redis_pokes.publish_poke``), which
  a watcher started with the same URL listens to (one that shares only Redis);
- neither: nowhere.

Never both: a watcher that reads the state and listens on Redis would ask twice. A poke that
fails (a locked or foreign state file, Redis down) is logged by its type only and changes
nothing else: the watcher's next poll covers the ids.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping, Sequence

from a2e.cache.stores import URL_SETTING
from a2e.core.model import Task, TaskOutcome
from a2e.ui.settings import server_setting
from a2e.watch.history import HISTORY_SETTING

KNOWN = (TaskOutcome.COMPLETED, TaskOutcome.FAILED, TaskOutcome.IN_PROGRESS)

logger = logging.getLogger("a2e.hooks")

# Kind (None: not known) -> the ids to poke as that kind.
Pokes = Mapping[str | None, Sequence[str]]


def pokes_for(tasks: Sequence[Task]) -> dict[str | None, list[str]]:
    """The confirmed tasks' ids, by the kind that knew each (ids no kind knew left out)."""
    by_kind: dict[str | None, list[str]] = {}
    for task in tasks:
        if task.outcome in KNOWN and task.id not in by_kind.get(task.kind, []):
            by_kind.setdefault(task.kind, []).append(task.id)
    return by_kind


def poke_watcher(pokes: Pokes, history: str | None, cache_url: str | None) -> str | None:
    """Poke the watcher through its state (``history``) or Redis; where it went, if anywhere."""
    if not any(pokes.values()):
        return None
    try:
        if history:
            from a2e.watch.pokes import poke

            for kind, ids in pokes.items():
                poke(history, ids, kind)
            return "state"
        if cache_url:
            from a2e.watch.redis_pokes import publish_poke

            for kind, ids in pokes.items():
                publish_poke(cache_url, ids, kind)
            return "redis"
    except Exception as exc:  # the watcher's next poll covers what a lost poke would have said
        logger.warning("poking the watcher failed (%s)", type(exc).__name__)
    return None


def poke_configured_watcher(pokes: Pokes) -> str | None:
    """``poke_watcher`` where this dashboard's settings say the watcher listens."""
    history = server_setting(HISTORY_SETTING)
    return poke_watcher(pokes, history, (os.environ.get(URL_SETTING) or "").strip() or None)
