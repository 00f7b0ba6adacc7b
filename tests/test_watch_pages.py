"""The dashboard's side of the watcher (AppTest, emulator): the Overview's history windows and
the Watch page, from a state the watcher really wrote."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import streamlit as st

from a2e.notify.targets import parse_target
from a2e.sandbox import DEMO_TOKEN, Emulator
from a2e.ui.plain import plain
from a2e.watch.db import open_state
from a2e.watch.history import read_history
from a2e.watch.loop import Watcher, WatchSettings
from a2e.watch.pokes import TEST_REQUEST
from tests.apptest_support import metric, open_page
from tests.conftest import make_client
from tests.watch_support import Receiver

pytestmark = pytest.mark.usefixtures("entry_point_navigation")


@pytest.fixture
def watched(tmp_path, monkeypatch) -> Iterator[tuple[Emulator, object, Receiver]]:
    """An emulator whose account a watcher followed once, and the dashboard set up to read it."""
    receiver = Receiver().start()
    with Emulator(history=40) as emulator:
        state = tmp_path / "watch.sqlite"
        watcher = Watcher(
            state,
            WatchSettings(kinds=("image2video",), interval=60),
            make_client(emulator.base_url),
            emulator.token,
            [parse_target(receiver.json_url)],
        ).start()
        try:
            watcher.poll()
        finally:
            watcher.stop()
        old = (datetime.now(UTC) - timedelta(days=200)).isoformat()
        connection = open_state(state)
        connection.execute(
            "INSERT INTO tasks (id, kind, outcome, status, name, created_at, first_seen, last_seen,"
            " settled) VALUES ('0123456789abcdef01234567', 'image2video', 'failed', 'failed',"
            " 'Gone from A2E', ?, 0, 0, 1)",
            (old,),
        )
        connection.close()
        for name, value in {
            "A2E_BASE_URL": emulator.base_url,
            "A2E_API_TOKEN": DEMO_TOKEN,
            "A2E_SERVER_TOKEN_FOR": "anyone",
            "A2E_HISTORY": str(state),
        }.items():
            monkeypatch.setenv(name, value)
        st.cache_data.clear()
        st.cache_resource.clear()
        yield emulator, state, receiver
    receiver.stop()


def test_the_history_keeps_tasks_a2e_lists_no_longer_return(watched):
    emulator, state, _ = watched
    tasks = read_history(state, ["image2video"]).tasks
    assert "0123456789abcdef01234567" in {task.id for task in tasks}
    assert {task.id for task in tasks} >= set(emulator.task_ids("image2video")[:40])


def test_the_overview_offers_all_time_from_the_history_and_says_so(watched):
    _, state, _ = watched
    app = open_page("pages/overview.py", window="all", kind="image2video")
    assert not app.exception
    assert not app.warning
    everything = len(read_history(state, ["image2video"]).tasks)
    assert metric(app, "Tasks") == f"{everything:,}"
    reading = next(c.value for c in app.caption if "tasks created in the window" in c.value)
    assert "· 0 list calls ·" in reading
    assert "from the watcher's history (A2E_HISTORY)" in reading


def test_the_overview_without_history_refuses_the_all_time_window(watched, monkeypatch):
    monkeypatch.delenv("A2E_HISTORY")
    app = open_page("pages/overview.py", window="all")
    assert not app.exception
    assert any("Unknown window" in w.value for w in app.warning)


def test_the_watch_page_shows_targets_and_asks_for_a_test_message(watched):
    _, state, receiver = watched
    app = open_page("pages/watch.py")
    assert not app.exception
    label = parse_target(receiver.json_url).label
    assert [h.value for h in app.subheader] == [plain(label)]
    next(b for b in app.button if b.label == "Send a test message").click().run()
    rows = open_state(state).execute("SELECT what FROM requests").fetchall()
    assert [row["what"] for row in rows] == [TEST_REQUEST]


def test_the_history_is_offered_only_on_the_server_token_for_its_own_server(watched):
    from a2e.ui.connection_model import Connection, TokenSource
    from a2e.ui.overview_history import history_offered

    emulator, _, _ = watched
    assert history_offered(Connection(emulator.base_url, DEMO_TOKEN, TokenSource.SERVER))
    assert not history_offered(Connection(emulator.base_url, "sk_other", TokenSource.VIEWER))
    assert not history_offered(Connection("https://video.a2e.ai", DEMO_TOKEN, TokenSource.SERVER))
    assert not history_offered(Connection(emulator.base_url, DEMO_TOKEN, TokenSource.DEMO))
