"""See what happened to your A2E tasks: ids, task model, status client, cache and emulator.

Everything here is plain Python; only ``a2e.ui`` imports Streamlit.

    >>> from a2e import A2EClient, parse_task_ids
    >>> with A2EClient("https://video.a2e.ai") as client:          # doctest: +SKIP
    ...     tasks = client.lookup_many(token, parse_task_ids(text).ids)
"""

from a2e.api.client import CHINA_SERVER, GLOBAL_SERVER, A2EClient, ClientSettings
from a2e.api.errors import A2EError, LookupFailed
from a2e.cache.fetch import TaskCache
from a2e.core.ids import ParsedIds, is_task_id, parse_task_ids
from a2e.core.kinds import KINDS, TaskKind, get_kind
from a2e.core.model import LookupCause, Task, TaskOutcome

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
