"""Budgets across replicas: counted in the cache's Redis, a real redis-server on loopback."""

from __future__ import annotations

import logging
import time

import pytest
import redis
from limits import RateLimitItemPerMinute
from limits.errors import StorageError

from a2e.access.budgets import Budget, Budgets, BudgetSettings
from a2e.cache.stores import BUDGET_KEY_PREFIX, shared_budget_storage

SECRET = "budget-test-secret-0123456789abcdef"
VIEWER = "ana@example.com"
SECRET_SETTING = {"A2E_CACHE_SECRET": SECRET}
FIVE_LOOKUPS = BudgetSettings(lookups_per_minute=5)


def replica(url: str, *, retry_seconds: float = 5.0) -> Budgets:
    """One replica's budgets, as the dashboard builds them from its settings."""
    shared, key = shared_budget_storage({"A2E_CACHE_URL": url, "A2E_CACHE_SECRET": SECRET})
    assert shared is not None
    return Budgets(FIVE_LOOKUPS, shared=shared, key_secret=key, retry_seconds=retry_seconds)


def budget_keys(url: str) -> list[bytes]:
    with redis.Redis.from_url(url) as raw:
        return list(raw.scan_iter(f"{BUDGET_KEY_PREFIX}*"))


def test_two_replicas_count_one_viewers_lookups_against_one_budget(redis_server):
    first, second = replica(redis_server.url), replica(redis_server.url)

    assert first.spend(VIEWER, Budget.LOOKUP, 3).allowed
    refused = second.spend(VIEWER, Budget.LOOKUP, 3)
    assert not refused.allowed
    assert refused.remaining == 2
    assert refused.message.startswith("each viewer may send 5 status calls a minute")
    assert second.spend(VIEWER, Budget.LOOKUP, 2).allowed
    assert not first.spend(VIEWER, Budget.LOOKUP, 1).allowed
    assert first.spend("bo@example.com", Budget.LOOKUP, 5).allowed


def test_budgets_in_redis_name_no_viewer(redis_server):
    replica(redis_server.url).spend(VIEWER, Budget.TOKEN_CHECK)

    keys = budget_keys(redis_server.url)
    assert keys
    with redis.Redis.from_url(redis_server.url) as raw:
        stored = b" ".join(keys + [str(raw.lrange(key, 0, -1)).encode() for key in keys])
    assert VIEWER.encode() not in stored
    assert b"ana" not in stored


def test_redis_going_down_counts_in_memory_once_then_shares_again(tmp_path, caplog):
    from tests.redis_server import RedisServer, assert_one_outage_logged, require_redis_server

    require_redis_server()
    server = RedisServer(tmp_path, password="redis-password-4f3e2d1c").start()
    try:
        budgets = replica(server.url, retry_seconds=0.3)
        assert budgets.spend(VIEWER, Budget.LOOKUP, 4).allowed
        server.kill()
        with caplog.at_level(logging.WARNING, logger="a2e.budgets"):
            # This process now counts alone, from nothing: the viewer is never locked out.
            assert budgets.spend(VIEWER, Budget.LOOKUP, 5).allowed
            assert not budgets.spend(VIEWER, Budget.LOOKUP, 1).allowed
            assert budgets.counting_alone
            server.start()
            time.sleep(0.4)
            assert budgets.spend(VIEWER, Budget.LOOKUP, 1).allowed
        assert not budgets.counting_alone
        assert budget_keys(server.url)
    finally:
        server.stop()
    messages = [record.getMessage() for record in caplog.records]
    assert_one_outage_logged(
        messages, caplog.text, never=("redis-password-4f3e2d1c", SECRET, str(server.port), VIEWER)
    )


def test_an_unreachable_redis_leaves_budgets_working_in_this_process():
    budgets = replica("redis://127.0.0.1:9/0")  # the discard port: nothing listens on loopback

    assert budgets.spend(VIEWER, Budget.LOOKUP, 5).allowed
    assert not budgets.spend(VIEWER, Budget.LOOKUP, 1).allowed
    assert budgets.counting_alone


def test_without_a_cache_url_budgets_stay_in_this_process():
    assert shared_budget_storage({}) == (None, b"")


def test_the_dashboard_counts_budgets_in_redis_when_the_cache_is_there(redis_server, monkeypatch):
    from a2e.ui.budget_notes import shared_budgets

    monkeypatch.setenv("A2E_CACHE_URL", redis_server.url)
    monkeypatch.setenv("A2E_CACHE_SECRET", SECRET)
    shared_budgets.clear()
    try:
        assert shared_budgets(FIVE_LOOKUPS).spend(VIEWER, Budget.LOOKUP, 2).allowed
    finally:
        shared_budgets.clear()
    assert budget_keys(redis_server.url)


def test_shared_budgets_without_a_key_are_refused_so_no_viewer_is_stored_guessably(
    redis_server,
):
    shared, _key = shared_budget_storage({"A2E_CACHE_URL": redis_server.url, **SECRET_SETTING})
    with pytest.raises(ValueError, match="key_secret"):
        Budgets(FIVE_LOOKUPS, shared=shared)


def test_an_allowed_spend_is_one_redis_call_and_never_spent_again_here(redis_server, monkeypatch):
    budgets = replica(redis_server.url)
    shared_limiter = budgets._shared
    assert shared_limiter is not None

    def count_fails(*_args: object) -> None:
        # Were the count read after the spend, Redis dropping then would fail it: no server
        # does that on cue, so the read is made to fail here.
        raise StorageError(ConnectionError("dropped"))

    monkeypatch.setattr(shared_limiter, "get_window_stats", count_fails)
    assert budgets.spend(VIEWER, Budget.LOOKUP, 5).allowed
    monkeypatch.undo()

    assert not budgets.counting_alone
    assert not budgets.spend(VIEWER, Budget.LOOKUP, 1).allowed, "the 5 were counted in Redis"
    local = budgets._local.get_window_stats(RateLimitItemPerMinute(5), "lookup", VIEWER)
    assert local.remaining == 5, "nothing was spent in this process's memory"
