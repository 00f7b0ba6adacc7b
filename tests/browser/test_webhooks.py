"""A2E's webhook pushed to the viewer: a running task turns completed within 3 s of the
webhook, with the refresh interval at 60 s, and no viewer asks A2E again for it; with two
replicas on one Redis, the replica that took the webhook tells the other. Behind
``A2E_ALLOWED_HOSTS``, a webhook under the hooks' public name is taken (and pokes the watcher
sharing the dashboard's state), one under any other name is refused."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from a2e.hooks.receipt import HEADER
from a2e.hooks.route import WEBHOOK_PATH
from a2e.sandbox import Emulator
from tests.browser.conftest import (
    VIEWPORT,
    StreamlitApp,
    ids_query,
    server_token_settings,
    table_column,
)
from tests.browser.test_replicas import replica_settings, running_replicas
from tests.redis_server import RedisServer, require_redis_server
from tests.test_watcher_pokes import poked

HOOK_TOKEN = "whk_browser_7c1e9a3f5b2d"
RESULT = "https://cdn.example.com/result.mp4"
PUSHED_WITHIN_MS = 3_000
HOOKS_HOST = "hooks.example.com"
POKED_WITHIN = 10.0


@pytest.fixture(scope="module")
def watch_state(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The watcher's state file the dashboard shares (no watcher runs: the test reads it)."""
    return tmp_path_factory.mktemp("watch-state") / "a2e-watch.sqlite"


@pytest.fixture(scope="module")
def webhook_app(
    test_emulator: Emulator, streamlit_workdir: Path, watch_state: Path
) -> Iterator[StreamlitApp]:
    """The dashboard with a server token for the test emulator and webhooks on, answering to
    loopback and the hooks' public name only, sharing a watcher's state."""
    settings = server_token_settings(
        test_emulator,
        A2E_WEBHOOK_TOKEN=HOOK_TOKEN,
        A2E_ALLOWED_HOSTS=f"127.0.0.1, {HOOKS_HOST}",
        A2E_HISTORY=str(watch_state),
    )
    app = StreamlitApp("webhooks", settings, streamlit_workdir).start()
    yield app
    app.stop()


def send_webhook(
    app: StreamlitApp, body: object, token: str = HOOK_TOKEN, host: str | None = None
) -> httpx.Response:
    headers = {HEADER: token} | ({"Host": host} if host else {})
    return httpx.post(app.url + WEBHOOK_PATH, json=body, headers=headers, timeout=10)


def poked_within(state: Path, seconds: float) -> list[tuple[str, str | None]]:
    """The pokes filed in the state, waiting up to ``seconds`` for the first."""
    deadline = time.monotonic() + seconds
    while not (found := poked(state)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return found


def test_a_webhook_under_the_hooks_public_name_pokes_the_watcher_with_its_kind(
    webhook_app: StreamlitApp, test_emulator: Emulator, watch_state: Path
):
    task_id = test_emulator.add_task(kind="veo", status="completed", result_url=RESULT)

    answer = send_webhook(webhook_app, {"data": {"_id": task_id}}, host=HOOKS_HOST)

    assert answer.status_code == 202
    assert poked_within(watch_state, POKED_WITHIN) == [(task_id, "veo")]


def test_a_webhook_under_a_name_not_allowed_is_refused_and_asks_nothing(
    webhook_app: StreamlitApp, test_emulator: Emulator, watch_state: Path
):
    task_id = test_emulator.add_task(status="completed", result_url=RESULT)

    answer = send_webhook(webhook_app, {"_id": task_id}, host="attacker.example")

    assert answer.status_code == 400
    assert test_emulator.count_asked(task_id) == 0
    assert poked(watch_state) == []


def test_a_running_task_turns_completed_within_3_s_of_its_webhook(
    page: Page, webhook_app: StreamlitApp, test_emulator: Emulator
):
    task_id = test_emulator.add_task(status="pending", name="Pushed task")
    page.goto(webhook_app.url + "/" + ids_query(task_id))
    expect(table_column(page, "Status")).to_have_text(["↻ pending"])
    expect(page.get_by_text("every 60 s")).to_be_visible()
    test_emulator.set_task(task_id, current_status="completed", result_url=RESULT)
    asked_before = test_emulator.count_asked(task_id)

    answer = send_webhook(webhook_app, {"event": "task.completed", "data": {"_id": task_id}})

    assert answer.status_code == 202
    expect(table_column(page, "Status")).to_have_text(["✓ completed"], timeout=PUSHED_WITHIN_MS)
    expect(page.get_by_text("Completed: Pushed task")).to_be_visible()
    # One confirmation on the server's token, and no viewer's refresh asked again.
    assert test_emulator.count_asked(task_id) == asked_before + 1


def test_a_forged_webhook_changes_nothing_on_the_page(
    page: Page, webhook_app: StreamlitApp, test_emulator: Emulator
):
    forged_for, real_for = (test_emulator.add_task(status="pending") for _ in range(2))
    page.goto(webhook_app.url + "/" + ids_query(forged_for, real_for))
    expect(table_column(page, "Status")).to_have_text(["↻ pending", "↻ pending"])
    for task_id in (forged_for, real_for):
        test_emulator.set_task(task_id, current_status="completed", result_url=RESULT)
    asked_before = test_emulator.count_asked(forged_for)

    forged = send_webhook(webhook_app, {"_id": forged_for}, token="whk_forged")
    real = send_webhook(webhook_app, {"_id": real_for})

    assert (forged.status_code, real.status_code) == (401, 202)
    # Once the genuine webhook shows, the forged one (sent first) has had its chance.
    expect(table_column(page, "Status")).to_have_text(["↻ pending", "✓ completed"])
    assert test_emulator.count_asked(forged_for) == asked_before


def test_a_webhook_to_one_replica_reaches_a_viewer_of_the_other_through_redis(
    browser: Browser, streamlit_workdir: Path, tmp_path_factory: pytest.TempPathFactory
):
    require_redis_server()
    redis = RedisServer(tmp_path_factory.mktemp("redis-hooks"), password="hooks-redis-pass").start()
    try:
        with Emulator() as emulator:
            settings = replica_settings(emulator, redis) | {"A2E_WEBHOOK_TOKEN": HOOK_TOKEN}
            with running_replicas("hooks", settings, streamlit_workdir) as (taking, showing):
                task_id = emulator.add_task(status="pending", name="Seen elsewhere")
                context = browser.new_context(viewport=VIEWPORT)
                page = context.new_page()
                page.goto(showing.url + "/" + ids_query(task_id))
                expect(table_column(page, "Status")).to_have_text(["↻ pending"])
                emulator.set_task(task_id, current_status="completed", result_url=RESULT)
                asked_before = emulator.count_asked(task_id)

                answer = send_webhook(taking, {"_id": task_id})

                assert answer.status_code == 202
                expect(table_column(page, "Status")).to_have_text(
                    ["✓ completed"], timeout=PUSHED_WITHIN_MS
                )
                # Confirmed once, by the replica that took the webhook; the other asked nothing.
                assert emulator.count_asked(task_id) == asked_before + 1
                context.close()
    finally:
        redis.stop()
