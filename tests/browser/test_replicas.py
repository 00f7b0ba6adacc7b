"""Two `streamlit run` replicas on one Redis, ten browser sessions, and the /metrics route.

With a shared cache, the replicas ask A2E once per running task per refresh interval however
many viewers each has; without one, each replica asks for itself (twice per interval).
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, expect

from a2e.sandbox import DEMO_TOKEN, Emulator
from tests.browser.conftest import (
    UI_TIMEOUT_MS,
    VIEWPORT,
    StreamlitApp,
    ids_query,
    metric,
    server_token_settings,
)
from tests.deploy_nginx import SERVED_BY, Nginx, require_nginx
from tests.redis_server import RedisServer, require_redis_server

CACHE_SECRET = "replica-test-secret-5e6f7a8b9c0d"
REDIS_PASSWORD = "replica-redis-password-1a2b3c"
INTERVAL = 10.0  # the dashboard's default auto-refresh interval
MEASURED_INTERVALS = 3
SESSIONS = 10


@pytest.fixture(scope="module")
def shared_redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    require_redis_server()
    server = RedisServer(tmp_path_factory.mktemp("redis"), password=REDIS_PASSWORD).start()
    yield server
    server.stop()


def replica_settings(emulator: Emulator, redis: RedisServer | None) -> dict[str, str]:
    settings = server_token_settings(emulator, A2E_METRICS="1")
    if redis is not None:
        settings |= {"A2E_CACHE_URL": redis.url, "A2E_CACHE_SECRET": CACHE_SECRET}
    return settings


@contextmanager
def running_replicas(
    name: str, settings: dict[str, str], workdir: Path, count: int = 2
) -> Iterator[list[StreamlitApp]]:
    """``count`` replicas of the dashboard with the same settings, stopped on the way out."""
    replicas: list[StreamlitApp] = []
    try:
        for number in range(count):
            replicas.append(StreamlitApp(f"{name}-{number}", settings, workdir).start())
        yield replicas
    finally:
        for replica in replicas:
            replica.stop()


def requests_per_task_per_interval(
    browser: Browser, replicas: list[StreamlitApp], emulator: Emulator
) -> float:
    """Open SESSIONS viewers across the replicas on three running tasks; count A2E's requests."""
    running = [emulator.add_task(status="pending", name=f"Rendering {n}") for n in range(3)]
    contexts = [browser.new_context(viewport=VIEWPORT) for _ in range(SESSIONS)]
    try:
        for number, context in enumerate(contexts):
            page = context.new_page()
            page.goto(replicas[number % len(replicas)].url + "/" + ids_query(*running))
            expect(metric(page, "Running")).to_have_text("3", timeout=UI_TIMEOUT_MS)
        emulator.clear_requests()
        time.sleep(INTERVAL * MEASURED_INTERVALS)  # the measurement itself: real time passing
        asked = [emulator.count_asked(task_id) for task_id in running]
    finally:
        for context in contexts:
            context.close()
    return sum(asked) / len(asked) / MEASURED_INTERVALS


def test_replicas_sharing_redis_ask_once_per_running_task_per_interval(
    browser: Browser, shared_redis: RedisServer, streamlit_workdir: Path
):
    with Emulator() as emulator:
        settings = replica_settings(emulator, shared_redis)
        with running_replicas("shared", settings, streamlit_workdir) as replicas:
            rate = requests_per_task_per_interval(browser, replicas, emulator)
    print(f"two replicas, one Redis, {SESSIONS} sessions: {rate:.2f} requests/task/interval")
    assert 0.6 <= rate <= 1.34


def test_replicas_without_a_shared_cache_each_ask_for_themselves(
    browser: Browser, streamlit_workdir: Path
):
    with Emulator() as emulator:
        settings = replica_settings(emulator, None)
        with running_replicas("separate", settings, streamlit_workdir) as replicas:
            rate = requests_per_task_per_interval(browser, replicas, emulator)
    print(f"two replicas, no Redis, {SESSIONS} sessions: {rate:.2f} requests/task/interval")
    assert rate >= 1.6


