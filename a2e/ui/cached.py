"""The dashboard's shared resources: one client per server, one task cache, one demo emulator.

Caching itself lives in ``a2e.cache.fetch.TaskCache`` (plain Python, tested without Streamlit);
this module only keeps one instance of each per process with ``st.cache_resource``.
"""

from __future__ import annotations

import os

import streamlit as st

from a2e.api.addresses import AddressScope
from a2e.api.client import A2EClient, ClientSettings
from a2e.api.meter import Meter
from a2e.cache.fetch import ProgressCallback, TaskCache
from a2e.cache.notices import Notices
from a2e.cache.stores import cache_from_settings, notices_from_settings
from a2e.core.kinds import KINDS
from a2e.core.model import Task
from a2e.sandbox import Emulator
from a2e.sandbox.history import DEMO_HISTORY
from a2e.ui.connection_model import Connection
from a2e.ui.settings import batch_size
from a2e.views.auto_kind import KindAnnounce, fetch_any_kind
from a2e.views.board import Board
from a2e.views.kind_choice import kinds_of_choice


@st.cache_resource(show_spinner=False, max_entries=16)
def shared_client(base_url: str, scope: AddressScope = AddressScope.ANY) -> A2EClient:
    """The process's client (and connection pool) for one server and address scope."""
    settings = ClientSettings(batch_size=batch_size())
    return A2EClient(base_url, settings=settings, address_scope=scope)


@st.cache_resource(show_spinner=False)
def shared_task_cache() -> TaskCache:
    """The process's task cache, shared by every viewer (and replicas, with A2E_CACHE_URL)."""
    return cache_from_settings(os.environ)


@st.cache_resource(show_spinner=False)
def shared_notices() -> Notices:
    """The process's push notices (relayed between replicas with A2E_CACHE_URL)."""
    return notices_from_settings(os.environ)


@st.cache_resource(show_spinner="Starting the demo emulator…")
def demo_emulator() -> Emulator:
    """The built-in A2E emulator that serves the demo, started once per process."""
    emulator = Emulator(history=DEMO_HISTORY, keep_alive=True)
    emulator.start()
    return emulator


def fetch_tasks(
    connection: Connection,
    kind: str,
    task_ids: list[str],
    *,
    max_age: float,
    on_progress: ProgressCallback | None = None,
    on_kind: KindAnnounce | None = None,
    meter: Meter | None = None,
) -> list[Task]:
    """Tasks for ``task_ids`` through the shared cache (token is part of the cache key); each
    request sent is charged to ``meter``.

    ``kind`` is a kind, or Auto or a family: each id as those kinds in turn (``on_kind`` names
    each kind as it is asked).
    """
    client = shared_client(connection.base_url, connection.scope)
    cache, token = shared_task_cache(), connection.token
    if kind not in KINDS:
        return fetch_any_kind(
            cache,
            client,
            token,
            task_ids,
            max_age=max_age,
            on_progress=on_progress,
            on_kind=on_kind,
            meter=meter,
            kinds=kinds_of_choice(kind),
        )
    return cache.fetch(
        client, token, kind, task_ids, max_age=max_age, on_progress=on_progress, meter=meter
    )


def learn_finish_times(connection: Connection, board: Board) -> None:
    """The board's final tasks without a finish time take one the cache learnt since (a task
    list's row), asking no one: a task shows the same finish time on every page."""
    lacking = [task for task in board.tasks.values() if task.is_final and not task.finished_at]
    if lacking:
        client = shared_client(connection.base_url, connection.scope)
        board.take_finish_times(shared_task_cache().known(client.origin, connection.token, lacking))
