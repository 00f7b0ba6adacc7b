"""The Lookup page over every kind (AppTest): Auto, families and unknown kinds in a link."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import streamlit as st

from a2e.core.kinds import KINDS
from a2e.sandbox import DEMO_TOKEN, Emulator
from a2e.ui.plain import plain
from tests.apptest_support import open_page

pytestmark = pytest.mark.usefixtures("entry_point_navigation")


@pytest.fixture
def server_token(monkeypatch, emulator: Emulator) -> Iterator[Emulator]:
    monkeypatch.setenv("A2E_BASE_URL", emulator.base_url)
    monkeypatch.setenv("A2E_API_TOKEN", DEMO_TOKEN)
    monkeypatch.setenv("A2E_SERVER_TOKEN_FOR", "anyone")
    st.cache_data.clear()
    st.cache_resource.clear()
    yield emulator
    st.cache_resource.clear()


def kinds_shown(app) -> list[str]:
    return list(app.dataframe[0].value["kind"])


def test_auto_finds_new_kinds_in_a_share_link(server_token):
    veo = server_token.add_task(kind="veo", status="completed")
    nano = server_token.add_task(kind="nano_banana", status="completed")
    voice = server_token.add_task(kind="voice_clone", status="pendding")
    app = open_page(ids=f"{veo},{nano},{voice}")
    assert not app.exception
    assert kinds_shown(app) == ["Veo 3.1", "Nano Banana", "Voice clone training"]
    assert list(app.dataframe[0].value["status"]) == ["✓ completed", "✓ completed", "↻ pendding"]


def test_a_family_in_the_link_asks_only_its_kinds(server_token):
    nano = server_token.add_task(kind="nano_banana", status="completed")
    server_token.clear_requests()
    app = open_page(ids=nano, kind="image")
    assert kinds_shown(app) == ["Nano Banana"]
    asked = {path.split("/")[3] for _, path, task_id in server_token.request_log() if task_id}
    assert asked <= {
        KINDS[key].detail.path.split("/")[3] for key in KINDS if KINDS[key].family == "image"
    }


def test_an_unknown_kind_in_the_link_names_the_known_ones_and_looks_up_as_auto(server_token):
    veo = server_token.add_task(kind="veo", status="completed")
    app = open_page(ids=veo, kind="veo3")
    warnings = " ".join(warning.value for warning in app.warning)
    assert plain("Unknown kind 'veo3': use auto, all, a family (video") in warnings
    assert plain("nano_banana") in warnings
    assert list(app.dataframe[0].value["outcome"]) == ["completed"]
