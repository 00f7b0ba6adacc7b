"""The one door for calls that read an account's task lists (the place for budgets and audit).

Every list call of the Recent page, every window the Overview reads, and the status call that
completes a listed row's detail pass through ``account_call``, named by what they do and with
the most upstream calls they may make, before anything is sent. Nothing else here decides.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from a2e.api.client import A2EClient
from a2e.cache.fetch import TaskCache
from a2e.ui.cached import shared_client, shared_task_cache
from a2e.ui.connection_model import Connection

T = TypeVar("T")
AccountRead = Callable[[TaskCache, A2EClient, str], T]

LIST_PAGE = "list page"
LIST_ALL_KINDS = "list all kinds"
READ_WINDOW = "read window"
COMPLETE_DETAIL = "complete detail"


def account_call(connection: Connection, action: str, max_calls: int, read: AccountRead[T]) -> T:
    """Run ``read`` with the shared cache, this connection's client and its token."""
    client = shared_client(connection.base_url, connection.scope)
    return read(shared_task_cache(), client, connection.token)
