"""Every page through Streamlit's AppTest, against the emulator (demo and server-token modes)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from a2e.core.kinds import KINDS
from a2e.sandbox import DEMO_TOKEN, Emulator
from a2e.sandbox.history import DEMO_KINDS
from a2e.sandbox.seeds import SEEDS
from a2e.ui.plain import plain
from tests.apptest_support import metric, open_page, table_ids

RESULT = "https://cdn.example.com/result.mp4"
TIMEOUT = 30
ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.usefixtures("entry_point_navigation")


@pytest.fixture(autouse=True)
def fresh_streamlit_caches(monkeypatch) -> Iterator[None]:
    monkeypatch.delenv("A2E_API_TOKEN", raising=False)
    monkeypatch.delenv("A2E_BASE_URL", raising=False)
    monkeypatch.delenv("A2E_SERVER_TOKEN_FOR", raising=False)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


@pytest.fixture
def server_token(monkeypatch, emulator: Emulator) -> Emulator:
    """The dashboard configured with a server-side token for the test emulator.

    AppTest has no network peer, so its viewer's address is unknown (a stranger): these tests
    share the server token with anyone, as ``A2E_SERVER_TOKEN_FOR=anyone`` does. The browser
    tests check that a viewer on this machine gets it without that setting.
    """
    monkeypatch.setenv("A2E_BASE_URL", emulator.base_url)
    monkeypatch.setenv("A2E_API_TOKEN", DEMO_TOKEN)
    monkeypatch.setenv("A2E_SERVER_TOKEN_FOR", "anyone")
    return emulator


def look_up_button(app: AppTest):
    return next(button for button in app.button if button.label == "Look up")


def test_with_no_token_the_lookup_page_opens_on_the_labelled_demo():
    app = open_page()
    assert not app.exception
    assert any("Demo data" in info.value for info in app.info)
    # The live demo's running task(s), every image-to-video demo task and one of each other
    # kind the demo account uses, each found as its own kind.
    frame = app.dataframe[0].value
    live = [name for name in frame["name"] if "live demo" in str(name)]
    assert 1 <= len(live) <= 3
    assert len(table_ids(app)) == len(live) + len(SEEDS["image2video"]) + len(DEMO_KINDS) - 1
    assert set(frame["kind"]) == {KINDS[kind].label for kind in DEMO_KINDS}
    assert metric(app, "Lookup errors") == "0"
    assert int(metric(app, "Completed")) >= 5


def test_ids_in_the_url_are_looked_up_in_order(server_token):
    first = server_token.add_task(status="pending", name="first")
    second = server_token.add_task(status="completed", result_url=RESULT, name="second")
    app = open_page(ids=f"{second},{first}")
    assert not app.exception
    assert table_ids(app) == [second, first]
    assert list(app.dataframe[0].value["status"]) == ["✓ completed", "↻ pending"]
    assert not any("Demo data" in info.value for info in app.info)


def test_pasted_text_is_parsed_and_invalid_pieces_are_listed_back(server_token):
    # With a server token the dashboard opens on Recent, whose list would warm the cache.
    app = open_page("pages/lookup.py")
    server_token.clear_requests()
    task_id = server_token.add_task(status="failed", failed_code="E1", failed_message="no face")
    app.text_area(key="ids_text").input(f"see {task_id}\nabc123\n")
    look_up_button(app).click().run()
    assert table_ids(app)[0] == task_id
    assert any("abc123" in warning.value for warning in app.warning)
    assert list(app.dataframe[0].value["outcome"]) == ["failed", "invalid_id"]
    assert server_token.count_requests() == 1


def test_a_wrong_viewer_token_shows_rejections_and_stops_auto_refresh_once_confirmed(
    server_token,
):
    task_id = server_token.add_task(status="pending")
    app = open_page(ids=task_id)
    app.sidebar.text_input(key="viewer_token").input("sk_wrong").run()
    look_up_button(app).click().run()
    frame = app.dataframe[0].value
    assert list(frame["reason"]) == ["token rejected (HTTP 401)"]
    assert not any("Auto-refresh stopped" in error.value for error in app.error)
    next(button for button in app.button if button.label == "Refresh now").click().run()
    assert any("Auto-refresh stopped" in error.value for error in app.error)


def test_check_token_shows_the_coin_balance(server_token):
    app = open_page()
    app.sidebar.button(key="check_token").click().run()
    assert [s.value for s in app.sidebar.success] == [
        f"Token works: {server_token.remaining_coins:,} coins left."
    ]


def test_check_token_names_a_rejection(server_token):
    app = open_page()
    app.sidebar.text_input(key="viewer_token").input("sk_wrong").run()
    app.sidebar.button(key="check_token").click().run()
    assert "token rejected \\(HTTP 401\\)" in app.sidebar.error[0].value


def test_refresh_now_fetches_only_what_is_not_final(server_token, monkeypatch):
    # Answers younger than the refresh floor are fresh enough; this test asks past it.
    monkeypatch.setattr("a2e.ui.live_view.REFRESH_NOW_MAX_AGE", 0.0)
    running = server_token.add_task(status="pending")
    done = server_token.add_task(status="completed", result_url=RESULT)
    app = open_page(ids=f"{running},{done}")
    server_token.set_task(running, current_status="completed", result_url=RESULT)
    next(b for b in app.button if b.label == "Refresh now").click().run()
    assert list(app.dataframe[0].value["outcome"]) == ["completed", "completed"]
    assert server_token.count_asked(done) == 1
    assert server_token.count_asked(running) == 2


def test_refresh_now_right_after_a_lookup_is_answered_from_the_shared_cache(server_token):
    running = server_token.add_task(status="pending")
    app = open_page(ids=running)
    next(b for b in app.button if b.label == "Refresh now").click().run()
    assert list(app.dataframe[0].value["outcome"]) == ["in_progress"]
    assert server_token.count_asked(running) == 1


def test_a_second_refresh_now_within_seconds_is_refused_with_a_message(server_token):
    app = open_page(ids=server_token.add_task(status="pending"))
    refresh_now = next(b for b in app.button if b.label == "Refresh now")
    refresh_now.click().run()
    next(b for b in app.button if b.label == "Refresh now").click().run()
    assert any("Refreshed a moment ago" in toast.value for toast in app.toast)


def test_the_kind_in_the_url_selects_that_kind(server_token):
    task_id = server_token.add_task(kind="face_swap", status="failed", faild_message="bad face")
    app = open_page(ids=task_id, kind="face_swap")
    assert app.selectbox(key="kind").value == "face_swap"
    assert list(app.dataframe[0].value["reason"]) == ["generation_failed: bad face"]


def test_the_failures_page_groups_the_demos_failed_tasks_by_code():
    app = open_page("pages/failures.py")
    assert not app.exception
    assert [h.value for h in app.subheader] == [
        "Failed tasks by failed_code",
        "Failed lookups by cause",
    ]
    groups = app.dataframe[0].value
    assert list(groups.columns[:3]) == ["failed_code", "tasks", "coins"]
    assert groups["tasks"].sum() >= 2


def test_the_failures_page_groups_lookup_errors_by_cause(server_token):
    failed = server_token.add_task(status="failed", failed_code="E9", failed_message="boom")
    app = open_page("pages/failures.py", ids=f"{failed},0123456789abcdef01234567")
    assert list(app.dataframe[0].value["failed_code"]) == ["E9"]
    labels = [expander.label for expander in app.expander]
    assert plain("E9: 1 task") in labels
    assert plain("Not found: 1 task") in labels
    said = " ".join(caption.value for caption in app.caption)
    assert "The failed tasks among the 2 tasks on the Lookup page" in said
    assert "see Overview" in said


def test_switching_to_the_failures_page_keeps_the_looked_up_tasks(server_token):
    failed = server_token.add_task(status="failed", failed_code="E5", failed_message="x")
    app = open_page(ids=failed)
    app.switch_page("pages/failures.py").run()
    assert not app.exception
    assert list(app.dataframe[0].value["failed_code"]) == ["E5"]
    assert server_token.count_asked(failed) == 1


def test_a_server_token_is_never_put_in_a_widget(server_token):
    app = open_page(ids=server_token.add_task(status="pending"))
    token_field = app.sidebar.text_input(key="viewer_token")
    assert token_field.value == ""
    assert "Server token in use" in token_field.placeholder
    assert DEMO_TOKEN not in str(app._tree)


def test_invalid_pieces_in_the_url_are_listed_back_and_not_sent(server_token):
    task_id = server_token.add_task(status="pending")
    app = open_page(ids=f"{task_id},nope123")
    assert table_ids(app) == [task_id, "nope123"]
    assert any("nope123" in warning.value for warning in app.warning)
    # One status call (and A2E's average run time, for the running task's ETA); nothing else.
    assert server_token.count_asked(task_id) == 1
    assert server_token.count_requests() == 1 + server_token.count_requests(
        path="/api/v1/userImage2Video/avgProcessingTime"
    )


def test_a_deployment_can_forbid_custom_servers(monkeypatch):
    monkeypatch.setenv("A2E_ALLOW_CUSTOM_SERVER", "0")
    app = open_page()
    assert app.sidebar.radio(key="server_choice").options == ["Demo", "Global", "China"]


def test_a_share_links_pieces_that_are_not_ids_are_named_as_plain_text_before_any_lookup():
    hostile = "[click](https://evil.example)"
    pieces = [hostile, *(f"bad{n}" for n in range(6))]
    app = open_page(ids=",".join(["0123456789abcdef01234567", *pieces]))
    [note] = [info.value for info in app.info if "This link holds" in info.value]
    assert "This link holds 1 shared task id." in note
    assert f"Not task ids, not looked up (7): {plain(hostile)}, " in note
    assert "bad3" in note
    assert "bad4" not in note
    assert note.endswith(" and 2 more.")


UNREACHABLE_REDIS = "redis://127.0.0.1:9/0"  # the discard port: nothing listens on loopback
CACHE_SECRET = "page-test-secret-0123456789abcdef"


def shared_store_notes(app: AppTest) -> list[str]:
    return [
        caption.value
        for caption in app.caption
        if "(Redis) are unreachable" in caption.value or "(Redis) is unreachable" in caption.value
    ]


def test_an_unreachable_shared_redis_is_noted_on_the_page_and_lookups_still_work(monkeypatch):
    monkeypatch.setenv("A2E_CACHE_URL", UNREACHABLE_REDIS)
    monkeypatch.setenv("A2E_CACHE_SECRET", CACHE_SECRET)
    app = open_page()
    app.run()  # the note follows the first request that met the outage
    assert not app.exception
    assert metric(app, "Lookup errors") == "0"
    [note] = shared_store_notes(app)
    assert "shared cache (Redis) is unreachable" in note
    assert "127.0.0.1:9" not in str(app._tree)


def test_budgets_counting_alone_are_noted_when_the_cache_itself_is_fine(monkeypatch):
    from a2e.access.budgets import Budgets

    # Only the budgets' side failing: no server does that on cue, so the state is set directly.
    monkeypatch.setattr(Budgets, "counting_alone", property(lambda _self: True))
    app = open_page()
    [note] = shared_store_notes(app)
    assert "budgets (Redis) are unreachable" in note
