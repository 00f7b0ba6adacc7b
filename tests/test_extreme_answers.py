"""No answer crashes a page: a creation time at the calendar's end and an absurd average run.

A running task created ``9999-12-31T23:59:59Z``, and ``avgProcessingTime`` answering ``1e12``
(in every shape the emulator serves), fed through every page: Lookup, Recent, the Overview of
every window, and Failures. The task is shown with its creation time as given and no ETA; an
average beyond 30 days is no average.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta, timezone

import pytest

from a2e.core.model import Task, TaskOutcome
from a2e.sandbox import Emulator
from a2e.sandbox.list_answers import AVG_SHAPES
from a2e.ui.detail import times_line
from a2e.ui.overview import FUTURE
from a2e.views.eta import MAX_TYPICAL_SECONDS, TypicalRun, eta_of, typical_run
from a2e.views.overview import WINDOWS, WindowRead, build_overview
from a2e.views.tables import RowTiming, tasks_frame
from tests.apptest_support import open_page

pytestmark = pytest.mark.usefixtures("entry_point_navigation")

END_OF_TIME = "9999-12-31T23:59:59Z"
HUGE_AVERAGE = 1e12


@pytest.fixture(params=["end_of_time", *(f"average_{shape}" for shape in AVG_SHAPES)])
def extreme(request, account_dashboard: Emulator) -> tuple[str, str]:
    """(what, task id): a running task from the end of time, or a running task while A2E's
    average answers 1e12 seconds in one of its shapes."""
    if request.param == "end_of_time":
        task_id = account_dashboard.add_task(status="pending", name="Far", createdAt=END_OF_TIME)
        return request.param, task_id
    account_dashboard.set_avg_time(HUGE_AVERAGE, request.param.removeprefix("average_"))
    return request.param, account_dashboard.add_task(status="pending", name="Far")


def shown_row(app, task_id: str) -> dict[str, object]:
    frame = app.dataframe[0].value
    return frame[frame["id"] == task_id].iloc[0].to_dict()


def blank(value: object) -> bool:
    return value is None or value == "" or (isinstance(value, float) and math.isnan(value))


def check_row(app, what: str, task_id: str) -> None:
    assert not app.exception
    row = shown_row(app, task_id)
    assert row["status"] == "↻ pending"
    if what == "end_of_time":  # shown as given, with no age and no ETA
        assert blank(row["timing"])
        assert blank(row["age"])


def said(app) -> str:
    return " ".join(element.value for element in [*app.caption, *app.markdown])


def test_lookup_shows_the_task(extreme):
    what, task_id = extreme
    app = open_page("pages/lookup.py", ids=task_id)
    check_row(app, what, task_id)


def test_recent_shows_the_task(extreme):
    what, task_id = extreme
    app = open_page("pages/recent.py", status="running")
    check_row(app, what, task_id)


@pytest.mark.parametrize("window", list(WINDOWS))
def test_the_overview_of_every_window_is_drawn(extreme, window):
    what, task_id = extreme
    app = open_page("pages/overview.py", window=window)
    assert not app.exception
    assert not app.error
    running = app.dataframe[-1].value
    row = running[running["id"] == task_id].iloc[0]
    if what == "end_of_time":
        assert (row["eta"], row["running_for"]) == ("", FUTURE)
    assert "A2E's average" not in said(app)  # 1e12 seconds is no average


def test_failures_is_drawn(extreme, account_dashboard):
    _, task_id = extreme
    failed = account_dashboard.add_task(status="failed", failed_code="E_X")
    app = open_page("pages/lookup.py", ids=f"{task_id},{failed}")
    app.switch_page("pages/failures.py").run()
    assert not app.exception
    assert "E_X" in set(app.dataframe[0].value["failed_code"])


def test_the_end_of_time_is_shown_as_given(account_dashboard):
    task_id = account_dashboard.add_task(status="pending", createdAt=END_OF_TIME)
    app = open_page("pages/lookup.py", ids=task_id)
    created = shown_row(app, task_id)["created"]
    assert created.to_pydatetime() == datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)


# The rules themselves, without a page.

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def running(created_at: datetime) -> Task:
    return Task("a" * 24, "image2video", TaskOutcome.IN_PROGRESS, "pending", created_at=created_at)


def test_an_average_beyond_thirty_days_is_no_average():
    assert timedelta(days=30).total_seconds() == MAX_TYPICAL_SECONDS
    assert typical_run(MAX_TYPICAL_SECONDS + 1, []) is None
    assert typical_run(HUGE_AVERAGE, []) is None
    assert typical_run(MAX_TYPICAL_SECONDS, []) is not None


def test_a_median_beyond_thirty_days_is_no_typical_run():
    long_ago = NOW - timedelta(days=400)
    done = [
        Task(
            str(n) * 24, "image2video", TaskOutcome.COMPLETED, created_at=long_ago, finished_at=NOW
        )
        for n in range(3)
    ]
    assert typical_run(None, done) is None


def test_a_task_created_in_the_future_gets_no_eta():
    typical = typical_run(600.0, [])
    assert eta_of(running(NOW + timedelta(hours=1)), typical, NOW) is None
    assert eta_of(running(datetime.max.replace(tzinfo=UTC)), typical, NOW) is None
    assert eta_of(running(NOW - timedelta(minutes=1)), typical, NOW) is not None


def test_the_table_and_the_overview_take_the_end_of_time_in_every_time_zone():
    task = running(datetime.max.replace(tzinfo=UTC))
    frame = tasks_frame([task], NOW)
    assert frame.loc[0, "age"] == ""
    for zone in (timezone(timedelta(hours=14)), timezone(timedelta(hours=-12))):
        read = WindowRead((task,), NOW - WINDOWS["24h"], NOW, 1)
        overview = build_overview(read, typical_run(600.0, []), zone)
        assert list(overview.running["id"]) == [task.id]
        assert overview.running.loc[0, "eta"] == ""


def test_a_tasks_detail_line_takes_the_end_of_time_in_a_zone_ahead_of_utc():
    ahead = RowTiming(
        typical={"image2video": TypicalRun(600.0, "api")}, tz=timezone(timedelta(hours=14))
    )
    line = times_line(running(datetime.max.replace(tzinfo=UTC)), ahead)
    assert line == "Created 9999-12-31 23:59"  # as given (UTC): year 10000 does not exist


def test_a_task_a_little_ahead_of_our_clock_is_new_not_in_the_future():
    typical = typical_run(600.0, [])
    ahead = running(NOW + timedelta(seconds=30))  # the server's clock runs 30 s ahead
    eta = eta_of(ahead, typical, NOW)
    assert eta is not None
    assert eta.running_for == 0.0
    read = WindowRead((ahead,), NOW - WINDOWS["24h"], NOW, 1)
    assert build_overview(read, typical).running.loc[0, "running_for"] == 0.0
