"""Sign-in, budgets and the audit trail through AppTest, against the emulator.

AppTest seeds ``st.user`` (``app.user``) and the secrets (``app.secrets``), so the sign-in gate
is tested here for each kind of viewer; the real provider and browser are in
``tests/browser/test_sign_in.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from a2e.access.budgets import Budget, BudgetSettings
from a2e.access.policy import NOT_ON_THIS_MACHINE
from a2e.cache.fetch import token_fingerprint
from a2e.sandbox import DEMO_TOKEN, Emulator
from a2e.ui.auth import UNKNOWN_HOST
from a2e.ui.budget_notes import shared_budgets
from a2e.ui.cached import shared_task_cache
from a2e.ui.plain import plain
from a2e.views.auto_kind import MAX_SEARCH_CALLS
from tests.apptest_support import ROOT, TIMEOUT, table_ids
from tests.test_app_pages import fresh_streamlit_caches, look_up_button  # noqa: F401 (autouse)

pytestmark = pytest.mark.usefixtures("entry_point_navigation")

AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "a-test-cookie-secret-of-some-length",
    "client_id": "a2e-dashboard",
    "client_secret": "test-client-secret",
    "server_metadata_url": "http://localhost:1/.well-known/openid-configuration",
}
ALICE = {"is_logged_in": True, "email": "alice@team.example", "email_verified": True}
SETTINGS_HERE = (
    "A2E_ALLOWED_HOSTS",
    "A2E_ALLOWED_USERS",
    "A2E_AUDIT_LOG",
    "A2E_BUDGET_LOOKUPS_PER_MINUTE",
    "A2E_BUDGET_TOKEN_CHECKS_PER_MINUTE",
    "A2E_BUDGET_LISTS_PER_MINUTE",
)


@pytest.fixture(autouse=True)
def no_access_settings_from_outside(monkeypatch) -> None:
    for name in SETTINGS_HERE:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def server_token(monkeypatch, emulator: Emulator) -> Emulator:
    """A server token for the emulator, with the default rule (this machine only)."""
    monkeypatch.setenv("A2E_BASE_URL", emulator.base_url)
    monkeypatch.setenv("A2E_API_TOKEN", DEMO_TOKEN)
    return emulator


@pytest.fixture
def audit_log(monkeypatch, tmp_path: Path) -> Path:
    path = tmp_path / "audit.jsonl"
    monkeypatch.setenv("A2E_AUDIT_LOG", str(path))
    return path


def open_app(*, user: dict[str, object] | None = None, sign_in: bool = False, **query: str):
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    if sign_in:
        app.secrets["auth"] = AUTH
    app.user = user if user is not None else {}
    for key, value in query.items():
        app.query_params[key] = value
    return app.run()


def button_labels(app: AppTest) -> list[str]:
    return [button.label for button in app.button]


def audit_lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_with_sign_in_a_signed_out_viewer_gets_only_a_log_in_button(server_token):
    task_id = server_token.add_task(status="pending")
    app = open_app(sign_in=True, ids=task_id)
    assert not app.exception
    assert button_labels(app) == ["Log in"]
    assert [info.value for info in app.info] == ["Sign in to use this dashboard."]
    assert not app.text_area
    assert not app.dataframe
    assert not app.sidebar.text_input
    assert server_token.count_requests() == 0


def test_with_sign_in_an_allowed_user_looks_up_with_the_server_token(server_token, monkeypatch):
    monkeypatch.setenv("A2E_ALLOWED_USERS", "@team.example")
    task_id = server_token.add_task(status="pending")
    app = open_app(sign_in=True, user=ALICE, ids=task_id)
    assert not app.exception
    assert table_ids(app) == [task_id]
    assert "Server token in use" in app.sidebar.text_input(key="viewer_token").placeholder
    assert f"Signed in as **{plain('alice@team.example')}**" in app.sidebar.caption[0].value
    assert "Log out" in [button.label for button in app.sidebar.button]


@pytest.mark.parametrize(
    ("user", "reason"),
    [
        ({"is_logged_in": True, "email": "mallory@elsewhere.example"}, "is not on this dashboard"),
        ({**ALICE, "email_verified": False}, "says alice@team.example is not verified"),
        ({**ALICE, "email_verified": 0}, "is not verified (email_verified is 0;"),
        ({**ALICE, "email_verified": "no"}, 'is not verified (email_verified is "no";'),
        ({"is_logged_in": True, "sub": "no-email"}, "did not include an email address"),
    ],
)
def test_with_sign_in_a_refused_user_sees_why_and_nothing_else(
    server_token, monkeypatch, user, reason
):
    monkeypatch.setenv("A2E_ALLOWED_USERS", "@team.example")
    task_id = server_token.add_task(status="pending")
    app = open_app(sign_in=True, user=user, ids=task_id)
    assert not app.exception
    assert [title.value for title in app.title] == ["Not allowed"]
    assert plain(reason) in app.error[0].value
    assert button_labels(app) == ["Log out"]
    assert not app.text_area
    assert not app.dataframe
    assert not app.sidebar.text_input
    assert server_token.count_requests() == 0


def test_without_sign_in_a_viewer_whose_address_is_unknown_does_not_get_the_server_token(
    server_token,
):
    task_id = server_token.add_task(status="pending")
    app = open_app(ids=task_id)
    assert "sk_" in app.sidebar.text_input(key="viewer_token").placeholder
    assert any(plain(NOT_ON_THIS_MACHINE) in info.value for info in app.info)
    assert server_token.count_requests() == 0


def test_a_session_whose_host_is_not_answered_sees_only_the_refusal(server_token, monkeypatch):
    # AppTest's session has no websocket request, so no Host: not a name the list answers.
    monkeypatch.setenv("A2E_ALLOWED_HOSTS", "dashboard.example.com")
    monkeypatch.setenv("A2E_SERVER_TOKEN_FOR", "anyone")
    task_id = server_token.add_task(status="pending")
    app = open_app(ids=task_id)
    assert not app.exception
    assert [title.value for title in app.title] == ["Not allowed"]
    assert [error.value for error in app.error] == [UNKNOWN_HOST]
    assert not app.text_area
    assert not app.dataframe
    assert not app.sidebar.text_input
    assert server_token.count_requests() == 0


def test_the_lookup_after_the_budget_is_spent_is_refused_with_a_message(
    server_token, monkeypatch, audit_log
):
    monkeypatch.setenv("A2E_BUDGET_LOOKUPS_PER_MINUTE", "2")
    monkeypatch.setenv("A2E_SERVER_TOKEN_FOR", "anyone")
    first, second, third = (server_token.add_task(status="failed") for _ in range(3))
    app = open_app(ids=first)
    app.text_area(key="ids_text").input(second)
    look_up_button(app).click().run()
    assert table_ids(app) == [second]
    look_up_button(app).click().run()  # answered by the cache: it costs nothing
    assert not app.warning
    app.text_area(key="ids_text").input(third)
    look_up_button(app).click().run()

    assert app.warning[0].value.startswith(
        "Not looked up: each viewer may send 2 status calls a minute (retries and Auto's "
        "tries of other kinds count); more frees up in "
    )
    assert server_token.count_requests() == 2
    assert table_ids(app) == [second]  # what was shown stays shown
    lines = audit_lines(audit_log)
    assert [(line["kind"], line["ids"], line["calls"], line["refused"]) for line in lines] == [
        ("lookup", 1, 1, None),
        ("lookup", 1, 1, None),
        ("lookup", 1, 0, None),
        ("lookup", 1, 0, "budget"),
    ]


UNKNOWN = [f"{0xDEF000000000000000000000 + n:024x}" for n in range(100)]


def charged_lookups(app: AppTest, per_minute: int) -> int:
    """How much of this session's status-call budget is spent (a spend larger than the whole
    budget is always refused, spends nothing, and says what is left)."""
    budgets = shared_budgets(BudgetSettings(lookups_per_minute=per_minute))
    probe = budgets.spend(app.session_state["_anonymous_viewer"], Budget.LOOKUP, per_minute + 1)
    return per_minute - probe.remaining


def open_lookup_of_unknown_ids(emulator: Emulator, audit_log: Path, per_minute: int) -> AppTest:
    """The Lookup page after Auto looked up ``UNKNOWN`` (the audit log and request log then
    hold that lookup alone)."""
    app = open_app()
    app.switch_page("pages/lookup.py").run()
    emulator.clear_requests()
    audit_log.unlink(missing_ok=True)
    app.session_state["charged_before"] = charged_lookups(app, per_minute)
    app.selectbox(key="kind").set_value("auto")  # Recent chose image2video: the form's kind
    app.text_area(key="ids_text").input("\n".join(UNKNOWN))
    look_up_button(app).click().run(timeout=120)
    return app


def test_auto_on_a_hundred_unknown_ids_is_charged_and_audited_as_the_requests_sent(
    server_token, monkeypatch, audit_log
):
    monkeypatch.setenv("A2E_BUDGET_LOOKUPS_PER_MINUTE", "3000")
    monkeypatch.setenv("A2E_SERVER_TOKEN_FOR", "anyone")
    app = open_lookup_of_unknown_ids(server_token, audit_log, 3000)

    sent = server_token.count_requests()
    (line,) = audit_lines(audit_log)
    # The first kind's one batch call, then Auto's passes within its cap in calls.
    assert len(UNKNOWN) < sent <= 1 + MAX_SEARCH_CALLS
    assert (line["ids"], line["calls"], line["refused"]) == (len(UNKNOWN), sent, None)
    assert charged_lookups(app, 3000) - app.session_state["charged_before"] == sent
    assert not [warning for warning in app.warning if "not looked up" in warning.value]


def test_auto_past_the_budget_sends_no_more_and_the_rows_and_page_say_why(
    server_token, monkeypatch, audit_log
):
    monkeypatch.setenv("A2E_BUDGET_LOOKUPS_PER_MINUTE", "250")
    monkeypatch.setenv("A2E_SERVER_TOKEN_FOR", "anyone")
    app = open_lookup_of_unknown_ids(server_token, audit_log, 250)

    (line,) = audit_lines(audit_log)
    sent = server_token.count_requests()
    assert sent == line["calls"] == 250 - app.session_state["charged_before"]
    assert charged_lookups(app, 250) == 250
    assert line["refused"] == "budget"
    (note,) = [w.value for w in app.warning if "not looked up" in w.value]  # said once
    assert note.startswith("100 tasks were not looked up: each viewer may send 250 status")
    reasons = set(app.dataframe[0].value["reason"])
    assert any(reason.startswith("not asked: each viewer may send 250") for reason in reasons)


def test_refresh_now_past_the_budget_is_refused_with_a_message(server_token, monkeypatch):
    monkeypatch.setenv("A2E_BUDGET_LOOKUPS_PER_MINUTE", "1")
    monkeypatch.setenv("A2E_SERVER_TOKEN_FOR", "anyone")
    task_id = server_token.add_task(status="pending")
    app = open_app(ids=task_id)
    # An answer younger than 3 s would be reused for free: as if it had aged, forget it.
    shared_task_cache().clear()
    next(b for b in app.button if b.label == "Refresh now").click().run()
    assert app.warning[0].value.startswith("Not refreshed: each viewer may send 1 status call")
    assert server_token.count_requests(task_id=task_id) == 1


def test_check_token_past_its_budget_is_refused_with_a_message(server_token, monkeypatch):
    monkeypatch.setenv("A2E_BUDGET_TOKEN_CHECKS_PER_MINUTE", "1")
    monkeypatch.setenv("A2E_SERVER_TOKEN_FOR", "anyone")
    app = open_app()
    app.sidebar.button(key="check_token").click().run()
    assert app.sidebar.success
    app.sidebar.button(key="check_token").click().run()
    assert app.sidebar.warning[0].value.startswith(
        "Not checked: each viewer may check a token once a minute"
    )


def test_audit_lines_name_the_viewer_and_token_source_and_hold_no_token(
    server_token, monkeypatch, audit_log
):
    monkeypatch.setenv("A2E_ALLOWED_USERS", "alice@team.example")
    task_id = server_token.add_task(status="completed", result_url="https://cdn.example.com/r.mp4")
    app = open_app(sign_in=True, user=ALICE, ids=task_id)
    app.sidebar.button(key="check_token").click().run()
    app.sidebar.text_input(key="viewer_token").input("sk_the_viewers_own").run()
    app.sidebar.button(key="check_token").click().run()

    lines = audit_lines(audit_log)
    assert [
        (line["user"], line["kind"], line["token_source"], line["outcomes"]) for line in lines
    ] == [
        ("alice@team.example", "lookup", "server", {"completed": 1}),
        ("alice@team.example", "token_check", "server", {"ok": 1}),
        ("alice@team.example", "token_check", "viewer", {"token": 1}),
    ]
    assert {line["server"] for line in lines} == {server_token.base_url}
    text = audit_log.read_text()
    for secret in (DEMO_TOKEN, "sk_the_viewers_own"):
        assert secret not in text
        assert token_fingerprint(secret) not in text


def test_a_viewer_without_sign_in_is_audited_under_an_anonymous_id(
    server_token, monkeypatch, audit_log
):
    monkeypatch.setenv("A2E_SERVER_TOKEN_FOR", "anyone")
    open_app(ids=server_token.add_task(status="pending"))
    lookup, average = audit_lines(audit_log)  # the running task's ETA asks the average once
    assert str(lookup["user"]).startswith("anon-")
    assert lookup["outcomes"] == {"in_progress": 1}
    assert (average["user"], average["outcomes"]) == (lookup["user"], {"avg_processing_time": 1})


def test_with_several_providers_the_sign_in_page_has_a_button_for_each(server_token):
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    app.secrets["auth"] = {
        "redirect_uri": AUTH["redirect_uri"],
        "cookie_secret": AUTH["cookie_secret"],
        "google": {k: AUTH[k] for k in ("client_id", "client_secret", "server_metadata_url")},
        "microsoft": {k: AUTH[k] for k in ("client_id", "client_secret", "server_metadata_url")},
    }
    app.user = {}
    app.run()
    assert button_labels(app) == ["Log in with Google", "Log in with Microsoft"]


def test_an_unknown_server_token_for_value_keeps_the_token_on_this_machine(
    server_token, monkeypatch
):
    monkeypatch.setenv("A2E_SERVER_TOKEN_FOR", "everyone")
    task_id = server_token.add_task(status="pending")
    app = open_app(ids=task_id)
    assert "sk_" in app.sidebar.text_input(key="viewer_token").placeholder
    assert server_token.count_requests() == 0


def test_a_budget_setting_that_is_not_a_number_keeps_the_default(server_token, monkeypatch):
    monkeypatch.setenv("A2E_BUDGET_LOOKUPS_PER_MINUTE", "lots")
    monkeypatch.setenv("A2E_SERVER_TOKEN_FOR", "anyone")
    task_id = server_token.add_task(status="pending")
    app = open_app(ids=task_id)
    assert table_ids(app) == [task_id]
    assert not app.warning
