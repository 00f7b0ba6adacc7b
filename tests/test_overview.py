"""The overview of a window of tasks, ETAs and stuck tasks: figures from lists on the emulator."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from a2e.api.client import A2EClient
from a2e.api.errors import ServerFailed, TokenRejected
from a2e.cache.fetch import TaskCache
from a2e.core.kinds import KINDS, get_kind
from a2e.core.model import Task, TaskOutcome
from a2e.sandbox import Emulator, Fault
from a2e.views.eta import (
    AVG_TIME_FAILURE_TTL_SECONDS,
    AvgTimeCache,
    TypicalRun,
    duration_label,
    eta_of,
    typical_run,
)
from a2e.views.listing import listable_kinds
from a2e.views.overview import (
    WINDOWS,
    WindowRead,
    build_overview,
    per_period_frame,
    read_window,
)
from a2e.views.paging import Caps
from tests.conftest import make_client

I2V = "image2video"
NOW = datetime(2025, 3, 13, 12, 0, tzinfo=UTC)
TYPICAL = TypicalRun(300, "api")


@pytest.fixture
def client(emu: Emulator) -> Iterator[A2EClient]:
    with make_client(emu.base_url) as a2e_client:
        yield a2e_client


def task(
    n: int,
    outcome: TaskOutcome,
    age: timedelta,
    *,
    ran: timedelta | None = None,
    coins: float = 100,
    code: str | None = None,
) -> Task:
    created = NOW - age
    return Task(
        id=f"{n:024x}",
        kind=I2V,
        outcome=outcome,
        status=outcome.value,
        name=f"task {n}",
        coins=coins,
        created_at=created,
        finished_at=created + ran if ran is not None else None,
        failed_code=code,
        failed_message=f"why {code}" if code else None,
    )


def window(tasks: list[Task], span: timedelta) -> WindowRead:
    return WindowRead(tuple(tasks), NOW - span, NOW, calls=1)


# Reading a window


def test_a_24_hour_window_reads_only_the_pages_it_needs(emu, client):
    read = read_window(TaskCache(), client, emu.token, [I2V], WINDOWS["24h"])
    day_ago = read.now - timedelta(hours=24)
    assert read.calls == emu.count_requests() == 1
    assert read.tasks
    assert all(t.created_at and t.created_at >= day_ago for t in read.tasks)
    assert len(read.tasks) < len(emu.task_ids())
    assert read.cut_short == ()


def test_a_30_day_window_reads_every_task_of_the_month(emu, client):
    read = read_window(TaskCache(), client, emu.token, [I2V], WINDOWS["30d"])
    assert {t.id for t in read.tasks} == set(emu.task_ids())
    assert read.calls == 3


def test_the_cap_cuts_a_window_short_and_says_so(emu, client):
    caps = Caps(max_calls=2, max_tasks=2000, page_size=20)
    read = read_window(TaskCache(), client, emu.token, [I2V], WINDOWS["30d"], caps=caps)
    assert read.calls == 2
    assert len(read.tasks) == 40
    assert read.cut_short == ("Image to video: stopped at the cap of 2 list calls",)


def test_the_caps_are_shared_by_the_kinds_of_a_window_first_pages_first(emu, client):
    caps = Caps(max_calls=4, page_size=10)
    kinds = listable_kinds()
    read = read_window(TaskCache(), client, emu.token, kinds, WINDOWS["30d"], caps=caps)
    assert read.calls == emu.count_requests() == 4
    assert read.kinds == tuple(kinds[:4])
    assert read.cut_short[0] == "Image to video: stopped at the cap of 4 list calls"
    unread = [f"{KINDS[kind].label}: not read (the caps were reached)" for kind in kinds[4:]]
    assert list(read.cut_short[-len(unread) :]) == unread


def test_every_kinds_first_page_is_read_before_any_second_page(emu, client):
    kinds = listable_kinds()
    read = read_window(TaskCache(), client, emu.token, kinds, WINDOWS["30d"])
    assert set(read.kinds) == set(kinds)
    assert read.cut_short == ()
    assert read.calls == emu.count_requests() > len(kinds)
    first_pages = [path for _, path, _ in emu.request_log()][: len(kinds)]
    assert sorted(first_pages) == sorted(KINDS[kind].list_path for kind in kinds)


def test_kinds_with_no_task_are_named_empty():
    with Emulator(kinds=("image2video", "veo")) as few, make_client(few.base_url) as client:
        read = read_window(TaskCache(), client, few.token, listable_kinds(), WINDOWS["30d"])
    assert set(read.empty) == set(listable_kinds()) - {"image2video", "veo"}
    assert {task.kind for task in read.tasks} == {"image2video", "veo"}


def test_progress_reaches_the_end_of_the_window(emu, client):
    seen: list[tuple[int, int]] = []
    read_window(
        TaskCache(), client, emu.token, [I2V], WINDOWS["30d"], on_progress=lambda *p: seen.append(p)
    )
    assert seen[-1] == (3, 3)
    assert all(done <= expected for done, expected in seen)


def test_a_window_whose_first_page_fails_raises(emu, client):
    emu.inject(Fault.SERVER_ERROR)
    with pytest.raises(ServerFailed, match="HTTP 500"):
        read_window(TaskCache(), client, emu.token, [I2V], WINDOWS["7d"])


# The figures


def test_tasks_and_coins_per_day_are_counted_by_outcome():
    tasks = [
        task(1, TaskOutcome.COMPLETED, timedelta(hours=1), coins=100),
        task(2, TaskOutcome.COMPLETED, timedelta(hours=2), coins=50),
        task(3, TaskOutcome.FAILED, timedelta(days=1, hours=1), code="E1"),
        task(4, TaskOutcome.IN_PROGRESS, timedelta(minutes=5)),
    ]
    frame = per_period_frame(tasks, NOW - WINDOWS["7d"], NOW)
    today = frame[frame["period"] == datetime(2025, 3, 13, tzinfo=UTC)].set_index("outcome")
    yesterday = frame[frame["period"] == datetime(2025, 3, 12, tzinfo=UTC)].set_index("outcome")
    assert today.loc["Completed", "tasks"] == 2
    assert today.loc["Completed", "coins"] == 150
    assert today.loc["Running", "tasks"] == 1
    assert yesterday.loc["Failed", "tasks"] == 1
    assert frame["period"].nunique() == 8  # every day of the window, empty ones included
    assert frame["tasks"].sum() == 4


def test_a_24_hour_window_counts_by_hour_in_the_viewers_time_zone():
    tasks = [task(1, TaskOutcome.COMPLETED, timedelta(minutes=30))]
    tz = ZoneInfo("Asia/Kolkata")
    overview = build_overview(window(tasks, WINDOWS["24h"]), None, tz)
    counted = overview.per_period[overview.per_period["tasks"] > 0]
    assert overview.period == "hour"
    assert counted["period"].tolist() == [datetime(2025, 3, 13, 17, 0, tzinfo=tz)]


def test_success_rate_counts_only_finished_tasks():
    tasks = [
        task(1, TaskOutcome.COMPLETED, timedelta(hours=1)),
        task(2, TaskOutcome.COMPLETED, timedelta(hours=2)),
        task(3, TaskOutcome.COMPLETED, timedelta(hours=3)),
        task(4, TaskOutcome.FAILED, timedelta(hours=4), code="E1"),
        task(5, TaskOutcome.IN_PROGRESS, timedelta(minutes=1)),
    ]
    overview = build_overview(window(tasks, WINDOWS["7d"]), None)
    assert overview.success_rate == 0.75
    assert overview.counts == {"Completed": 3, "Failed": 1, "Running": 1, "Unknown": 0}
    assert build_overview(window([], WINDOWS["7d"]), None).success_rate is None


def test_top_failure_codes_come_with_counts_coins_and_a_message():
    tasks = [
        task(1, TaskOutcome.FAILED, timedelta(hours=1), code="timeout", coins=100),
        task(2, TaskOutcome.FAILED, timedelta(hours=2), code="timeout", coins=100),
        task(3, TaskOutcome.FAILED, timedelta(hours=3), code="moderation", coins=0),
        task(4, TaskOutcome.COMPLETED, timedelta(hours=4)),
    ]
    codes = build_overview(window(tasks, WINDOWS["7d"]), None).failure_codes
    assert codes.to_dict("records") == [
        {"code": "timeout", "tasks": 2, "coins": 200.0, "message": "why timeout"},
        {"code": "moderation", "tasks": 1, "coins": 0.0, "message": "why moderation"},
    ]


def test_running_tasks_are_bucketed_by_age_and_flagged_when_stuck():
    tasks = [
        task(1, TaskOutcome.IN_PROGRESS, timedelta(minutes=2)),
        task(2, TaskOutcome.IN_PROGRESS, timedelta(minutes=20)),
        task(3, TaskOutcome.IN_PROGRESS, timedelta(hours=3)),
    ]
    overview = build_overview(window(tasks, WINDOWS["24h"]), TypicalRun(300, "api"))
    assert overview.running["id"].tolist() == [f"{n:024x}" for n in (3, 2, 1)]
    assert overview.running["stuck"].tolist() == [True, True, False]
    assert overview.running["eta"].tolist()[2] == "expected by 12:03"
    by_age = overview.running_by_age.set_index("bucket")
    assert by_age["tasks"].tolist() == [1, 1, 0, 1, 0]
    assert by_age["stuck"].tolist() == [0, 1, 0, 1, 0]


# ETA


def test_the_apis_average_is_the_typical_run_when_it_has_one():
    tasks = [
        task(n, TaskOutcome.COMPLETED, timedelta(hours=n), ran=timedelta(minutes=n))
        for n in range(1, 6)
    ]
    assert typical_run(240, tasks) == TypicalRun(240, "api")
    assert typical_run(None, tasks) == TypicalRun(180, "observed", 5)
    assert typical_run(None, tasks[:2]) is None  # too few finished tasks to say


def test_failed_tasks_do_not_count_towards_the_observed_run_time():
    tasks = [
        task(n, TaskOutcome.FAILED, timedelta(hours=n), ran=timedelta(seconds=3))
        for n in range(1, 6)
    ]
    assert typical_run(None, tasks) is None


def test_a_running_task_is_expected_by_its_start_plus_the_typical_run():
    running = task(1, TaskOutcome.IN_PROGRESS, timedelta(minutes=2))
    eta = eta_of(running, TypicalRun(300, "api"), NOW)
    assert eta is not None
    assert (eta.expected_by, eta.running_for, eta.stuck) == (NOW + timedelta(minutes=3), 120, False)
    assert eta.label(ZoneInfo("Europe/Paris")) == "expected by 13:03"


def test_a_task_running_past_three_times_the_typical_run_is_stuck():
    slow = task(1, TaskOutcome.IN_PROGRESS, timedelta(minutes=16))
    eta = eta_of(slow, TypicalRun(300, "api"), NOW)
    nearly = eta_of(task(2, TaskOutcome.IN_PROGRESS, timedelta(minutes=14)), TYPICAL, NOW)
    assert eta is not None
    assert eta.stuck
    assert eta.label(UTC) == "stuck? (running 16 min)"
    assert nearly is not None
    assert not nearly.stuck


def test_no_eta_without_a_typical_run_or_for_a_finished_task():
    running = task(1, TaskOutcome.IN_PROGRESS, timedelta(minutes=2))
    assert eta_of(running, None, NOW) is None
    assert eta_of(task(2, TaskOutcome.COMPLETED, timedelta(1)), TypicalRun(300, "api"), NOW) is None


@pytest.mark.parametrize(
    ("seconds", "label"), [(45, "45 s"), (720, "12 min"), (3900, "1 h 5 min"), (187_200, "2 d 4 h")]
)
def test_durations_read_as_people_say_them(seconds, label):
    assert duration_label(seconds) == label


def test_a_task_made_to_run_long_is_stuck_in_the_overview(emu, client):
    long_one = emu.demo_ids()[9]
    emu.run_long(long_one, seconds=2 * 3600)
    read = read_window(TaskCache(), client, emu.token, [I2V], WINDOWS["7d"])
    typical = typical_run(AvgTimeCache().get(client, emu.token, I2V), read.tasks)
    overview = build_overview(read, typical)
    flagged = overview.running[overview.running["stuck"]]
    assert flagged["id"].tolist() == [long_one]
    assert flagged["eta"].iloc[0] == "stuck? (running 2 h 0 min)"
    assert typical == TypicalRun(180, "api")


def test_without_the_apis_average_the_median_of_listed_tasks_is_used(emu, client):
    emu.set_avg_time(shape="absent")
    read = read_window(TaskCache(), client, emu.token, [I2V], WINDOWS["30d"])
    typical = typical_run(AvgTimeCache().get(client, emu.token, I2V), read.tasks)
    assert typical is not None
    assert typical.source == "observed"
    assert 40 <= typical.seconds <= 900
    assert typical.label.endswith(f"(median of {typical.sample} finished tasks)")


# The average time's cache


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_the_average_time_is_asked_once_per_ten_minutes(emu, client):
    clock = Clock()
    cache = AvgTimeCache(clock=clock)
    path = get_kind(I2V).avg_time_path
    assert [cache.get(client, emu.token, I2V) for _ in range(3)] == [180, 180, 180]
    clock.now += 599
    cache.get(client, emu.token, I2V)
    assert emu.count_requests(path=path) == 1
    clock.now += 2
    cache.get(client, emu.token, I2V)
    assert emu.count_requests(path=path) == 2


def test_the_average_time_is_kept_per_token_and_a_failure_only_briefly(emu, client):
    now = [0.0]
    cache = AvgTimeCache(clock=lambda: now[0])
    assert cache.get(client, "sk_wrong", I2V) is None
    assert cache.get(client, emu.token, I2V) == 180
    emu.inject(Fault.BAD_GATEWAY_HTML, times=3)
    assert cache.get(client, emu.token, "face_swap") is None
    emu.clear_requests()
    # A failing server is not asked again on every rerun...
    assert cache.get(client, emu.token, "face_swap") is None
    assert emu.count_requests() == 0
    # ...but once the failure is a minute old, it is.
    now[0] += AVG_TIME_FAILURE_TTL_SECONDS + 1
    assert cache.get(client, emu.token, "face_swap") == 180


def test_a_kind_that_cannot_be_listed_is_named_and_the_others_are_read(emu, client):
    emu.set_list_shape("data_text", kind="face_swap")
    read = read_window(TaskCache(), client, emu.token, listable_kinds(), WINDOWS["24h"])
    assert "Face swap: task list could not be read: its data was text, not a task list" in (
        read.cut_short
    )
    assert {task.kind for task in read.tasks} >= {I2V, "dubbing"}
    assert "face_swap" not in {task.kind for task in read.tasks}


def test_a_window_where_every_kind_failed_raises(emu, client):
    with pytest.raises(TokenRejected):
        read_window(TaskCache(), client, "sk_wrong", listable_kinds(), WINDOWS["24h"])
