"""The Recent page over A2E's whole catalogue (AppTest): families, All kinds, status filters."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import streamlit as st

from a2e.core.kinds import FAMILIES, KINDS, get_kind, kinds_in_family
from a2e.sandbox import DEMO_TOKEN, Emulator
from a2e.ui.plain import plain
from tests.apptest_support import open_page as open_app
from tests.apptest_support import table_ids
from tests.conftest import make_client
from tests.listing_support import serve_with_server_token

pytestmark = pytest.mark.usefixtures("entry_point_navigation")


@pytest.fixture
def server_token(account_dashboard: Emulator) -> Emulator:
    """The dashboard with a server token for the demo account (see ``tests.conftest``)."""
    return account_dashboard


@pytest.fixture
def few_kinds(monkeypatch) -> Iterator[Emulator]:
    """An account that uses only image to video and Veo."""
    with Emulator(kinds=("image2video", "veo")) as emulator:
        yield serve_with_server_token(monkeypatch, emulator)
    st.cache_resource.clear()


def list_calls(emulator: Emulator) -> int:
    paths = {kind.list_path for kind in KINDS.values()}
    return sum(1 for _, path, _ in emulator.request_log() if path in paths)


def test_the_kind_picker_groups_the_kinds_by_family(server_token):
    app = open_app()
    picker = next(box for box in app.selectbox if box.label == "Task kind")
    options = list(picker.options)
    assert options[0] == "All kinds"
    video = options.index(f"Video: all {len(kinds_in_family('video'))} kinds")
    image = options.index(f"Image: all {len(kinds_in_family('image'))} kinds")
    assert "Video › Veo 3.1" in options[video:image]
    assert "Image › Nano Banana" in options[image:]
    assert len(options) == 1 + len(FAMILIES) + len(KINDS)


def test_a_family_merges_its_kinds_first_pages(server_token):
    app = open_app(kind="image", page="1", size="50")
    assert not app.exception
    kinds = set(app.dataframe[0].value["kind"])
    labels = {KINDS[key].label for key in kinds_in_family("image")}
    assert kinds <= labels
    assert len(kinds) > 1
    assert list_calls(server_token) == len(kinds_in_family("image"))


def test_all_kinds_notes_a_kind_whose_list_call_this_server_lacks_and_shows_the_others(
    server_token,
):
    server_token.without_call(get_kind("veo").list_path or "")
    app = open_app(kind="all", page="1", size="50")
    captions = [caption.value for caption in app.caption]
    assert plain("Veo 3.1: the list call is not available on this server.") in captions
    assert len(table_ids(app)) == 50
    assert not app.error


def test_kinds_with_no_task_are_skipped_after_the_first_read(few_kinds):
    app = open_app(kind="all", page="1", size="50")
    assert list_calls(few_kinds) == len(KINDS)
    assert set(app.dataframe[0].value["kind"]) == {"Image to video", "Veo 3.1"}
    few_kinds.clear_requests()

    next(box for box in app.selectbox if box.label == "Per page").set_value(20).run()

    assert list_calls(few_kinds) == 2
    assert set(app.dataframe[0].value["kind"]) == {"Image to video", "Veo 3.1"}


def test_reload_list_asks_every_kind_again(few_kinds):
    app = open_app(kind="all", page="1", size="50")
    few_kinds.clear_requests()
    next(b for b in app.button if b.label == "Reload list").click().run()
    assert list_calls(few_kinds) == len(KINDS)


def test_a_list_a2e_filters_by_status_is_listed_with_that_status_and_its_total(server_token):
    with make_client(server_token.base_url) as client:
        every = client.list_tasks(DEMO_TOKEN, "nano_banana", 1, 100)
        failed = client.list_tasks(DEMO_TOKEN, "nano_banana", 1, 100, status="failed")
    assert every.total is not None
    assert failed.total is not None
    assert 0 < failed.total < every.total

    app = open_app(kind="nano_banana", status="failed", page="1", size="50")

    assert sorted(table_ids(app)) == sorted(task.id for task in failed.tasks)
    assert set(app.dataframe[0].value["status"]) == {"✗ failed"}
    assert f"**{failed.total} tasks** · page 1 of 1" in [m.value for m in app.markdown]
    captions = " ".join(caption.value for caption in app.caption)
    assert f"A2E filtered this list: {failed.total} failed tasks in all" in captions


def test_elsewhere_the_status_filters_the_page_shown(server_token):
    app = open_app(kind="veo", status="failed", page="1", size="50")
    captions = " ".join(caption.value for caption in app.caption)
    assert "the status filters the page shown" in captions
    assert "A2E filtered this list" not in captions


# The Overview of several kinds


def overview_of_all_kinds(emulator: Emulator):
    """The Overview (opened on one kind), then All kinds chosen: the session's first read of
    every kind."""
    app = open_app("pages/overview.py", window="30d")
    emulator.clear_requests()
    app.selectbox(key="overview_kind").set_value("all").run()
    return app


def test_the_overview_of_all_kinds_says_which_kinds_it_covered(few_kinds):
    app = overview_of_all_kinds(few_kinds)
    assert not app.exception
    assert list_calls(few_kinds) == len(KINDS)
    captions = [caption.value for caption in app.caption]
    empty = len(KINDS) - 2
    line = f"Covered {len(KINDS)} kinds: Image to video and Veo 3.1 have tasks, {empty} have none."
    assert plain(line) in captions


def test_the_overview_skips_kinds_with_no_task_after_the_first_read(few_kinds, monkeypatch):
    monkeypatch.setenv("A2E_BUDGET_LISTS_PER_MINUTE", "1000")  # each reading may cost 40 calls
    app = overview_of_all_kinds(few_kinds)
    few_kinds.clear_requests()

    app.segmented_control(key="overview_window").set_value("7d").run()

    assert list_calls(few_kinds) == 2
    captions = [caption.value for caption in app.caption]
    assert plain("Covered 2 kinds: Image to video and Veo 3.1.") in captions
