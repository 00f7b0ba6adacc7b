"""``A2EClient.list_tasks`` and ``avg_processing_time`` against the emulator over loopback."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace

import pytest

from a2e.api.answers import Envelope
from a2e.api.client import A2EClient
from a2e.api.errors import BadAnswer, LookupFailed, ServerFailed, TimedOut, TokenRejected
from a2e.api.lists import avg_seconds, list_call, read_list, task_page
from a2e.core.kinds import KINDS, get_kind
from a2e.core.model import LookupCause, TaskOutcome
from a2e.sandbox import Emulator, Fault
from a2e.views.listing import dropped_rows, more_rows_than_asked
from tests.conftest import make_client

I2V = "image2video"
LISTABLE = [kind.key for kind in KINDS.values() if kind.can_list]


@pytest.fixture
def client(emu: Emulator) -> Iterator[A2EClient]:
    with make_client(emu.base_url) as a2e_client:
        yield a2e_client


@pytest.fixture
def own() -> Iterator[tuple[Emulator, A2EClient]]:
    """An emulator of this test's own (its tasks can be changed), and a client for it."""
    with Emulator() as emulator, make_client(emulator.base_url) as a2e_client:
        yield emulator, a2e_client


# Paging


def test_page_two_of_twenty_is_tasks_21_to_40(emu, client):
    page = client.list_tasks(emu.token, I2V, page=2, size=20)
    assert [task.id for task in page.tasks] == emu.task_ids()[20:40]
    assert (page.page, page.size, page.total) == (2, 20, len(emu.task_ids()))


def test_the_first_page_is_the_newest_tasks_newest_first(emu, client):
    page = client.list_tasks(emu.token, I2V, 1, 50)
    times = [task.created_at for task in page.tasks]
    assert times == sorted(times, reverse=True)
    assert page.is_newest_first
    assert len(page.tasks) == 50


def test_the_last_page_is_short_and_says_so(emu, client):
    total = len(emu.task_ids())
    last = client.list_tasks(emu.token, I2V, total // 50 + 1, 50)
    assert len(last.tasks) == total % 50
    assert last.is_last
    assert not client.list_tasks(emu.token, I2V, 1, 50).is_last


def test_one_list_call_per_page(emu, client):
    client.list_tasks(emu.token, I2V, 3, 20)
    assert emu.count_requests(path=get_kind(I2V).list_path) == 1
    assert emu.count_requests() == 1


@pytest.mark.parametrize("kind", LISTABLE)
def test_every_listable_kind_pages_through_its_own_tasks(emu, client, kind):
    first, second = (client.list_tasks(emu.token, kind, n, 10) for n in (1, 2))
    assert [t.id for t in first.tasks + second.tasks] == emu.task_ids(kind)[:20]
    assert {task.kind for task in first.tasks} == {kind}


def test_a_kind_with_no_known_list_call_says_so():
    unlisted = replace(get_kind("custom_avatar"), listing=None)
    with pytest.raises(ValueError, match="no list call is known for custom avatar training"):
        list_call(unlisted, 1, 10)


@pytest.mark.parametrize(("page", "size"), [(0, 10), (1, 0), (1, 101)])
def test_a_page_or_size_out_of_range_is_refused(client, page, size):
    with pytest.raises(ValueError, match="page must be"):
        client.list_tasks("sk_any", I2V, page, size)


def test_the_list_call_puts_page_and_size_in_the_kinds_own_parameters():
    assert list_call(get_kind("face_swap"), 2, 10) == (
        "/api/v1/userFaceSwapTask/records?pageNum=2&pageSize=10"
    )
    assert (
        list_call(get_kind("avatar_video"), 3, 20) == "/api/v1/video/awsList?current=3&pageSize=20"
    )
    assert (
        list_call(get_kind(I2V), 1, 50)
        == "/api/v1/userImage2Video/allRecords?pageNum=1&pageSize=50"
    )


# Every tolerated shape


@pytest.mark.parametrize("container", ["rows", "list", "data", "bare"])
@pytest.mark.parametrize("total", ["count", "total", None])
def test_every_tolerated_list_shape_reads_the_same_tasks(emu, client, container, total):
    expected = [t.id for t in client.list_tasks(emu.token, I2V, 2, 20).tasks]
    emu.set_list_shape(container, total)
    page = client.list_tasks(emu.token, I2V, 2, 20)
    assert [task.id for task in page.tasks] == expected
    has_total = total is not None and container not in ("data", "bare")
    assert page.total == (len(emu.task_ids()) if has_total else None)


def test_a_total_given_as_text_is_read(emu, client):
    emu.set_list_shape("rows", "count", total_as_text=True)
    assert client.list_tasks(emu.token, I2V, 1, 10).total == len(emu.task_ids())


def test_without_a_total_a_full_page_may_have_more_and_a_short_one_is_last(emu, client):
    emu.set_list_shape("data", None)
    total = len(emu.task_ids())
    assert not client.list_tasks(emu.token, I2V, 1, 50).is_last
    assert client.list_tasks(emu.token, I2V, total // 50 + 1, 50).is_last


@pytest.mark.parametrize(
    ("container", "reason"),
    [
        ("data_text", "task list could not be read: its data was text, not a task list"),
        ("rows_object", "task list could not be read: its rows was an object, not a list"),
    ],
)
def test_a_malformed_list_answer_is_a_clear_error_not_an_empty_page(emu, client, container, reason):
    emu.set_list_shape(container)
    with pytest.raises(BadAnswer) as caught:
        client.list_tasks(emu.token, I2V)
    assert caught.value.message == reason
    assert caught.value.trace_id


def test_null_data_on_a_list_call_is_an_error_not_no_tasks(emu, client):
    emu.inject(Fault.NULL_DATA)
    with pytest.raises(BadAnswer, match="its data was null"):
        client.list_tasks(emu.token, I2V)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"items": []}, "it had no task list (data.rows, data.list or a list)"),
        ({"rows": "[]"}, "its rows was text, not a list"),
        ({"list": None, "total": 3}, "its list was null, not a list"),
        (42, "its data was a number, not a task list"),
    ],
)
def test_other_shapes_are_refused_with_what_was_wrong(data, message):
    with pytest.raises(BadAnswer, match=message.replace("(", r"\(").replace(")", r"\)")):
        task_page(get_kind(I2V), 1, 10, Envelope(data=data, trace_id=None))


