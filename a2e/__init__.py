"""See what happened to your A2E tasks: ids, task model, status client, cache and emulator.

Everything here is plain Python; only ``a2e.ui`` imports Streamlit.

    >>> from a2e import A2EClient, parse_task_ids
    >>> with A2EClient("https://video.a2e.ai") as client:          # doctest: +SKIP
    ...     tasks = client.lookup_many(token, parse_task_ids(text).ids)

The names below are imported when first used (PEP 562), so ``import a2e`` (which every
``python -m a2e`` command does) costs nothing: a command imports only what it uses.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from a2e.api.client import A2EClient, ClientSettings
    from a2e.api.errors import A2EError, LookupFailed
    from a2e.api.servers import CHINA_SERVER, GLOBAL_SERVER
    from a2e.cache.fetch import TaskCache
    from a2e.core.ids import ParsedIds, is_task_id, parse_task_ids
    from a2e.core.kinds import KINDS, TaskKind, get_kind
    from a2e.core.model import LookupCause, Task, TaskOutcome

# Each public name, and the module that defines it.
_HOMES = {
    "CHINA_SERVER": "a2e.api.client",
    "GLOBAL_SERVER": "a2e.api.client",
    "A2EClient": "a2e.api.client",
    "ClientSettings": "a2e.api.client",
    "A2EError": "a2e.api.errors",
    "LookupFailed": "a2e.api.errors",
    "TaskCache": "a2e.cache.fetch",
    "ParsedIds": "a2e.core.ids",
    "is_task_id": "a2e.core.ids",
    "parse_task_ids": "a2e.core.ids",
    "KINDS": "a2e.core.kinds",
    "TaskKind": "a2e.core.kinds",
    "get_kind": "a2e.core.kinds",
    "LookupCause": "a2e.core.model",
    "Task": "a2e.core.model",
    "TaskOutcome": "a2e.core.model",
}

__all__ = [
    "CHINA_SERVER",
    "GLOBAL_SERVER",
    "KINDS",
    "A2EClient",
    "A2EError",
    "ClientSettings",
    "LookupCause",
    "LookupFailed",
    "ParsedIds",
    "Task",
    "TaskCache",
    "TaskKind",
    "TaskOutcome",
    "get_kind",
    "is_task_id",
    "parse_task_ids",
]


def __getattr__(name: str) -> object:
    """The public name ``name``, imported from its module on first use."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'a2e' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value
