"""The dashboard's table, its status and age cells, its filters and its summary (no I/O)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest

from a2e.core.model import LookupCause, Task, TaskOutcome
from a2e.views.tables import (
    TABLE_COLUMNS,
    age_label,
    filter_tasks,
    status_label,
    summarise,
    task_reason,
    task_row,
    tasks_frame,
)

NOW = datetime(2025, 3, 13, 12, 0, 0, tzinfo=UTC)
CREATED = datetime(2025, 3, 13, 7, 58, 27, tzinfo=UTC)

DONE = Task(
    id="67d29023dd27a536fdf6e809",
    kind="image2video",
    outcome=TaskOutcome.COMPLETED,
    status="completed",
    name="Beach walk",
    image_url="https://cdn.example.com/in.png",
    result_url="https://cdn.example.com/out.mp4",
    coins=100.0,
    created_at=CREATED,
    trace_id="trace-done",
)
FAILED = Task(
    id="67d29023dd27a536fdf6e80a",
    kind="image2video",
    outcome=TaskOutcome.FAILED,
    status="failed",
    name="Sunset",
    failed_code="E1001",
    failed_message="face not detected",
    coins=20.5,
    created_at=NOW - timedelta(minutes=12),
)
RUNNING = Task(
    id="67d29023dd27a536fdf6e80b",
    kind="image2video",
    outcome=TaskOutcome.IN_PROGRESS,
    status="processing",
    name="Portrait",
    progress=0.4,
)
LOOKUP = Task(
    id="67d29023dd27a536fdf6e80c",
    kind="image2video",
    outcome=TaskOutcome.LOOKUP_ERROR,
    status="processing",
    error="timed out after 15 s",
    error_cause=LookupCause.NETWORK,
)
INVALID = Task(
    id="not-an-id",
    kind="image2video",
    outcome=TaskOutcome.INVALID_ID,
    error="not a task id (expected 24 hex characters)",
)
ALL = [DONE, FAILED, RUNNING, LOOKUP, INVALID]


def test_the_frame_has_one_row_per_task_in_the_order_given():
    order = [INVALID, RUNNING, DONE, LOOKUP, FAILED]
    frame = tasks_frame(order, now=NOW)
    assert list(frame.columns) == list(TABLE_COLUMNS)
    assert list(frame["id"]) == [task.id for task in order]


def test_the_same_task_given_twice_makes_two_rows():
    frame = tasks_frame([DONE, DONE], now=NOW)
    assert list(frame["id"]) == [DONE.id, DONE.id]


def test_an_empty_list_makes_an_empty_frame_with_every_column():
    frame = tasks_frame([], now=NOW)
    assert len(frame) == 0
    assert list(frame.columns) == list(TABLE_COLUMNS)


def test_the_frame_holds_plain_values_for_a_completed_task():
    row = tasks_frame([DONE], now=NOW).iloc[0]
    assert row["thumbnail"] == "https://cdn.example.com/in.png"
    assert row["name"] == "Beach walk"
    assert row["status"] == "✓ completed"
    assert row["created"] == pd.Timestamp("2025-03-13 07:58:27", tz="UTC")
    assert row["age"] == "4 h 1 min"
    assert row["coins"] == 100.0
    assert row["result"] == "https://cdn.example.com/out.mp4"
    assert row["trace_id"] == "trace-done"
    assert row["outcome"] == "completed"


def test_missing_numbers_and_times_are_empty_cells_not_zero():
    frame = tasks_frame([RUNNING, DONE], now=NOW)
    assert str(frame["coins"].dtype) == "Float64"
    assert frame["coins"].isna().tolist() == [True, False]
    assert frame["created"].isna().tolist() == [True, False]
    assert frame["progress"].tolist()[0] == 0.4


def test_a_failed_tasks_reason_is_its_code_and_message():
    row = task_row(FAILED, NOW)
    assert row["reason"] == "E1001: face not detected"
    assert row["age"] == "12 min"


def test_a_failed_lookups_reason_is_its_error_and_an_invalid_ids_is_why_it_is_no_id():
    assert task_row(LOOKUP, NOW)["reason"] == "timed out after 15 s"
    assert task_row(INVALID, NOW)["reason"] == "not a task id (expected 24 hex characters)"


def test_a_task_that_did_not_fail_has_no_reason():
    assert task_row(DONE, NOW)["reason"] is None
    assert task_row(RUNNING, NOW)["reason"] is None


def test_a_failed_task_with_only_a_message_or_only_a_code_gives_that_as_reason():
    assert task_reason(replace(FAILED, failed_code=None)) == "face not detected"
    assert task_reason(replace(FAILED, failed_message=None)) == "E1001"
    assert task_reason(replace(FAILED, failed_code=None, failed_message=None)) is None


def test_the_reason_column_comes_right_after_status():
    assert TABLE_COLUMNS.index("reason") == TABLE_COLUMNS.index("status") + 1


@pytest.mark.parametrize(
    ("task", "label"),
    [
        (DONE, "✓ completed"),
        (FAILED, "✗ failed"),
        (RUNNING, "↻ processing"),
        (LOOKUP, "⚠ lookup error (last seen processing)"),
        (INVALID, "⊘ invalid id"),
    ],
)
def test_the_status_cell_is_an_icon_and_the_raw_status_word(task, label):
    assert status_label(task) == label


def test_the_raw_status_word_is_shown_as_the_server_spelled_it():
    task = Task(id=DONE.id, kind="image2video", outcome=TaskOutcome.FAILED, status="FAIL")
    assert status_label(task) == "✗ FAIL"


def test_a_lookup_error_with_no_earlier_status_says_only_lookup_error():
    task = Task(id=LOOKUP.id, kind="image2video", outcome=TaskOutcome.LOOKUP_ERROR)
    assert status_label(task) == "⚠ lookup error"


@pytest.mark.parametrize(
    ("seconds", "label"),
    [
        (0, "0 s"),
        (1, "1 s"),
        (59, "59 s"),
        (60, "1 min"),
        (119, "1 min"),
        (3_599, "59 min"),
        (3_600, "1 h 0 min"),
        (3_660, "1 h 1 min"),
        (86_399, "23 h 59 min"),
        (86_400, "1 d 0 h"),
        (90_000, "1 d 1 h"),
        (86_400 * 40 + 3_600 * 5 + 59, "40 d 5 h"),
    ],
)
def test_age_labels_switch_units_exactly_at_the_boundaries(seconds, label):
    assert age_label(NOW - timedelta(seconds=seconds), NOW) == label


def test_an_age_in_the_future_is_shown_as_zero_seconds():
    assert age_label(NOW + timedelta(minutes=5), NOW) == "0 s"


def test_a_task_without_a_creation_time_has_an_empty_age():
    assert age_label(None, NOW) == ""


def test_filtering_by_outcome_keeps_only_those_outcomes_in_order():
    kept = filter_tasks(ALL, outcomes={TaskOutcome.LOOKUP_ERROR, TaskOutcome.COMPLETED})
    assert kept == [DONE, LOOKUP]


def test_no_outcomes_or_an_empty_set_of_outcomes_keeps_every_task():
    assert filter_tasks(ALL) == ALL
    assert filter_tasks(ALL, outcomes=set()) == ALL


def test_search_matches_names_case_insensitively():
    assert filter_tasks(ALL, search="BEACH") == [DONE]
    assert filter_tasks(ALL, search="sun") == [FAILED]


def test_search_matches_ids_case_insensitively_and_ignores_surrounding_spaces():
    assert filter_tasks(ALL, search="  6E80C ") == [LOOKUP]
    assert filter_tasks(ALL, search="not-AN") == [INVALID]


def test_search_and_outcome_filters_apply_together():
    assert filter_tasks(ALL, outcomes={TaskOutcome.FAILED}, search="67d29023") == [FAILED]
    assert filter_tasks(ALL, outcomes={TaskOutcome.FAILED}, search="beach") == []


def test_a_search_that_matches_nothing_keeps_nothing():
    assert filter_tasks(ALL, search="zzz") == []


def test_the_summary_counts_every_outcome_including_those_with_none():
    summary = summarise([DONE, FAILED, FAILED, RUNNING])
    assert summary.counts == {
        TaskOutcome.COMPLETED: 1,
        TaskOutcome.FAILED: 2,
        TaskOutcome.IN_PROGRESS: 1,
        TaskOutcome.LOOKUP_ERROR: 0,
        TaskOutcome.INVALID_ID: 0,
    }
    assert summary.total == 4


def test_the_summary_adds_up_the_coins_of_tasks_that_report_them():
    assert summarise(ALL).coins == 120.5


def test_the_summary_counts_running_tasks():
    assert summarise([RUNNING, RUNNING, DONE, LOOKUP]).running == 2


def test_the_summary_of_nothing_is_all_zero():
    summary = summarise([])
    assert (summary.total, summary.coins, summary.running) == (0, 0.0, 0)
    assert set(summary.counts.values()) == {0}
