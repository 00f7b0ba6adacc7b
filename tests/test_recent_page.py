"""The Recent and Overview pages through Streamlit's AppTest, against an account with history."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from a2e.core.kinds import get_kind
from a2e.sandbox import DEMO_TOKEN, Emulator, Fault
from a2e.sandbox.credits import CREDITS_PATH
from a2e.ui.cached import shared_task_cache
from a2e.ui.plain import plain
from tests.apptest_support import metric, table_ids
from tests.apptest_support import open_page as open_app

TIMEOUT = 30
ROOT = Path(__file__).resolve().parents[1]
I2V = "image2video"
LIST_PATH = get_kind(I2V).list_path
AVG_PATH = "/api/v1/userImage2Video/avgProcessingTime"

pytestmark = pytest.mark.usefixtures("entry_point_navigation")


@pytest.fixture
def server_token(account_dashboard: Emulator) -> Emulator:
    """The dashboard with a server token for the demo account (see ``tests.conftest``)."""
    return account_dashboard


def markdown_texts(app: AppTest) -> list[str]:
    return [m.value for m in app.markdown]


def list_calls(emulator: Emulator) -> int:
    return emulator.count_requests(path=LIST_PATH)


def button(app: AppTest, label: str):
    return next(b for b in app.button if b.label == label)


def test_with_a_server_token_the_dashboard_opens_on_the_newest_page_with_the_total(server_token):
    app = open_app()
    assert not app.exception
    assert app.title[0].value == "Recent tasks"
    newest = server_token.task_ids(I2V)
    assert table_ids(app) == newest[:50]
    assert metric(app, "Tasks") == "50"
    pages = -(-len(newest) // 50)
    assert f"**{len(newest)} tasks** · page 1 of {pages}" in markdown_texts(app)
    assert dict(app.query_params) == {"kind": I2V, "page": "1", "size": "50"}


def test_one_list_call_shows_a_page_and_no_listed_final_task_is_asked_again(server_token):
    app = open_app()
    shown = table_ids(app)
    assert list_calls(server_token) == 1
    assert sum(server_token.count_requests(task_id=task_id) for task_id in shown) == 0
    # What else went out: A2E's average run time, for the running tasks' ETA.
    assert server_token.count_requests() == 1 + server_token.count_requests(path=AVG_PATH)


def test_a_rerun_of_the_same_page_costs_no_list_call(server_token):
    app = open_app()
    app.run()
    app.text_input(key="recent_search").input("sneaker").run()
    assert not app.exception
    assert list_calls(server_token) == 1


def test_page_and_size_in_the_url_show_tasks_21_to_40(server_token):
    app = open_app(page="2", size="20")
    assert table_ids(app) == server_token.task_ids(I2V)[20:40]
    assert any("· page 2 of" in text for text in markdown_texts(app))


def test_next_lists_page_two_with_one_list_call_and_keeps_it_in_the_url(server_token):
    app = open_app(size="20")
    server_token.clear_requests()
    button(app, "Next").click().run()
    assert table_ids(app) == server_token.task_ids(I2V)[20:40]
    assert list_calls(server_token) == 1
    assert app.query_params["page"] == "2"
    button(app, "Previous").click().run()
    assert table_ids(app) == server_token.task_ids(I2V)[:20]


def test_the_page_picker_goes_straight_to_a_page(server_token):
    app = open_app(size="20")
    app.number_input(key="recent_page").set_value(3).run()
    assert table_ids(app) == server_token.task_ids(I2V)[40:60]


def test_the_status_filters_the_page_shown_without_another_list_call(server_token):
    app = open_app(status="failed")
    listed = server_token.task_ids(I2V)[:50]
    outcomes = set(app.dataframe[0].value["outcome"])
    assert outcomes == {"failed"}
    assert set(table_ids(app)) < set(listed)
    assert any("the status filters the page shown" in c.value for c in app.caption)
    app.segmented_control(key="recent_status").set_value("all").run()
    assert table_ids(app) == listed
    assert list_calls(server_token) == 1


@pytest.mark.parametrize(
    ("query", "note"),
    [
        ({"size": "500"}, "Page size “500” is not a whole number from 10 to 100"),
        ({"page": "two"}, "Page “two” is not a page number"),
        ({"kind": "nope"}, "Unknown kind “nope”"),
        ({"status": "done"}, "Status “done” is not completed, failed or running"),
        ({"kind": "all", "page": "3"}, "Page 3 is not available for all kinds"),
    ],
)
def test_a_bad_value_in_the_url_falls_back_with_a_note(server_token, query, note):
    app = open_app(page=query.pop("page", "1"), **query)
    assert not app.exception
    warnings = [warning.value for warning in app.warning]
    assert any(plain(note) in warning for warning in warnings), warnings
    assert len(table_ids(app)) > 0


def test_a_page_past_the_end_shows_the_last_page_with_a_note(server_token):
    total = len(server_token.task_ids(I2V))
    app = open_app(page="99", size="50")
    last = -(-total // 50)
    assert any(f"showing page {last}" in warning.value for warning in app.warning)
    assert table_ids(app) == server_token.task_ids(I2V)[(last - 1) * 50 :]


def test_all_kinds_merges_every_kinds_first_page_newest_first(server_token):
    app = open_app(kind="all", page="1", size="20")
    frame = app.dataframe[0].value
    assert len(frame) == 20
    assert frame["kind"].nunique() > 1
    created = list(frame["created"])
    assert created == sorted(created, reverse=True)


def test_a_list_call_that_fails_is_one_clear_error_never_no_tasks(server_token):
    server_token.inject(Fault.SERVER_ERROR)
    app = open_app(page="1")
    errors = [error.value for error in app.error]
    assert len(errors) == 1
    assert "The image to video task list could not be read" in errors[0]
    assert not app.dataframe
    assert not any("No image to video tasks" in info.value for info in app.info)


def test_a_malformed_list_answer_is_a_clear_error(server_token):
    server_token.set_list_shape("data_text")
    app = open_app(page="1")
    assert "task list could not be read" in app.error[0].value
    assert not app.dataframe


def test_reload_list_asks_again_after_an_error(server_token):
    server_token.inject(Fault.SERVER_ERROR)
    app = open_app(page="1")
    assert app.error
    server_token.clear_faults()
    button(app, "Reload list").click().run()
    assert not app.error
    assert len(table_ids(app)) == 50


def test_an_empty_account_says_so(monkeypatch):
    with Emulator() as empty:
        for task_id in empty.task_ids(I2V):  # A2E's own DELETE call empties the account
            httpx.delete(
                f"{empty.base_url}/api/v1/userImage2Video/{task_id}",
                headers={"Authorization": f"Bearer {DEMO_TOKEN}"},
            ).raise_for_status()
        monkeypatch.setenv("A2E_BASE_URL", empty.base_url)
        monkeypatch.setenv("A2E_API_TOKEN", DEMO_TOKEN)
        monkeypatch.setenv("A2E_SERVER_TOKEN_FOR", "anyone")
        st.cache_resource.clear()
        app = open_app()
        st.cache_resource.clear()
    assert [info.value for info in app.info] == [
        "No image to video tasks on this account yet. Other kinds may hold some: try *All kinds*."
    ]
    assert "**0 tasks** · page 1 of 1" in markdown_texts(app)


def test_a_share_link_with_ids_still_opens_lookup_with_a_server_token(server_token):
    task_id = server_token.task_ids(I2V)[3]
    app = open_app(ids=task_id)
    assert app.title[0].value == "A2E task lookup"
    assert table_ids(app) == [task_id]


def test_the_page_chosen_at_the_first_run_stays_when_the_viewer_types_a_token(server_token):
    app = open_app()
    app.sidebar.text_input(key="viewer_token").input(DEMO_TOKEN).run()
    assert app.title[0].value == "Recent tasks"


def test_the_demo_opens_on_lookup_and_its_recent_page_lists_the_demo_account():
    st.cache_resource.clear()
    app = open_app()
    assert app.title[0].value == "A2E task lookup"
    app.switch_page("pages/recent.py").run()
    assert not app.exception
    assert any("Demo data" in info.value for info in app.info)
    assert metric(app, "Tasks") == "50"
    st.cache_resource.clear()


def test_the_kind_last_chosen_is_kept_when_coming_back(server_token):
    app = open_app()
    app.selectbox(key="recent_kind").set_value("face_swap").run()
    assert set(app.dataframe[0].value["kind"]) <= {"Face swap"}
    app.switch_page("pages/lookup.py").run()
    app.switch_page("pages/recent.py").run()
    assert app.selectbox(key="recent_kind").value == "face_swap"
    assert table_ids(app) == server_token.task_ids("face_swap")[:50]


def test_the_overview_counts_the_window_and_draws_its_charts(server_token):
    app = open_app("pages/overview.py", window="30d")
    assert not app.exception
    assert int(metric(app, "Tasks").replace(",", "")) == len(server_token.task_ids(I2V))
    titles = [json.loads(chart.proto.spec)["title"]["text"] for chart in app.get("vega_lite_chart")]
    assert titles[:4] == [
        "Tasks per day",
        "Success rate per day",
        "Coins per day",
        "Top failure codes",
    ]


def test_the_overview_flags_a_task_running_far_too_long(server_token):
    task_id = server_token.add_task(status="pending", name="Stuck render")
    server_token.run_long(task_id, 3600)
    app = open_app("pages/overview.py", window="24h")
    assert int(metric(app, "Stuck?")) >= 1
    running = app.dataframe[-1].value
    row = running[running["id"] == task_id].iloc[0]
    assert row["stuck"] == "stuck?"
    assert row["eta"].startswith("stuck? (running 1 h")


def choose_window(app: AppTest, window: str) -> AppTest:
    return app.segmented_control(key="overview_window").set_value(window).run()


def test_a_window_already_read_in_the_session_is_not_read_again(server_token):
    app = open_app("pages/overview.py", window="24h")
    for window in ("30d", "7d"):
        choose_window(app, window)
    read_once = list_calls(server_token)

    for window in ("24h", "30d", "7d", "24h"):
        choose_window(app, window)
        assert not app.exception
        assert metric(app, "Tasks")

    assert list_calls(server_token) == read_once
    button(app, "Read again").click().run()
    assert list_calls(server_token) > read_once  # Read again does read anew


def test_switching_windows_and_pages_quickly_is_charged_the_calls_made_never_a_cap(
    server_token, monkeypatch, tmp_path
):
    # The list calls of three windows and a page, and one reading of the credits history.
    monkeypatch.setenv("A2E_BUDGET_LISTS_PER_MINUTE", "16")
    audit = tmp_path / "audit.jsonl"
    monkeypatch.setenv("A2E_AUDIT_LOG", str(audit))
    app = open_app("pages/overview.py", window="24h")
    said = [message.value for message in [*app.warning, *app.error]]
    for window in ("30d", "7d"):
        choose_window(app, window)
        said += [message.value for message in [*app.warning, *app.error]]
        assert metric(app, "Tasks")
    app.switch_page("pages/recent.py").run()
    button(app, "Next").click().run()
    said += [message.value for message in [*app.warning, *app.error]]

    assert said == []
    assert table_ids(app) == server_token.task_ids(I2V)[50:100]
    lines = [json.loads(line) for line in audit.read_text().splitlines()]
    listed = [line for line in lines if line["kind"] in ("overview", "list", "credits")]
    sent = list_calls(server_token) + server_token.count_requests(path=CREDITS_PATH)
    assert sum(line["calls"] for line in listed) == sent <= 16


def test_an_overview_read_that_fails_is_one_clear_error(server_token):
    server_token.inject(Fault.SERVER_ERROR)
    app = open_app("pages/overview.py", window="7d")
    assert len(app.error) == 1
    assert "could not be read" in app.error[0].value
    assert not app.metric


def notes_of(app: AppTest) -> str:
    return " ".join(element.value for element in [*app.caption, *app.warning, *app.info])


def test_a_list_answer_with_more_rows_than_asked_shows_the_size_asked_and_says_so(server_token):
    server_token.send_whole_lists()
    newest = server_token.task_ids(I2V)
    app = open_app(page="1", size="50")
    assert table_ids(app) == newest[:50]
    assert plain(
        f"The server sent more rows than asked ({len(newest):,} for a page of 50): only the "
        "first 50 are kept."
    ) in notes_of(app)

    server_token.clear_requests()
    shared_task_cache().clear()  # answers younger than 3 s would be reused: as if they aged
    button(app, "Refresh now").click().run()
    shown = app.dataframe[0].value
    running = set(shown.loc[shown["outcome"] == "in_progress", "id"])
    asked = {request.task_id for request in server_token.request_log() if request.task_id}
    asked |= {task_id for ids in server_token.batch_calls() for task_id in ids}
    assert asked == running  # only what is shown is polled, never the rows beyond it


def test_fifty_copies_of_one_id_in_a_list_are_called_duplicates(server_token):
    first = server_token.task_ids(I2V)[0]
    server_token.repeat_in_lists(first, 50)
    app = open_app(page="1", size="100")
    assert list(app.dataframe[0].value["id"]).count(first) == 1
    said = notes_of(app)
    assert (
        plain("49 listed rows had a task id already listed (duplicates) and are not shown again.")
        in said
    )
    assert "no valid task id" not in said


def test_an_overview_of_a_server_that_ignores_the_page_size_stops_and_says_why(server_token):
    server_token.send_whole_lists()
    app = open_app()
    before = list_calls(server_token)
    app.switch_page("pages/overview.py").run()
    choose_window(app, "30d")
    assert not app.exception
    assert "the server sent more rows than asked" in app.warning[0].value
    assert list_calls(server_token) - before <= 2  # 7 days, then 30: one call each, no paging


def test_list_calls_past_the_viewers_budget_are_refused_and_not_sent(server_token, monkeypatch):
    monkeypatch.setenv("A2E_BUDGET_LISTS_PER_MINUTE", "1")
    app = open_app(page="1")
    assert len(table_ids(app)) == 50
    asked = list_calls(server_token)

    button(app, "Reload list").click().run()

    assert list_calls(server_token) == asked
    assert any("could not be read" in error.value for error in app.error)
    assert any("list" in error.value and "minute" in error.value for error in app.error)


# The Failures page over Recent's tasks


def failed_codes_of(app: AppTest) -> set[str]:
    return set(app.dataframe[0].value["failed_code"])


def test_the_failures_page_groups_the_recent_pages_failed_tasks_when_recent_was_seen(
    server_token,
):
    app = open_app()  # with a token, the dashboard opens on Recent
    shown = app.dataframe[0].value
    failed = shown[shown["outcome"] == "failed"]
    codes = {reason.split(":")[0] for reason in failed["reason"]}
    app.switch_page("pages/failures.py").run()
    assert not app.exception
    assert "Tasks from" not in [r.label for r in app.main.radio], "one page's tasks: no choice"
    assert len(failed) > 0
    assert metric(app, "Failed tasks") == str(len(failed))
    assert failed_codes_of(app) == codes
    said = " ".join(caption.value for caption in app.caption)
    assert "The failed tasks among the 50 tasks on the Recent page" in said


def test_with_both_pages_seen_the_failures_page_asks_which_and_starts_on_the_last_seen(
    server_token,
):
    app = open_app()  # Recent lists the account's newest 50, before the task below exists
    failed = server_token.add_task(status="failed", failed_code="E_LOOKUP_ONLY")
    app.switch_page("pages/lookup.py").run()
    app.text_area(key="ids_text").input(failed)
    button(app, "Look up").click().run()
    assert table_ids(app) == [failed]
    app.switch_page("pages/failures.py").run()

    source = app.radio(key="failures_source_lookup")
    assert source.value == "lookup"
    assert source.options == ["Lookup (1 task)", "Recent (50 tasks)"]
    assert failed_codes_of(app) == {"E_LOOKUP_ONLY"}

    source.set_value("recent").run()
    assert "E_LOOKUP_ONLY" not in failed_codes_of(app)
    assert "The failed tasks among the 50 tasks on the Recent page" in " ".join(
        c.value for c in app.caption
    )
