"""A2E's webhook pushed to the viewer: a running task turns completed within 3 s of the
webhook, with the refresh interval at 60 s, and no viewer asks A2E again for it; with two
replicas on one Redis, the replica that took the webhook tells the other."""

from __future__ import annotations

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

HOOK_TOKEN = "whk_browser_7c1e9a3f5b2d"
RESULT = "https://cdn.example.com/result.mp4"
PUSHED_WITHIN_MS = 3_000


@pytest.fixture(scope="module")
def webhook_app(test_emulator: Emulator, streamlit_workdir: Path) -> Iterator[StreamlitApp]:
    """The dashboard with a server token for the test emulator and webhooks on."""
    settings = server_token_settings(test_emulator, A2E_WEBHOOK_TOKEN=HOOK_TOKEN)
    app = StreamlitApp("webhooks", settings, streamlit_workdir).start()
    yield app
    app.stop()


def send_webhook(app: StreamlitApp, body: object, token: str = HOOK_TOKEN) -> httpx.Response:
    return httpx.post(app.url + WEBHOOK_PATH, json=body, headers={HEADER: token}, timeout=10)


def test_a_running_task_turns_completed_within_3_s_of_its_webhook(
    page: Page, webhook_app: StreamlitApp, test_emulator: Emulator
):
    task_id = test_emulator.add_task(status="pending", name="Pushed task")
    page.goto(webhook_app.url + "/" + ids_query(task_id))
    expect(table_column(page, "Status")).to_have_text(["↻ pending"])
    expect(page.get_by_text("every 60 s")).to_be_visible()
    test_emulator.set_task(task_id, current_status="completed", result_url=RESULT)
    asked_before = test_emulator.count_requests(task_id=task_id)

    answer = send_webhook(webhook_app, {"event": "task.completed", "data": {"_id": task_id}})

    assert answer.status_code == 202
    expect(table_column(page, "Status")).to_have_text(["✓ completed"], timeout=PUSHED_WITHIN_MS)
    expect(page.get_by_text("Completed: Pushed task")).to_be_visible()
    # One confirmation on the server's token, and no viewer's refresh asked again.
    assert test_emulator.count_requests(task_id=task_id) == asked_before + 1


def test_a_forged_webhook_changes_nothing_on_the_page(
    page: Page, webhook_app: StreamlitApp, test_emulator: Emulator
):
    forged_for, real_for = (test_emulator.add_task(status="pending") for _ in range(2))
    page.goto(webhook_app.url + "/" + ids_query(forged_for, real_for))
    expect(table_column(page, "Status")).to_have_text(["↻ pending", "↻ pending"])
    for task_id in (forged_for, real_for):
        test_emulator.set_task(task_id, current_status="completed", result_url=RESULT)
    asked_before = test_emulator.count_requests(task_id=forged_for)

    forged = send_webhook(webhook_app, {"_id": forged_for}, token="whk_forged")
    real = send_webhook(webhook_app, {"_id": real_for})

    assert (forged.status_code, real.status_code) == (401, 202)
    # Once the genuine webhook shows, the forged one (sent first) has had its chance.
    expect(table_column(page, "Status")).to_have_text(["↻ pending", "✓ completed"])
    assert test_emulator.count_requests(task_id=forged_for) == asked_before


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
                asked_before = emulator.count_requests(task_id=task_id)

                answer = send_webhook(taking, {"_id": task_id})

                assert answer.status_code == 202
                expect(table_column(page, "Status")).to_have_text(
                    ["✓ completed"], timeout=PUSHED_WITHIN_MS
                )
                # Confirmed once, by the replica that took the webhook; the other asked nothing.
                assert emulator.count_requests(task_id=task_id) == asked_before + 1
                context.close()
    finally:
        redis.stop()