def test_metrics_move_after_a_lookup_and_hold_no_secret(
    browser: Browser, shared_redis: RedisServer, streamlit_workdir: Path
):
    with Emulator() as emulator:
        settings = replica_settings(emulator, shared_redis)
        with running_replicas("metrics", settings, streamlit_workdir, count=1) as [replica]:
            before = httpx.get(f"{replica.url}/metrics", timeout=10).text
            done = emulator.add_task(status="completed", name="Secret project name")
            context = browser.new_context(viewport=VIEWPORT)
            page = context.new_page()
            page.goto(replica.url + "/" + ids_query(done))
            expect(metric(page, "Completed")).to_have_text("1", timeout=UI_TIMEOUT_MS)
            after = httpx.get(f"{replica.url}/metrics", timeout=10)
            context.close()
    assert after.status_code == 200
    assert after.headers["content-type"].startswith("text/plain")
    lookups = 'a2e_upstream_lookups_total{kind="image2video",result="ok"}'
    assert sample(after.text, lookups) >= sample(before, lookups) + 1
    assert sample(after.text, 'a2e_tasks_seen_total{outcome="completed"}') >= 1
    assert sample(after.text, "a2e_redis_available") == 1
    assert sample(after.text, "a2e_active_sessions") >= 1
    for secret in (DEMO_TOKEN, CACHE_SECRET, REDIS_PASSWORD, done, "Secret project name"):
        assert secret not in after.text


def sample(text: str, name: str) -> float:
    """The value of one sample in Prometheus's text format (0 when absent)."""
    match = re.search(rf"^{re.escape(name)} (\S+)$", text, re.MULTILINE)
    return float(match.group(1)) if match else 0.0


def test_the_st_app_server_still_serves_streamlits_own_routes(
    shared_redis: RedisServer, streamlit_workdir: Path
):
    with Emulator() as emulator:
        settings = replica_settings(emulator, shared_redis)
        with running_replicas("routes", settings, streamlit_workdir, count=1) as [replica]:
            answers = {
                path: httpx.get(replica.url + path, timeout=10, follow_redirects=False)
                for path in ("/", "/_stcore/health", "/app/static/demo/source-1.png", "/auth/login")
            }
    assert answers["/"].status_code == 200
    assert answers["/_stcore/health"].text == "ok"
    assert answers["/app/static/demo/source-1.png"].headers["content-type"] == "image/png"
    assert answers["/auth/login"].status_code != 404


def test_metrics_are_not_served_unless_turned_on(server_token_app: StreamlitApp):
    answer = httpx.get(f"{server_token_app.url}/metrics", timeout=10)
    assert "a2e_upstream_lookups" not in answer.text


def test_nginx_keeps_each_browser_and_its_websocket_on_one_replica(
    browser: Browser, shared_redis: RedisServer, streamlit_workdir: Path, tmp_path: Path
):
    require_nginx()
    with Emulator() as emulator:
        done = emulator.add_task(status="completed")
        # Behind nginx every viewer is forwarded, so a stranger: this deployment shares the
        # server token explicitly (a team would configure sign-in instead).
        settings = replica_settings(emulator, shared_redis) | {"A2E_SERVER_TOKEN_FOR": "anyone"}
        with running_replicas("nginx", settings, streamlit_workdir) as replicas:
            nginx = Nginx(tmp_path, [replica.port for replica in replicas]).start()
            contexts = [browser.new_context(viewport=VIEWPORT) for _ in range(6)]
            try:
                served = [
                    open_through(context, nginx.url + "/" + ids_query(done)) for context in contexts
                ]
                sessions = {
                    f"127.0.0.1:{r.port}": sample(
                        httpx.get(f"{r.url}/metrics").text, "a2e_active_sessions"
                    )
                    for r in replicas
                }
            finally:
                for context in contexts:
                    context.close()
                nginx.stop()
    assert all(len(replicas_seen) == 1 for replicas_seen in served), served
    browsers_per_replica = dict.fromkeys(sessions, 0.0)
    for [address] in served:
        browsers_per_replica[address] += 1
    assert browsers_per_replica == sessions


def open_through(context: BrowserContext, url: str) -> set[str]:
    """Open the page; the replicas that answered its HTTP requests (as nginx reports them)."""
    seen: set[str] = set()
    page = context.new_page()
    page.on("response", lambda response: seen.add(response.headers.get(SERVED_BY.lower(), "")))
    page.goto(url)
    expect(metric(page, "Completed")).to_have_text("1", timeout=UI_TIMEOUT_MS)
    return seen - {""}