def test_an_empty_account_is_an_empty_page_with_a_total_of_zero():
    for data in ({"rows": [], "count": 0}, {"rows": None, "count": 0}, []):
        page = task_page(get_kind(I2V), 1, 10, Envelope(data=data, trace_id=None))
        assert (page.tasks, page.skipped, page.is_last) == ((), 0, True)


def test_a_bare_list_is_read_only_from_a_200_answer():
    assert read_list(200, b' [{"_id": "x"}]', None).data == [{"_id": "x"}]
    with pytest.raises(ServerFailed):
        read_list(500, b"[]", None)
    with pytest.raises(BadAnswer, match="not valid JSON"):
        read_list(200, b"[1, 2", None)


# Rows read like status answers


def test_a_listed_row_reads_like_its_status_answer(own):
    emu, client = own
    hostile = "<img src=x onerror=alert(1)> ‮evil"
    task_id = emu.add_task(
        status="failed", name=hostile, coins="100", failed_code="E1", failed_message=hostile
    )
    listed = next(t for t in client.list_tasks(emu.token, I2V, 1, 10).tasks if t.id == task_id)
    looked_up = client.lookup(emu.token, task_id)
    fields = ("outcome", "status", "name", "coins", "created_at", "failed_code", "failed_message")
    assert [getattr(listed, f) for f in fields] == [getattr(looked_up, f) for f in fields]
    # Markup stays text; the bidi override that could flip "evil" is removed, as on lookups.
    assert listed.name == "<img src=x onerror=alert(1)> evil"


def test_rows_without_a_valid_id_are_skipped_and_counted(own):
    emu, client = own
    emu.add_task(status="completed", _id="not-a-task-id")
    emu.add_task(status="completed", _id=12345)
    page = client.list_tasks(emu.token, I2V, 1, 10)
    assert page.skipped == 2
    assert len(page.tasks) == 8
    assert page.rows == 10


