"""The dashboard's side of the watcher (AppTest, emulator): the Overview's history windows and
the Watch page, from a state the watcher really wrote."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import streamlit as st

from a2e.core.kinds import get_kind
from a2e.notify.targets import parse_target
from a2e.sandbox import DEMO_TOKEN, Emulator
from a2e.sandbox.faults import Fault
from a2e.ui.plain import plain
from a2e.watch.db import open_state
from a2e.watch.history import read_history
from a2e.watch.loop import Watcher, WatchSettings
from a2e.watch.pokes import TEST_REQUEST
from tests.apptest_support import metric, open_page
from tests.conftest import make_client
from tests.watch_support import Receiver, run_until_done, started

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


@pytest.mark.parametrize(
    ("window", "source"),
    [("90d", "the watcher's history (A2E_HISTORY)"), ("7d", "A2E's task lists")],
)
def test_each_overview_window_says_where_its_tasks_came_from(watched, window, source):
    app = open_page("pages/overview.py", window=window, kind="image2video")
    reading = next(c.value for c in app.caption if "tasks created in the window" in c.value)
    assert reading.split(" · from ")[1].startswith(source)


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


def test_the_watch_page_says_whether_the_watcher_took_a_test_message(watched):
    emulator, state, receiver = watched
    app = open_page("pages/watch.py")
    next(b for b in app.button if b.label == "Send a test message").click().run()
    assert any("not taken yet (is the watcher running?)" in c.value for c in app.caption)
    urls = [receiver.json_url]
    with started(watcher_on(emulator, state, urls, kinds=("image2video",))) as watcher:
        watcher.answer_pokes()
    app.run()
    assert any("queued for each target at" in c.value for c in app.caption)


def test_the_watch_page_shows_a_given_up_announcement_with_its_reason(watched):
    emulator, state, _ = watched
    refusing = Receiver(status=404).start()
    done = emulator.add_task(status="completed", name="Refused")
    watcher = watcher_on(emulator, state, [refusing.json_url], ids=(done,), until_done=True)
    try:
        assert run_until_done(watcher) == 1
    finally:
        refusing.stop()
    app = open_page("pages/watch.py")
    (row,) = app.dataframe[0].value.to_dict("records")
    assert row["announcement"].startswith("Completed: Refused (image to video)")
    assert (row["state"], row["reason"]) == ("given up", "refused with HTTP 404")


def test_the_watch_page_names_the_watchers_trouble_and_the_kinds_it_cannot_list(watched):
    emulator, state, receiver = watched
    emulator.without_call(get_kind("veo").list_path or "")
    watcher = watcher_on(emulator, state, [receiver.json_url], kinds=("image2video", "veo"))
    with started(watcher):
        watcher.poll()
        emulator.inject(Fault.AUTH_FAILURE)
        watcher.poll()
        watcher.poll()
    app = open_page("pages/watch.py")
    warnings = [w.value for w in app.warning]
    assert any(w.startswith(plain("A2E rejects the watcher's token since")) for w in warnings)
    assert (
        plain(
            "Veo 3.1: the list call is not available on this server, so new tasks of this kind are "
            "not seen (name their ids to watch them)."
        )
        in warnings
    )
    assert any("; next " in c.value for c in app.caption)


def test_the_watch_page_without_its_state_says_so_and_creates_none(watched, monkeypatch, tmp_path):
    missing = tmp_path / "nowhere.sqlite"
    monkeypatch.setenv("A2E_HISTORY", str(missing))
    app = open_page("pages/watch.py")
    assert not app.exception
    assert [e.value for e in app.error] == [plain("no watcher state at nowhere.sqlite")]
    assert not [b for b in app.button if b.label == "Send a test message"]
    assert not missing.exists()


def watcher_on(emulator: Emulator, state, urls: list[str], **settings: object) -> Watcher:
    """A watcher of ``emulator`` on ``state``, announcing to ``urls``, retrying fast."""
    return Watcher(
        state,
        WatchSettings(interval=60, retry_delays=(0.1,), **settings),  # type: ignore[arg-type]
        make_client(emulator.base_url),
        emulator.token,
        [parse_target(url) for url in urls],
    )
