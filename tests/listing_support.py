"""Shared by the task-list tests: a demo account with history, reset between tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import streamlit as st

from a2e.api.client import A2EClient
from a2e.core.model import Task
from a2e.sandbox import DEMO_HISTORY, DEMO_TOKEN, Emulator


@contextmanager
def demo_account(**options: object) -> Iterator[Emulator]:
    """An emulator whose demo account has its 30 days of history (more than one page)."""
    with Emulator(history=DEMO_HISTORY, **options) as emulator:  # type: ignore[arg-type]
        yield emulator


def reset(emulator: Emulator) -> Emulator:
    """No faults, default answer shapes, no latency, an empty request log."""
    emulator.clear_faults()
    emulator.clear_requests()
    emulator.latency = 0.0
    return emulator


def serve_with_server_token(monkeypatch: pytest.MonkeyPatch, emulator: Emulator) -> Emulator:
    """The dashboard with a server token for ``emulator`` (shared with anyone: AppTest has no
    network peer), fresh Streamlit caches, and the emulator's default answers."""
    monkeypatch.setenv("A2E_BASE_URL", emulator.base_url)
    monkeypatch.setenv("A2E_API_TOKEN", DEMO_TOKEN)
    monkeypatch.setenv("A2E_SERVER_TOKEN_FOR", "anyone")
    st.cache_data.clear()
    st.cache_resource.clear()
    return reset(emulator)


def every_listed_task(client: A2EClient, kind: str = "image2video") -> list[Task]:
    """Every task the kind's list gives, page after page (100 a page, at most 40 pages)."""
    tasks: list[Task] = []
    for page in range(1, 41):
        listed = client.list_tasks(DEMO_TOKEN, kind, page, 100)
        tasks += listed.tasks
        if listed.is_last:
            break
    return tasks
