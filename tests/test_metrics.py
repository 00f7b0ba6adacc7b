"""Prometheus metrics: counters that move with lookups, a route that is off unless turned on."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest
from prometheus_client import generate_latest
from starlette.requests import Request

from a2e.api.metrics import REGISTRY
from a2e.cache.fetch import TaskCache
from a2e.sandbox import Fault
from a2e.ui.server_routes import METRICS_PATH, server_routes
from tests.conftest import ONE_AT_A_TIME, make_client


def scrape() -> str:
    """What the /metrics route answers (called as Starlette calls it; served for real in
    tests/browser/test_replicas.py)."""
    [route] = [r for r in server_routes({"A2E_METRICS": "1"}) if r.path == METRICS_PATH]
    request = Request({"type": "http", "method": "GET", "path": "/metrics", "headers": []})
    # A thread of its own: Playwright's tests leave an event loop running in this one.
    with ThreadPoolExecutor(max_workers=1) as thread:
        answer = thread.submit(asyncio.run, route.endpoint(request)).result()  # type: ignore[attr-defined]
    assert answer.status_code == 200
    return bytes(answer.body).decode()


def sample(text: str, name: str) -> float:
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[-1])
    return 0.0


def test_lookups_move_the_upstream_cache_and_outcome_counters(emulator, token):
    ok = 'a2e_upstream_lookups_total{kind="image2video",result="ok"}'
    server = 'a2e_upstream_lookups_total{kind="image2video",result="server"}'
    hits = 'a2e_cache_lookups_total{result="hit"}'
    seen = 'a2e_tasks_seen_total{outcome="completed"}'
    before = scrape()
    done, broken = emulator.add_task(status="completed"), emulator.add_task()
    emulator.inject(Fault.SERVER_ERROR, task_id=broken)
    cache = TaskCache()

    with make_client(emulator.base_url, batch_size=ONE_AT_A_TIME) as client:
        cache.fetch(client, token, "image2video", [done, broken], max_age=60)
        cache.fetch(client, token, "image2video", [done], max_age=60)

    after = scrape()
    assert sample(after, ok) == sample(before, ok) + 1
    assert sample(after, server) == sample(before, server) + 1
    assert sample(after, hits) == sample(before, hits) + 1
    assert sample(after, seen) == sample(before, seen) + 2
    assert 'a2e_upstream_lookup_seconds_bucket{kind="image2video",le="300.0"}' in after
    for secret in (token, done, broken, emulator.base_url):
        assert secret not in after


def test_batch_calls_are_counted_by_kind_and_result(emulator, client, token):
    ok = 'a2e_upstream_batches_total{kind="veo",result="ok"}'
    unavailable = 'a2e_upstream_batches_total{kind="sora",result="unavailable"}'
    before = scrape()
    veo = [emulator.add_task(kind="veo", status="completed") for _ in range(3)]
    sora = [emulator.add_task(kind="sora", status="completed") for _ in range(3)]
    emulator.set_batch(kind="sora", refuse="not_found")

    TaskCache().fetch(client, token, "veo", veo, max_age=60)
    TaskCache().fetch(client, token, "sora", sora, max_age=60)

    after = scrape()
    assert sample(after, ok) == sample(before, ok) + 1
    assert sample(after, unavailable) == sample(before, unavailable) + 1
    for secret in (token, *veo, *sora, emulator.base_url):
        assert secret not in after


def paths(env: dict[str, str]) -> list[str]:
    return [route.path for route in server_routes(env)]  # type: ignore[attr-defined]


def test_the_metrics_route_is_off_unless_a2e_metrics_is_set():
    assert METRICS_PATH not in paths({})
    assert METRICS_PATH not in paths({"A2E_METRICS": "0"})
    assert paths({"A2E_METRICS": "1"}).count(METRICS_PATH) == 1
    # A viewer's export links have their route always (a2e.ui.export_links).
    assert "/a2e/export/{secret}/{file_name}" in paths({})


def test_a_shared_cache_without_its_secret_stops_the_server_at_start_with_a_clear_message():
    with pytest.raises(SystemExit) as stopped:
        server_routes({"A2E_CACHE_URL": "redis://:hunter2pass@cache:6379/0"})
    assert "A2E_CACHE_SECRET is required" in str(stopped.value)
    assert "hunter2pass" not in str(stopped.value)


def test_the_registry_is_the_dashboards_own():
    text = generate_latest(REGISTRY).decode()
    assert "a2e_upstream_lookups_total" in text
    assert "python_gc_objects_collected_total" not in text
