"""Shared fixtures: one emulator for the session, reset before each test that uses it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import streamlit as st

from a2e.api.client import A2EClient, ClientSettings
from a2e.api.retries import RetryPolicy
from a2e.sandbox import DEMO_TOKEN, Emulator
from tests.apptest_support import entry_point_navigation_remembered
from tests.listing_support import demo_account, reset, serve_with_server_token
from tests.redis_server import RedisServer, require_redis_server

# Short waits keep retry tests quick; the policy's logic is the same as in production.
FAST_RETRIES = RetryPolicy(attempts=3, initial_wait=0.05, max_wait=0.2, max_retry_after=2.0)


@pytest.fixture(scope="session")
def running_emulator() -> Iterator[Emulator]:
    with Emulator() as emulator:
        yield emulator


@pytest.fixture
def emulator(running_emulator: Emulator) -> Emulator:
    """The session's emulator with no faults, no latency and an empty request log."""
    return reset(running_emulator)


@pytest.fixture
def token() -> str:
    return DEMO_TOKEN


def make_client(base_url: str, **settings: object) -> A2EClient:
    """A client with fast retries (and any other settings overridden)."""
    options: dict[str, object] = {"retry": FAST_RETRIES, **settings}
    return A2EClient(base_url, settings=ClientSettings(**options))  # type: ignore[arg-type]


# A client that asks every id alone (no batchDetail): the path of kinds without a batch call
# and of servers that refuse it.
ONE_AT_A_TIME = 1


@pytest.fixture
def client(emulator: Emulator) -> Iterator[A2EClient]:
    with make_client(emulator.base_url) as a2e_client:
        yield a2e_client


# A real redis-server for the shared-cache tests (one per test that asks for it: tests kill it).


@pytest.fixture
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    require_redis_server()
    server = RedisServer(tmp_path_factory.mktemp("redis")).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def account() -> Iterator[Emulator]:
    """One demo account with its 30 days of history (more than a page) per test module."""
    with demo_account() as emulator:
        yield emulator


@pytest.fixture
def emu(account: Emulator) -> Iterator[Emulator]:
    """The module's demo account, reset before and after the test."""
    yield reset(account)
    reset(account)


@pytest.fixture
def account_dashboard(monkeypatch: pytest.MonkeyPatch, account: Emulator) -> Iterator[Emulator]:
    """The dashboard with a server token for the module's demo account (shared with anyone:
    AppTest has no network peer), fresh Streamlit caches, and the account's default answers."""
    yield serve_with_server_token(monkeypatch, account)
    reset(account)
    st.cache_resource.clear()


@pytest.fixture
def entry_point_navigation() -> Iterator[None]:
    """AppTest runs app.py's navigation on every run, as the real server does."""
    with entry_point_navigation_remembered():
        yield
