"""Failure triage: failed tasks by code, failed lookups by cause (no I/O)."""

from __future__ import annotations

from datetime import UTC, datetime

from a2e.core.model import LookupCause, Task, TaskOutcome
from a2e.views.triage import NO_CODE, failure_groups, lookup_error_groups

MONDAY = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)
TUESDAY = datetime(2025, 3, 11, 9, 0, tzinfo=UTC)
FRIDAY = datetime(2025, 3, 14, 18, 30, tzinfo=UTC)


def failed(
    suffix: str,
    code: str | None,
    message: str | None = None,
    coins: float | None = None,
    created_at: datetime | None = None,
) -> Task:
    return Task(
        id=f"67d29023dd27a536fdf6e8{suffix}",
        kind="image2video",
        outcome=TaskOutcome.FAILED,
        status="failed",
        failed_code=code,
        failed_message=message,
        coins=coins,
        created_at=created_at,
    )


def lookup(suffix: str, cause: LookupCause | None, error: str | None) -> Task:
    return Task(
        id=f"67d29023dd27a536fdf6e8{suffix}",
        kind="image2video",
        outcome=TaskOutcome.LOOKUP_ERROR,
        error=error,
        error_cause=cause,
    )


COMPLETED = Task(
    id="67d29023dd27a536fdf6e8ff",
    kind="image2video",
    outcome=TaskOutcome.COMPLETED,
    status="completed",
    coins=100.0,
)


def test_failure_groups_are_sorted_by_count_largest_first():
    tasks = [
        failed("01", "E2"),
        failed("02", "E1"),
        failed("03", "E1"),
        failed("04", "E3"),
        failed("05", "E1"),
        failed("06", "E3"),
    ]
    groups = failure_groups(tasks)
    assert [(group.code, group.count) for group in groups] == [("E1", 3), ("E3", 2), ("E2", 1)]


def test_failure_groups_of_equal_size_are_sorted_by_code():
    groups = failure_groups([failed("01", "E9"), failed("02", "E10"), failed("03", "A1")])
    assert [group.code for group in groups] == ["A1", "E10", "E9"]


def test_a_group_keeps_its_tasks_in_input_order():
    first, second = failed("01", "E1"), failed("02", "E1")
    groups = failure_groups([first, failed("03", "E2"), second])
    assert groups[0].tasks == (first, second)


def test_failed_tasks_without_a_code_share_the_no_code_group():
    groups = failure_groups([failed("01", None), failed("02", None), failed("03", "E1")])
    assert [(group.code, group.count) for group in groups] == [("(no code)", 2), ("E1", 1)]
    assert NO_CODE == "(no code)"


def test_only_failed_tasks_are_grouped_not_lookups_or_completed_tasks():
    tasks = [COMPLETED, lookup("01", LookupCause.NETWORK, "timed out"), failed("02", "E1")]
    assert [group.code for group in failure_groups(tasks)] == ["E1"]


def test_no_failed_tasks_make_no_failure_groups():
    assert failure_groups([COMPLETED]) == []


def test_a_group_adds_up_coins_counting_missing_coins_as_zero():
    (group,) = failure_groups([failed("01", "E1", coins=20.5), failed("02", "E1", coins=None)])
    assert group.coins == 20.5


def test_a_group_knows_when_its_code_was_first_and_last_seen():
    tasks = [
        failed("01", "E1", created_at=TUESDAY),
        failed("02", "E1", created_at=None),
        failed("03", "E1", created_at=FRIDAY),
        failed("04", "E1", created_at=MONDAY),
    ]
    (group,) = failure_groups(tasks)
    assert (group.first_seen, group.last_seen) == (MONDAY, FRIDAY)


def test_a_group_with_no_creation_times_has_no_first_or_last_seen():
    (group,) = failure_groups([failed("01", "E1")])
    assert (group.first_seen, group.last_seen) == (None, None)


def test_a_group_counts_its_messages_most_common_first():
    tasks = [
        failed("01", "E1", "quota"),
        failed("02", "E1", "face not detected"),
        failed("03", "E1", "face not detected"),
        failed("04", "E1", None),
    ]
    (group,) = failure_groups(tasks)
    assert group.messages == (("face not detected", 2), ("quota", 1), ("(no message)", 1))


def test_lookup_error_groups_follow_the_order_of_lookup_causes_not_the_input():
    tasks = [
        lookup("01", LookupCause.SERVER, "HTTP 502"),
        lookup("02", LookupCause.NETWORK, "timed out"),
        lookup("03", LookupCause.TOKEN, "token rejected"),
        lookup("04", LookupCause.NETWORK, "could not connect"),
    ]
    groups = lookup_error_groups(tasks)
    assert [(group.cause, len(group.tasks)) for group in groups] == [
        (LookupCause.TOKEN, 1),
        (LookupCause.NETWORK, 2),
        (LookupCause.SERVER, 1),
    ]


def test_lookup_error_groups_have_labels_for_people():
    tasks = [lookup(f"0{n}", cause, "x") for n, cause in enumerate(LookupCause)]
    labels = [group.label for group in lookup_error_groups(tasks)]
    assert labels == [
        "Token rejected",
        "Not found",
        "Network",
        "Server error",
        "Unreadable answer",
        "Not sent (server not allowed, or budget spent)",
    ]


def test_a_lookup_error_without_a_cause_counts_as_an_unreadable_answer():
    (group,) = lookup_error_groups([lookup("01", None, "odd")])
    assert (group.cause, group.label) == (LookupCause.BAD_ANSWER, "Unreadable answer")


def test_lookup_error_groups_count_their_messages():
    tasks = [
        lookup("01", LookupCause.NETWORK, "could not connect to server"),
        lookup("02", LookupCause.NETWORK, "timed out after 15 s"),
        lookup("03", LookupCause.NETWORK, "timed out after 15 s"),
        lookup("04", LookupCause.NETWORK, None),
    ]
    (group,) = lookup_error_groups(tasks)
    assert group.messages == (
        ("timed out after 15 s", 2),
        ("could not connect to server", 1),
        ("(no message)", 1),
    )


def test_failed_tasks_and_invalid_ids_are_not_lookup_errors():
    invalid = Task(id="nope", kind="image2video", outcome=TaskOutcome.INVALID_ID, error="bad")
    assert lookup_error_groups([failed("01", "E1"), invalid, COMPLETED]) == []
