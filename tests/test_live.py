"""Auto-refresh without Streamlit: what is polled, how answers merge, and the viewer's Board."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from a2e.core.model import LookupCause, Task, TaskOutcome, invalid_id, lookup_error
from a2e.views.board import TOKEN_DOUBT, TOKEN_REJECTED, Board
from a2e.views.live import RefreshResult, Transition, announcement, ids_to_poll, merge_refresh

EARLIER = datetime(2025, 3, 13, 8, 0, 0, tzinfo=UTC)
LATER = datetime(2025, 3, 13, 8, 0, 30, tzinfo=UTC)

RUN_ID = "67d29023dd27a536fdf6e801"
DONE_ID = "67d29023dd27a536fdf6e802"
FAIL_ID = "67d29023dd27a536fdf6e803"
LOOKUP_ID = "67d29023dd27a536fdf6e804"
SCOPE = ("https://video.a2e.ai", "fingerprint", "image2video")


def task(task_id: str, outcome: TaskOutcome, status: str | None, **fields: object) -> Task:
    return Task(id=task_id, kind="image2video", outcome=outcome, status=status, **fields)


RUNNING = task(
    RUN_ID,
    TaskOutcome.IN_PROGRESS,
    "processing",
    name="Beach walk",
    image_url="https://cdn.example.com/in.png",
    coins=100.0,
    trace_id="trace-first",
    fetched_at=EARLIER,
)
DONE = task(DONE_ID, TaskOutcome.COMPLETED, "completed", name="Sunset")
FAILED = task(FAIL_ID, TaskOutcome.FAILED, "failed", failed_code="E1", failed_message="no face")
LOOKUP = lookup_error(LOOKUP_ID, "image2video", "timed out after 15 s", LookupCause.NETWORK)
INVALID = invalid_id("not-an-id", "image2video")


def test_running_tasks_and_failed_lookups_are_polled_in_order():
    tasks = {t.id: t for t in (DONE, RUNNING, FAILED, LOOKUP, INVALID)}
    assert ids_to_poll(tasks) == [RUN_ID, LOOKUP_ID]


def test_finished_tasks_and_invalid_ids_are_never_polled():
    tasks = {t.id: t for t in (DONE, FAILED, INVALID)}
    assert ids_to_poll(tasks) == []


def test_a_task_that_finishes_during_a_refresh_is_announced_once_with_its_old_status():
    completed = task(RUN_ID, TaskOutcome.COMPLETED, "completed", name="Beach walk")
    result = merge_refresh({RUN_ID: RUNNING}, [completed])
    assert result.finished == (Transition(task=completed, previous_status="processing"),)
    assert result.tasks == {RUN_ID: completed}


def test_a_task_that_was_already_final_is_not_announced_again():
    failed_again = task(FAIL_ID, TaskOutcome.FAILED, "failed", failed_code="E1")
    result = merge_refresh({DONE_ID: DONE, FAIL_ID: FAILED}, [DONE, failed_again])
    assert result.finished == ()


def test_a_task_seen_for_the_first_time_is_added_but_not_announced():
    result = merge_refresh({}, [DONE])
    assert result.tasks == {DONE_ID: DONE}
    assert result.finished == ()


def test_a_task_still_running_is_updated_but_not_announced():
    further = task(RUN_ID, TaskOutcome.IN_PROGRESS, "rendering", progress=0.8)
    result = merge_refresh({RUN_ID: RUNNING}, [further])
    assert result.tasks[RUN_ID] == further
    assert result.finished == ()


def test_a_task_that_finishes_after_a_failed_lookup_is_announced():
    blip = lookup_error(RUN_ID, "image2video", "timed out", LookupCause.NETWORK)
    after_blip = merge_refresh({RUN_ID: RUNNING}, [blip]).tasks
    failed = task(RUN_ID, TaskOutcome.FAILED, "failed", failed_message="no face")
    result = merge_refresh(after_blip, [failed])
    assert result.finished == (Transition(task=failed, previous_status="processing"),)


def test_a_failed_lookup_keeps_what_was_known_and_records_the_error():
    blip = Task(
        id=RUN_ID,
        kind="image2video",
        outcome=TaskOutcome.LOOKUP_ERROR,
        error="server answered HTTP 502",
        error_cause=LookupCause.SERVER,
        http_status=502,
        fetched_at=LATER,
    )
    merged = merge_refresh({RUN_ID: RUNNING}, [blip]).tasks[RUN_ID]
    assert merged.outcome is TaskOutcome.LOOKUP_ERROR
    assert (merged.name, merged.image_url, merged.status, merged.coins) == (
        "Beach walk",
        "https://cdn.example.com/in.png",
        "processing",
        100.0,
    )
    assert (merged.error, merged.error_cause, merged.http_status) == (
        "server answered HTTP 502",
        LookupCause.SERVER,
        502,
    )
    assert merged.trace_id == "trace-first"
    assert merged.fetched_at == LATER


def test_a_failed_lookup_with_its_own_trace_id_replaces_the_earlier_one():
    blip = lookup_error(RUN_ID, "image2video", "bad", LookupCause.BAD_ANSWER, trace_id="trace-2")
    merged = merge_refresh({RUN_ID: RUNNING}, [blip]).tasks[RUN_ID]
    assert merged.trace_id == "trace-2"


def test_a_failed_lookup_of_an_unknown_or_invalid_id_is_kept_as_it_came():
    unknown = lookup_error(LOOKUP_ID, "image2video", "not found", LookupCause.NOT_FOUND)
    on_invalid = lookup_error(INVALID.id, "image2video", "not found", LookupCause.NOT_FOUND)
    result = merge_refresh({INVALID.id: INVALID}, [unknown, on_invalid])
    assert result.tasks == {INVALID.id: on_invalid, LOOKUP_ID: unknown}


def test_merging_keeps_earlier_ids_first_and_does_not_change_the_current_mapping():
    current = {DONE_ID: DONE, RUN_ID: RUNNING}
    result = merge_refresh(current, [LOOKUP, FAILED])
    assert list(result.tasks) == [DONE_ID, RUN_ID, LOOKUP_ID, FAIL_ID]
    assert current == {DONE_ID: DONE, RUN_ID: RUNNING}


def test_a_refused_token_is_flagged():
    refused = lookup_error(RUN_ID, "image2video", "token rejected", LookupCause.TOKEN)
    assert merge_refresh({RUN_ID: RUNNING}, [refused]).token_rejected is True


def test_other_failed_lookups_do_not_flag_the_token():
    result = merge_refresh({RUN_ID: RUNNING}, [LOOKUP, DONE])
    assert result.token_rejected is False


@pytest.mark.parametrize(
    ("finished", "note"),
    [
        (
            task(RUN_ID, TaskOutcome.COMPLETED, "completed", name="Beach walk"),
            "Completed: Beach walk",
        ),
        (task(RUN_ID, TaskOutcome.COMPLETED, "completed"), f"Completed: {RUN_ID}"),
        (
            task(RUN_ID, TaskOutcome.FAILED, "failed", failed_code="E1", failed_message="no face"),
            f"Failed: {RUN_ID} (no face)",
        ),
        (task(RUN_ID, TaskOutcome.FAILED, "failed", failed_code="E1"), f"Failed: {RUN_ID} (E1)"),
        (task(RUN_ID, TaskOutcome.FAILED, "error"), f"Failed: {RUN_ID} (error)"),
        (task(RUN_ID, TaskOutcome.FAILED, None), f"Failed: {RUN_ID} (failed)"),
    ],
)
def test_announcements_name_the_task_and_why_it_failed(finished, note):
    assert announcement(Transition(task=finished, previous_status="processing")) == note


@pytest.fixture
def frozen_time(monkeypatch):
    monkeypatch.setattr(time, "time", lambda: 1_700_000_000.0)


def test_showing_a_lookup_replaces_the_board_contents(frozen_time):
    board = Board(scope=SCOPE, kind="image2video", tasks={FAIL_ID: FAILED})
    board.show((RUN_ID, DONE_ID), ("junk",), [RUNNING, DONE])
    assert board.order == (RUN_ID, DONE_ID)
    assert board.rejected == ("junk",)
    assert board.tasks == {RUN_ID: RUNNING, DONE_ID: DONE}
    assert board.updated_at == 1_700_000_000.0
    assert board.polling_stopped is None


def test_showing_a_lookup_whose_token_was_refused_puts_the_token_in_doubt_and_keeps_asking():
    refused = lookup_error(RUN_ID, "image2video", "token rejected", LookupCause.TOKEN)
    board = Board(scope=SCOPE, kind="image2video")
    board.show((RUN_ID,), (), [refused])
    assert (board.polling_stopped, board.token_doubt) == (None, TOKEN_DOUBT)
    assert board.pollable() == [RUN_ID]
    board.apply(merge_refresh(board.tasks, [refused]))
    assert board.polling_stopped == TOKEN_REJECTED == "the token was rejected"
    assert board.pollable() == []


def test_a_new_lookup_with_an_accepted_token_restarts_polling():
    board = Board(scope=SCOPE, kind="image2video", polling_stopped=TOKEN_REJECTED)
    board.show((RUN_ID,), (), [RUNNING])
    assert board.polling_stopped is None


def test_two_refreshes_in_a_row_with_a_refused_token_stop_polling(frozen_time):
    board = Board(scope=SCOPE, kind="image2video")
    board.show((RUN_ID,), (), [RUNNING])
    refused = lookup_error(RUN_ID, "image2video", "token rejected", LookupCause.TOKEN)
    board.apply(merge_refresh(board.tasks, [refused]))
    assert board.polling_stopped is None
    board.apply(merge_refresh(board.tasks, [refused]))
    assert board.polling_stopped == TOKEN_REJECTED
    assert board.tasks[RUN_ID].name == "Beach walk"
    assert board.tasks[RUN_ID].error_cause is LookupCause.TOKEN
    assert board.updated_at == 1_700_000_000.0


def test_a_refresh_that_asked_nothing_does_not_restart_stopped_polling():
    board = Board(scope=SCOPE, kind="image2video", polling_stopped=TOKEN_REJECTED)
    board.apply(RefreshResult(tasks={DONE_ID: DONE}, finished=(), token_rejected=False))
    assert board.polling_stopped == TOKEN_REJECTED
    assert board.tasks == {DONE_ID: DONE}


def test_an_answer_the_token_got_clears_a_stop():
    board = Board(scope=SCOPE, kind="image2video", polling_stopped=TOKEN_REJECTED)
    board.apply(merge_refresh({RUN_ID: RUNNING}, [RUNNING]))
    assert (board.polling_stopped, board.token_doubt) == (None, None)


def test_board_rows_follow_the_requested_order_then_the_rejected_pieces():
    board = Board(scope=SCOPE, kind="image2video")
    board.show((DONE_ID, RUN_ID, FAIL_ID), ("junk", "x1"), [FAILED, RUNNING, DONE])
    rows = board.rows()
    assert [row.id for row in rows] == [DONE_ID, RUN_ID, FAIL_ID, "junk", "x1"]
    assert rows[3:] == [invalid_id("junk", "image2video"), invalid_id("x1", "image2video")]


def test_board_rows_skip_requested_ids_with_no_task_yet():
    board = Board(scope=SCOPE, kind="image2video")
    board.show((DONE_ID, RUN_ID), (), [RUNNING])
    assert board.rows() == [RUNNING]


def test_the_board_polls_running_tasks_and_failed_lookups_only():
    board = Board(scope=SCOPE, kind="image2video")
    board.show((DONE_ID, RUN_ID, LOOKUP_ID, FAIL_ID), (), [DONE, RUNNING, LOOKUP, FAILED])
    assert board.pollable() == [RUN_ID, LOOKUP_ID]
    board.apply(merge_refresh(board.tasks, [task(RUN_ID, TaskOutcome.COMPLETED, "completed")]))
    assert board.pollable() == [LOOKUP_ID]


@pytest.mark.parametrize(
    ("cause", "polled"),
    [
        (LookupCause.NETWORK, True),
        (LookupCause.SERVER, True),
        (LookupCause.BAD_ANSWER, True),
        (LookupCause.NOT_FOUND, False),
        (LookupCause.TOKEN, False),
    ],
)
def test_only_lookups_that_failed_for_a_passing_reason_are_polled_again(cause, polled):
    task = lookup_error("67d29023dd27a536fdf6e809", "image2video", "x", cause)
    assert ids_to_poll({task.id: task}) == ([task.id] if polled else [])
