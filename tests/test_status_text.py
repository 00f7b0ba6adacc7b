"""What the page says about the whole board never contradicts the table."""

from __future__ import annotations

import pytest

from a2e.core.model import LookupCause, Task, TaskOutcome, invalid_id, lookup_error
from a2e.views.status_text import failure_banner, refresh_note

ID = "67d29023dd27a536fdf6e8{:02x}"


def task(n: int, outcome: TaskOutcome) -> Task:
    return Task(id=ID.format(n), kind="image2video", outcome=outcome, status="x")


def failed_lookup(n: int, cause: LookupCause) -> Task:
    return lookup_error(ID.format(n), "image2video", "boom", cause)


def test_running_tasks_and_retried_lookups_are_counted_apart():
    tasks = [task(1, TaskOutcome.IN_PROGRESS), failed_lookup(2, LookupCause.NETWORK)]
    note = refresh_note(tasks, polling=True, interval=10)
    assert note == "checking 1 running task and 1 failed lookup to retry every 10 s"


def test_lookups_waiting_for_a_retry_are_not_called_unfinished_tasks():
    tasks = [failed_lookup(n, LookupCause.SERVER) for n in range(3)]
    note = refresh_note(tasks, polling=True, interval=5)
    assert note == "checking 3 failed lookups to retry every 5 s"
    assert "running" not in note


def test_a_rejected_token_never_reads_every_task_is_final_nor_failed_for_good():
    tasks = [task(1, TaskOutcome.COMPLETED), failed_lookup(2, LookupCause.TOKEN)]
    note = refresh_note(tasks, polling=False, interval=10)
    assert "final" not in note
    assert note == (
        "nothing is asked again: the token was refused for 1 lookup; check it in the sidebar"
    )


def test_while_a_refused_token_is_asked_once_more_its_lookups_are_counted_to_retry():
    tasks = [failed_lookup(n, LookupCause.TOKEN) for n in range(3)]
    note = refresh_note(tasks, polling=True, interval=10, retry_token=True)
    assert note == "checking 3 failed lookups to retry every 10 s"
    assert "for good" not in note


def test_lookups_no_token_or_retry_helps_failed_for_good():
    tasks = [failed_lookup(1, LookupCause.NOT_FOUND), task(2, TaskOutcome.COMPLETED)]
    assert refresh_note(tasks, polling=True, interval=10, retry_token=True) == (
        "nothing to refresh: 1 lookup failed for good (see Reason)"
    )


def test_every_task_is_final_only_when_they_all_completed_or_failed():
    tasks = [task(1, TaskOutcome.COMPLETED), task(2, TaskOutcome.FAILED), invalid_id("x", "k")]
    assert refresh_note(tasks, polling=True, interval=10) == (
        "every task is final: nothing left to refresh"
    )


def test_with_auto_refresh_off_the_note_says_so():
    tasks = [task(1, TaskOutcome.IN_PROGRESS), task(2, TaskOutcome.IN_PROGRESS)]
    assert refresh_note(tasks, polling=False, interval=10) == (
        "2 running tasks; auto-refresh is off"
    )


def test_a_banner_names_the_cause_most_lookups_share_and_what_to_do():
    tasks = [failed_lookup(n, LookupCause.NETWORK) for n in range(3)] + [
        task(9, TaskOutcome.COMPLETED)
    ]
    banner = failure_banner(tasks)
    assert banner is not None
    assert banner.cause is LookupCause.NETWORK
    assert banner.text.startswith("3 of 4 lookups failed. The server could not be reached.")


def test_no_banner_when_the_failures_are_a_minority_or_mixed():
    minority = [failed_lookup(1, LookupCause.TOKEN), task(2, TaskOutcome.COMPLETED)]
    mixed = [
        failed_lookup(1, LookupCause.TOKEN),
        failed_lookup(2, LookupCause.NETWORK),
        failed_lookup(3, LookupCause.NOT_FOUND),
    ]
    assert failure_banner(minority) is None
    assert failure_banner(mixed) is None


def test_invalid_ids_do_not_count_as_lookups_for_the_banner():
    tasks = [failed_lookup(1, LookupCause.NOT_FOUND), invalid_id("nope", "k"), invalid_id("x", "k")]
    banner = failure_banner(tasks)
    assert banner is not None
    assert (banner.count, banner.total) == (1, 1)
    assert "Check the task kind" in banner.text


@pytest.mark.parametrize("cause", LookupCause)
def test_every_cause_of_a_failed_lookup_has_a_banner_that_says_what_to_do(cause):
    banner = failure_banner([failed_lookup(n, cause) for n in range(2)])
    assert banner is not None
    assert banner.text.startswith("2 of 2 lookups failed. ")
    assert len(banner.text) > len("2 of 2 lookups failed. ") + 20
