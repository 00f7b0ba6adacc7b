"""Auto with batchDetail: each kind searched in one call for every id still unknown, "not found"
still proved by each kind's detail call, and a server without batchDetail asked as before."""

from __future__ import annotations

import pytest

from a2e.cache.fetch import TaskCache
from a2e.core.kinds import KINDS
from a2e.core.model import LookupCause, TaskOutcome
from a2e.sandbox import Emulator
from a2e.views.auto_kind import fetch_any_kind
from bench.auto_mixed import new_tasks as mixed_tasks
from tests.conftest import ONE_AT_A_TIME, make_client

UNKNOWN = "0123456789abcdef01234567"


def without_batch_calls(emulator: Emulator) -> None:
    for kind in KINDS.values():
        if kind.batch_path is not None:
            emulator.without_call(kind.batch_path)


@pytest.fixture
def own() -> Emulator:
    with Emulator(kinds=[]) as emulator:
        yield emulator


def test_a_hundred_ids_of_ten_kinds_are_found_within_a_hundred_plus_two_calls_per_kind(own, token):
    kinds_of = mixed_tasks(own, 10)
    own.clear_requests()
    with make_client(own.base_url) as client:
        tasks = fetch_any_kind(TaskCache(), client, token, list(kinds_of), max_age=0)

    assert [task.kind for task in tasks] == list(kinds_of.values())
    assert {task.outcome for task in tasks} == {TaskOutcome.COMPLETED}
    assert own.count_requests() <= 100 + 2 * len(KINDS)


def test_a_server_without_batch_detail_gets_the_same_answers_at_one_extra_call_per_kind(token):
    counts, answers = {}, {}
    for batches in (False, True):
        with Emulator(kinds=[], seed=7) as emulator:
            kinds_of = mixed_tasks(emulator, 10)  # enough ids for the cap to bind
            ids = [*kinds_of, UNKNOWN]
            if batches:
                without_batch_calls(emulator)
            emulator.clear_requests()
            size = {} if batches else {"batch_size": ONE_AT_A_TIME}
            with make_client(emulator.base_url, **size) as client:
                tasks = fetch_any_kind(TaskCache(), client, token, ids, max_age=0)
            answers[batches] = [(t.kind, t.outcome, t.error) for t in tasks]
            counts[batches] = emulator.count_requests()

    assert answers[True] == answers[False]
    batch_kinds = sum(kind.batch_path is not None for kind in KINDS.values())
    assert counts[False] < counts[True] <= counts[False] + batch_kinds


def test_an_id_no_kind_knows_is_proved_not_found_by_every_kinds_detail_call(own, token):
    kinds_of = mixed_tasks(own, 2)
    own.clear_requests()
    with make_client(own.base_url) as client:
        tasks = fetch_any_kind(TaskCache(), client, token, [*kinds_of, UNKNOWN], max_age=0)

    unknown = tasks[-1]
    assert unknown.error_cause is LookupCause.NOT_FOUND
    assert unknown.error == f"not found as any of the {len(KINDS)} kinds tried"
    assert own.count_requests(task_id=UNKNOWN) == sum(len(k.detail_calls) for k in KINDS.values())


def test_ids_of_the_likeliest_kind_cost_one_call(own, token):
    ids = [own.add_task(kind="sora", status="completed") for _ in range(50)]
    cache = TaskCache()
    cache.note_kinds(token, ["sora"])
    own.clear_requests()
    with make_client(own.base_url) as client:
        tasks = fetch_any_kind(cache, client, token, ids, max_age=0)

    assert {task.kind for task in tasks} == {"sora"}
    assert own.count_requests() == 1


def test_the_progress_moves_forward_and_ends_at_its_total(own, token):
    kinds_of = mixed_tasks(own, 2)
    reports: list[tuple[int, int]] = []
    with make_client(own.base_url) as client:
        fetch_any_kind(
            TaskCache(),
            client,
            token,
            list(kinds_of),
            max_age=0,
            on_progress=lambda done, total: reports.append((done, total)),
        )

    done, total = reports[-1]
    assert done == total
    assert all(d <= t for d, t in reports)
    assert [d for d, _ in reports] == sorted(d for d, _ in reports)


def test_the_kinds_an_unknown_id_was_tried_as_are_named_in_the_likely_order(own, token):
    found = own.add_task(kind="veo", status="completed")
    with make_client(own.base_url) as client:
        tasks = fetch_any_kind(TaskCache(), client, token, [found, UNKNOWN], max_age=0)

    labels = ", ".join(kind.label for kind in KINDS.values())
    assert tasks[1].error == f"not found as any of the {len(KINDS)} kinds tried"
    assert tasks[1].notes[-1] == f"tried as {labels}"
