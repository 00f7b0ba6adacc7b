"""The CLI's lookups: a rejected token stops them after one request (emulator over loopback),
asked alone or in batchDetail calls."""

from __future__ import annotations

import pytest

from a2e.cli.lookups import NOT_ASKED, BatchLookup
from a2e.core.model import LookupCause, TaskOutcome
from a2e.sandbox import Emulator
from a2e.sandbox.faults import Fault
from a2e.views.auto_kind import search_kinds
from tests.conftest import ONE_AT_A_TIME, make_client


@pytest.fixture
def forty(emulator: Emulator) -> list[str]:
    ids = [emulator.add_task(status="completed") for _ in range(40)]
    emulator.clear_requests()
    return ids


def test_a_rejected_token_costs_one_request_and_the_rest_are_not_asked(emulator, forty):
    with make_client(emulator.base_url) as client:
        batch = BatchLookup(client, "sk_wrong")
        tasks = batch.fetch("image2video", forty)

    assert emulator.count_requests() == 1
    assert [task.id for task in tasks] == forty
    assert {task.outcome for task in tasks} == {TaskOutcome.LOOKUP_ERROR}
    assert {task.error_cause for task in tasks} == {LookupCause.TOKEN}
    assert tasks[0].error == "token rejected (HTTP 401)"
    assert {task.error for task in tasks[1:]} == {NOT_ASKED}
    assert batch.rejection == tasks[0]


def test_auto_kind_with_a_rejected_token_asks_no_other_kind(emulator, forty):
    with make_client(emulator.base_url) as client:
        batch = BatchLookup(client, "sk_wrong")
        tasks = search_kinds(batch.asking(), forty)

    assert emulator.count_requests() == 1
    assert [task.error for task in tasks] == ["token rejected (HTTP 401)"] + [NOT_ASKED] * 39


def test_a_token_rejected_after_a_first_answer_that_could_not_tell_stops_within_one_wave(
    emulator, forty
):
    emulator.inject(Fault.SERVER_ERROR, task_id=forty[0])
    emulator.inject(Fault.AUTH_FAILURE)
    with make_client(emulator.base_url, concurrency=4, batch_size=ONE_AT_A_TIME) as client:
        batch = BatchLookup(client, emulator.token)
        tasks = batch.fetch("image2video", forty)

    asked_after_the_first = sum(emulator.count_requests(task_id=i) for i in forty[1:])
    assert 1 <= asked_after_the_first <= 4
    assert tasks[0].error_cause is LookupCause.SERVER
    assert sum(task.error == NOT_ASKED for task in tasks) == 39 - asked_after_the_first
    assert batch.rejection is not None


def test_an_accepted_token_asks_each_distinct_id_once_in_input_order(emulator, forty):
    asked = [*forty[:20], forty[3], *forty[20:]]
    reports: list[tuple[int, int]] = []
    with make_client(emulator.base_url) as client:
        batch = BatchLookup(client, emulator.token)
        tasks = batch.fetch("image2video", asked, lambda done, total: reports.append((done, total)))

    assert [task.id for task in tasks] == asked
    assert {task.outcome for task in tasks} == {TaskOutcome.COMPLETED}
    assert all(emulator.count_asked(task_id) == 1 for task_id in forty)
    assert emulator.count_requests() == 2  # the first id alone, then one batch of 39
    assert reports == [(done, 40) for done in range(1, 41)]
    assert batch.rejection is None


def test_a_token_revoked_mid_run_stops_ids_asked_alone_within_one_wave(emulator, forty):
    emulator.latency = 0.05
    with make_client(emulator.base_url, concurrency=8, batch_size=ONE_AT_A_TIME) as client:
        batch = BatchLookup(client, emulator.token)
        batch.fetch("image2video", forty[:20])
        emulator.inject(Fault.AUTH_FAILURE)
        emulator.clear_requests()
        tasks = batch.fetch("image2video", forty[20:])

    # The token was accepted, so the later fetch is not probed: its first wave is in flight.
    assert 1 < emulator.count_requests() <= 8
    assert sum(task.error == NOT_ASKED for task in tasks) == 20 - emulator.count_requests()


def test_a_token_revoked_between_batches_costs_one_batch_call(emulator, forty):
    with make_client(emulator.base_url) as client:
        batch = BatchLookup(client, emulator.token)
        batch.fetch("image2video", forty[:20])
        emulator.inject(Fault.AUTH_FAILURE)
        emulator.clear_requests()
        tasks = batch.fetch("image2video", forty[20:])

    # The batch call is rejected: nothing more is sent (not even its first id alone).
    assert emulator.count_requests() == 1
    assert {task.error_cause for task in tasks} == {LookupCause.TOKEN}
    assert batch.rejection is not None
