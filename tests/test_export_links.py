"""Export links: the same link for a session at every run, made when asked, bound to a
connected session, expiring, holding nothing but a random secret (issue 13)."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.testclient import TestClient

from a2e.ui.export_links import EXPORT_LINKS, LINK_TTL_SECONDS, ExportLinks
from a2e.ui.server_routes import server_routes, session_connected
from a2e.ui.zip_route import browser_binding


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def secret_of(path: str) -> str:
    return path.split("/")[3]


def test_a_session_keeps_one_link_per_export_and_each_click_makes_the_file_then():
    links, rows = ExportLinks(), ["first"]
    path = links.offer("session-1", "lookup.csv", "a2e-tasks.csv", "text/csv", lambda: rows[0])
    rows[0] = "second"
    again = links.offer("session-1", "lookup.csv", "a2e-tasks.csv", "text/csv", lambda: rows[0])
    assert path == again
    assert path.startswith("/a2e/export/")
    assert path.endswith("/a2e-tasks.csv")
    assert len(secret_of(path)) >= 40
    export = links.take(secret_of(path), "a2e-tasks.csv")
    assert export is not None
    assert export.make() == "second"


def test_another_session_or_export_gets_another_link():
    links = ExportLinks()
    one = links.offer("session-1", "lookup.csv", "a2e-tasks.csv", "text/csv", str)
    other_session = links.offer("session-2", "lookup.csv", "a2e-tasks.csv", "text/csv", str)
    other_export = links.offer(
        "session-1", "lookup.json", "a2e-tasks.json", "application/json", str
    )
    assert len({one, other_session, other_export}) == 3


def test_a_link_expires_after_the_page_last_drew_it():
    clock = Clock()
    links = ExportLinks(clock=clock)
    path = links.offer("session-1", "lookup.csv", "a2e-tasks.csv", "text/csv", str)
    clock.now += LINK_TTL_SECONDS - 1
    links.offer("session-1", "lookup.csv", "a2e-tasks.csv", "text/csv", str)  # drawn again
    clock.now += LINK_TTL_SECONDS - 1
    assert links.take(secret_of(path), "a2e-tasks.csv") is not None
    clock.now += 2
    assert links.take(secret_of(path), "a2e-tasks.csv") is None


def test_a_link_answers_only_while_its_session_is_connected():
    connected = {"session-1"}
    links = ExportLinks(alive=lambda session: session in connected)
    path = links.offer("session-1", "lookup.csv", "a2e-tasks.csv", "text/csv", str)
    assert links.take(secret_of(path), "a2e-tasks.csv") is not None
    connected.clear()
    assert links.take(secret_of(path), "a2e-tasks.csv") is None
    connected.add("session-1")  # forgotten for good once found gone
    assert links.take(secret_of(path), "a2e-tasks.csv") is None


def test_a_link_serves_only_its_own_file_name_to_its_own_browser():
    links = ExportLinks()
    path = links.offer("session-1", "lookup.csv", "a2e-tasks.csv", "text/csv", str, "browser-1")
    assert links.take(secret_of(path), "a2e-tasks.csv", "browser-1") is not None
    assert links.take(secret_of(path), "a2e-tasks.csv", "browser-2") is None
    assert links.take(secret_of(path), "a2e-tasks.json", "browser-1") is None
    assert links.take("not-a-secret", "a2e-tasks.csv", "browser-1") is None


def test_the_route_downloads_the_file_and_answers_any_other_link_410_with_what_to_do():
    app = TestClient(Starlette(routes=server_routes({})))
    # The test client has no XSRF cookie: its browser is named by its address, "testclient".
    binding = browser_binding(None, "testclient")
    path = EXPORT_LINKS.offer(
        "route-test", "lookup.csv", "a2e-tasks.csv", "text/csv", lambda: "id\n", binding
    )
    EXPORT_LINKS.bind(lambda session: session == "route-test")
    try:
        answer = app.get(path)
        assert answer.status_code == 200
        assert answer.text == "id\n"
        assert answer.headers["content-disposition"] == 'attachment; filename="a2e-tasks.csv"'
        assert answer.headers["cache-control"] == "no-store"
        gone = app.get(path.replace(secret_of(path), "x" * 43))
        assert gone.status_code == 410
        assert "Press Export CSV or Export JSON on the dashboard again" in gone.text
    finally:
        EXPORT_LINKS.forget("route-test")
        EXPORT_LINKS.bind(session_connected)
