"""Batches beneath the fetch layer: a batch carries only what the cache cannot answer, single-flight
holds per id (threads, and replicas on a real Redis), a refresh of many running tasks is a few
calls, and a search's unproven "not found" is never kept."""

from __future__ import annotations

import threading

from a2e.api.meter import Meter
from a2e.cache.fetch import TaskCache
from a2e.core.model import LookupCause, Task, TaskOutcome
from a2e.hooks.ask import confirm_ids
from a2e.sandbox import Emulator, Fault
from a2e.views.backoff import SAMPLE_SIZE
from a2e.views.polling import poll_once
from bench.storms import running_board
from tests.conftest import make_client
from tests.test_shared_cache import run_replicas, shared_job

UNKNOWN = "0123456789abcdef01234567"
KIND = "image2video"
BATCH_PATH = "/api/v1/userImage2Video/batchDetail"


def test_a_batch_asks_only_the_ids_the_cache_cannot_answer(emulator, client, token):
    done = [emulator.add_task(status="completed") for _ in range(10)]
    new = [emulator.add_task(status="completed") for _ in range(5)]
    cache = TaskCache()
    cache.fetch(client, token, KIND, done, max_age=60)
    emulator.clear_requests()

    tasks = cache.fetch(client, token, KIND, [*done, *new], max_age=60)

    assert {task.outcome for task in tasks} == {TaskOutcome.COMPLETED}
    assert emulator.batch_calls() == [new]
    assert emulator.count_requests() == 1


def test_viewers_asking_overlapping_ids_at_once_ask_each_id_once(emulator, client, token):
    ids = [emulator.add_task(status="pending") for _ in range(30)]
    emulator.latency = 0.3
    cache = TaskCache()
    views = [ids[:20], ids[10:], ids[5:25], ids]
    results: list[list[str | None]] = []

    def viewer(asked: list[str]) -> None:
        results.append([task.status for task in cache.fetch(client, token, KIND, asked, max_age=5)])

    threads = [threading.Thread(target=viewer, args=(asked,)) for asked in views]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(map(len, results)) == sorted(map(len, views))
    assert all(status == "pending" for statuses in results for status in statuses)
    assert [emulator.count_asked(task_id) for task_id in ids] == [1] * 30


def test_replicas_asking_overlapping_ids_at_once_ask_each_id_once(emulator, token, redis_server):
    ids = [emulator.add_task(status="pending") for _ in range(24)]
    emulator.latency = 0.5
    job = shared_job(emulator, token, redis_server.url, viewer_ids=[ids[:16], ids[8:]])

    results = run_replicas(job, replicas=2)

    assert all(status == "pending" for r in results for s in r["statuses"] for status in s)
    assert [emulator.count_asked(task_id) for task_id in ids] == [1] * 24
    assert sum(r["upstream"] for r in results) == 24


def test_a_refresh_of_two_hundred_running_tasks_is_two_calls(emulator, client, token):
    board = running_board(emulator, 200)
    emulator.clear_requests()

    for _ in range(3):
        before = emulator.count_requests()
        result = poll_once(TaskCache(), client, token, board, max_age=0.0)
        assert result is not None
        assert emulator.count_requests() - before == 2


def test_a_failed_batch_backs_the_board_off_as_the_failure_of_each_task(emulator, client, token):
    board = running_board(emulator, 150)
    emulator.inject(Fault.SERVER_ERROR)

    poll_once(TaskCache(), client, token, board, max_age=0.0)

    assert board.backoff.failures == 1
    assert all(task.error_cause is LookupCause.SERVER for task in board.tasks.values())
    assert len(board.to_ask()) == SAMPLE_SIZE


def test_a_search_keeps_no_unproven_not_found_and_an_exact_fetch_asks_it(emulator, client, token):
    found = emulator.add_task(status="completed")
    cache = TaskCache()

    searched = cache.fetch(client, token, KIND, [found, UNKNOWN], max_age=60, exact=False)
    exact = cache.fetch(client, token, KIND, [found, UNKNOWN], max_age=60)

    assert "batch answer" in (searched[1].error or "")
    assert exact[1].error == "not found"
    assert emulator.count_requests(task_id=UNKNOWN) == 1  # asked by the exact fetch, alone
    assert emulator.count_asked(found) == 1  # the search's answer was kept


def test_a_viewer_who_waited_on_a_search_and_wanted_an_exact_answer_asks_itself(
    emulator, client, token
):
    found = emulator.add_task(status="completed")
    emulator.set_batch(delay=0.5)
    cache = TaskCache()
    answers: dict[str, list[Task]] = {}

    def search() -> None:
        answers["search"] = cache.fetch(
            client, token, KIND, [found, UNKNOWN], max_age=60, exact=False
        )

    searching = threading.Thread(target=search)
    searching.start()
    while not emulator.count_requests(path=BATCH_PATH):  # the search owns both ids now
        threading.Event().wait(0.01)
    answers["exact"] = cache.fetch(client, token, KIND, [UNKNOWN], max_age=60)
    searching.join()

    assert "batch answer" in (answers["search"][1].error or "")
    assert answers["exact"][0].error == "not found"


def test_a_webhook_round_of_many_known_ids_is_confirmed_in_one_batch(emulator, client, token):
    ids = [emulator.add_task(status="pending") for _ in range(12)]
    cache = TaskCache()
    cache.fetch(client, token, KIND, ids, max_age=0)
    for task_id in ids:
        emulator.set_task(task_id, current_status="completed")
    emulator.clear_requests()
    meter = Meter()

    tasks = confirm_ids(cache, client, token, ids, meter=meter)

    assert {task.outcome for task in tasks} == {TaskOutcome.COMPLETED}
    assert emulator.batch_calls() == [ids]
    assert meter.calls == 1


def test_a_server_without_batch_detail_gives_the_same_answers_at_one_extra_call(token):
    with Emulator() as with_batches, Emulator() as without:
        answers = {}
        for emulator in (with_batches, without):
            ids = [emulator.add_task(status=word) for word in ("completed", "failed", "pending")]
            if emulator is without:
                emulator.without_call(BATCH_PATH)
            emulator.clear_requests()
            with make_client(emulator.base_url) as client:
                tasks = TaskCache().fetch(client, token, KIND, [*ids, UNKNOWN], max_age=0)
            answers[emulator is without] = [(t.outcome, t.status, t.error) for t in tasks]
        assert answers[True] == answers[False]
        assert without.count_requests() == 4 + 1