def test_a_page_with_more_rows_than_asked_keeps_the_size_asked_and_counts_the_rest(emu, client):
    emu.send_whole_lists()
    newest = emu.task_ids(I2V)

    page = client.list_tasks(emu.token, I2V, 1, 50)

    assert [task.id for task in page.tasks] == newest[:50]
    assert (page.extra, page.rows, page.skipped, page.duplicates) == (
        len(newest) - 50,
        len(newest),
        0,
        0,
    )
    assert more_rows_than_asked(page) == (
        f"the server sent more rows than asked ({len(newest):,} for a page of 50): only the "
        "first 50 are kept"
    )


def test_fifty_copies_of_one_id_are_one_task_and_forty_nine_duplicates(own):
    emu, client = own
    first = emu.task_ids(I2V)[0]
    emu.repeat_in_lists(first, 50)

    page = client.list_tasks(emu.token, I2V, 1, 100)

    assert [task.id for task in page.tasks].count(first) == 1
    assert (page.duplicates, page.skipped, page.extra) == (49, 0, 0)
    assert dropped_rows(page.skipped, page.duplicates) == [
        "49 listed rows had a task id already listed (duplicates) and are not shown again"
    ]


def test_rows_missing_their_fields_become_unknown_rows_not_a_crash(emu, client):
    emu.inject(Fault.MISSING_FIELDS)
    page = client.list_tasks(emu.token, I2V, 1, 5)
    assert [t.outcome for t in page.tasks] == [TaskOutcome.LOOKUP_ERROR] * 5
    assert {t.error for t in page.tasks} == {"answer had no status"}
    assert [t.id for t in page.tasks] == emu.task_ids()[:5]


def test_rows_with_wrong_types_are_read_as_a_status_answer_would_be(emu, client):
    emu.inject(Fault.WRONG_TYPES, status="completed")
    page = client.list_tasks(emu.token, I2V, 1, 5)
    assert {t.outcome for t in page.tasks} == {TaskOutcome.COMPLETED}
    assert all(t.name == "20250313" and t.coins is not None for t in page.tasks)
    assert all(t.created_at is not None for t in page.tasks)


def test_listed_tasks_carry_their_last_change_and_finish(emu, client):
    tasks = client.list_tasks(emu.token, I2V, 1, 50).tasks
    finished = [t for t in tasks if t.is_final]
    running = [t for t in tasks if t.outcome is TaskOutcome.IN_PROGRESS]
    assert all(t.updated_at and t.finished_at == t.updated_at for t in finished)
    assert all(t.run_seconds is not None and t.run_seconds >= 0 for t in finished)
    assert running
    assert all(t.updated_at and t.finished_at is None for t in running)


def test_face_swap_rows_finish_at_their_completed_time(emu, client):
    tasks = client.list_tasks(emu.token, "face_swap", 1, 20).tasks
    completed = [t for t in tasks if t.outcome is TaskOutcome.COMPLETED]
    raw = [json.loads(t.raw_json or "{}") for t in completed]
    assert completed
    assert all(r["completed_time"] and r["processing_time"] and r["initialized_time"] for r in raw)
    finished = [t.finished_at.isoformat(timespec="milliseconds")[:23] for t in completed]  # type: ignore[union-attr]
    assert finished == [r["completed_time"][:23] for r in raw]


# Faults on list calls


def test_a_passing_server_error_on_a_list_call_is_retried(emu, client):
    emu.inject(Fault.SERVER_ERROR, times=1)
    assert len(client.list_tasks(emu.token, I2V, 1, 10).tasks) == 10
    assert emu.count_requests() == 2


@pytest.mark.parametrize(
    ("fault", "error", "message"),
    [
        (Fault.BAD_GATEWAY_HTML, ServerFailed, "HTTP 502 from server (HTML error page)"),
        (Fault.NOT_JSON, BadAnswer, "answer was not valid JSON"),
        (Fault.MALFORMED_JSON, BadAnswer, "answer was not valid JSON"),
        (Fault.EMPTY_BODY, BadAnswer, "answer was not valid JSON"),
        (Fault.OVERSIZED, BadAnswer, "answer was larger than 1 MiB"),
        (Fault.AUTH_FAILURE, TokenRejected, "token rejected (HTTP 401)"),
        (Fault.API_ERROR_CODE, ServerFailed, "A2E error (A2E code 1003: task query failed)"),
    ],
)
def test_a_failed_list_call_raises_a_lookup_failure_with_a_clear_message(
    emu, client, fault, error, message
):
    emu.inject(fault)
    with pytest.raises(error) as caught:
        client.list_tasks(emu.token, I2V)
    assert caught.value.message == message
    assert emu.token not in str(caught.value)


def test_a_wrong_token_is_rejected_on_a_list_call(emu, client):
    with pytest.raises(TokenRejected) as caught:
        client.list_tasks("sk_wrong", I2V)
    assert caught.value.cause is LookupCause.TOKEN


def test_a_hung_list_call_costs_one_timeout(emu):
    emu.inject(Fault.HANG, times=1)
    with make_client(emu.base_url, timeout=0.5) as client, pytest.raises(TimedOut):
        client.list_tasks(emu.token, I2V)


def test_a_list_answer_that_drips_past_the_timeout_is_cut(emu):
    emu.inject(Fault.SLOW_DRIP, chunk_size=64, chunk_delay=0.2)
    with make_client(emu.base_url, timeout=0.5) as client, pytest.raises(LookupFailed):
        client.list_tasks(emu.token, I2V, 1, 20)


# Average processing time


@pytest.mark.parametrize("shape", ["object", "seconds", "minutes", "milliseconds", "text"])
def test_the_average_processing_time_is_read_in_every_shape_as_seconds(emu, client, shape):
    emu.set_avg_time(240, shape)
    assert client.avg_processing_time(emu.token, I2V) == 240


@pytest.mark.parametrize("shape", ["null", "absent"])
def test_no_average_processing_time_is_none(emu, client, shape):
    emu.set_avg_time(240, shape, kind="face_swap")
    assert client.avg_processing_time(emu.token, "face_swap") is None


def test_a_kind_with_no_average_time_call_costs_no_request(emu, client):
    assert client.avg_processing_time(emu.token, "avatar_video") is None
    assert emu.count_requests() == 0


def test_a_rejected_token_on_the_average_time_call_raises(emu, client):
    with pytest.raises(TokenRejected):
        client.avg_processing_time("sk_wrong", I2V)


@pytest.mark.parametrize(
    ("data", "seconds"),
    [
        (180, 180),
        ("95.5", 95.5),
        (180_000, 180),
        ({"avg_time": 180, "count": 12}, 180),
        ({"count": 12, "avgMinutes": 4}, 240),
        ({"avg_time_ms": 90_000}, 90),
        ({"data": "n/a"}, None),
        (0, None),
        (-5, None),
        (True, None),
        ([180], None),
        (None, None),
    ],
)
def test_average_seconds_are_read_tolerantly(data, seconds):
    assert avg_seconds(data) == seconds


def test_a_failed_face_swap_without_a_completed_time_finishes_at_its_last_change():
    row = {
        "_id": "67d29023dd27a536fdf6e809",
        "current_status": "failed",
        "createdAt": "2025-03-13T07:58:27.863Z",
        "initialized_time": "2025-03-13T07:58:27.863Z",
        "processing_time": 1741852712000,
        "completed_time": "",
        "updatedAt": "2025-03-13T08:03:00.000Z",
    }
    page = task_page(get_kind("face_swap"), 1, 10, Envelope(data={"rows": [row]}, trace_id=None))
    failed = page.tasks[0]
    assert failed.updated_at == failed.finished_at
    assert failed.finished_at is not None
    assert failed.finished_at.isoformat() == "2025-03-13T08:03:00+00:00"
    assert failed.run_seconds == pytest.approx(272.137)


def test_a_running_task_has_a_last_change_but_no_finish():
    row = {"_id": "67d29023dd27a536fdf6e809", "current_status": "pending", "updatedAt": 1741852712}
    task = task_page(get_kind(I2V), 1, 10, Envelope(data=[row], trace_id=None)).tasks[0]
    assert task.updated_at is not None
    assert (task.finished_at, task.run_seconds) == (None, None)
