"""The fetch layer's cache against the emulator: what is asked upstream, and what is not."""

from __future__ import annotations

import threading

from a2e.api.client import A2EClient
from a2e.cache.fetch import TaskCache, token_fingerprint
from a2e.core.model import LookupCause, TaskOutcome

RESULT = "https://cdn.example.com/result.mp4"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_finished_tasks_are_not_fetched_again(emulator, client, token):
    done = emulator.add_task(status="completed", result_url=RESULT)
    failed = emulator.add_task(status="failed", failed_code="E1")
    cache = TaskCache()
    cache.fetch(client, token, "image2video", [done, failed], max_age=0)
    again = cache.fetch(client, token, "image2video", [done, failed], max_age=0)
    assert [t.outcome for t in again] == [TaskOutcome.COMPLETED, TaskOutcome.FAILED]
    assert emulator.count_asked(done) == 1
    assert emulator.count_asked(failed) == 1


def test_running_tasks_are_reused_only_while_younger_than_max_age(emulator, client, token):
    running = emulator.add_task(status="pending")
    clock = FakeClock()
    cache = TaskCache(clock=clock)
    cache.fetch(client, token, "image2video", [running], max_age=10)
    clock.now += 9
    cache.fetch(client, token, "image2video", [running], max_age=10)
    assert emulator.count_asked(running) == 1
    clock.now += 2
    cache.fetch(client, token, "image2video", [running], max_age=10)
    assert emulator.count_asked(running) == 2


def test_a_task_that_finishes_upstream_is_seen_on_the_next_fetch(emulator, client, token):
    running = emulator.add_task(status="pending")
    cache = TaskCache()
    assert cache.fetch(client, token, "image2video", [running], max_age=0)[0].status == "pending"
    emulator.set_task(running, current_status="completed", result_url=RESULT)
    task = cache.fetch(client, token, "image2video", [running], max_age=0)[0]
    assert (task.outcome, task.result_url) == (TaskOutcome.COMPLETED, RESULT)


def test_another_token_never_gets_a_cached_answer(emulator, client, token):
    done = emulator.add_task(status="completed", result_url=RESULT)
    cache = TaskCache()
    cache.fetch(client, token, "image2video", [done], max_age=60)
    stranger = cache.fetch(client, "sk_someone_else", "image2video", [done], max_age=60)[0]
    assert (stranger.outcome, stranger.error_cause) == (
        TaskOutcome.LOOKUP_ERROR,
        LookupCause.TOKEN,
    )
    assert emulator.count_asked(done) == 2


def test_the_kind_is_part_of_the_cache_key(emulator, client, token):
    done = emulator.add_task(status="completed", result_url=RESULT)
    cache = TaskCache()
    cache.fetch(client, token, "image2video", [done], max_age=60)
    other_kind = cache.fetch(client, token, "talking_photo", [done], max_age=60)[0]
    assert other_kind.outcome is TaskOutcome.LOOKUP_ERROR
    assert emulator.count_asked(done) == 2


def test_viewers_asking_at_once_share_one_upstream_request(emulator, client, token):
    ids = [emulator.add_task(status="pending") for _ in range(5)]
    emulator.latency = 0.3
    cache = TaskCache()
    results: list[list[str]] = []

    def viewer() -> None:
        tasks = cache.fetch(client, token, "image2video", ids, max_age=5)
        results.append([task.status for task in tasks])

    viewers = [threading.Thread(target=viewer) for _ in range(4)]
    for thread in viewers:
        thread.start()
    for thread in viewers:
        thread.join()
    assert results == [["pending"] * 5] * 4
    assert [emulator.count_asked(i) for i in ids] == [1] * 5


def test_results_keep_input_order_with_invalid_pieces_in_place(emulator, client, token):
    first, second = emulator.add_task(status="pending"), emulator.add_task(status="sent")
    tasks = TaskCache().fetch(client, token, "image2video", [second, "nope", first], max_age=0)
    assert [t.id for t in tasks] == [second, "nope", first]
    assert tasks[1].outcome is TaskOutcome.INVALID_ID


def test_progress_is_reported_for_each_upstream_lookup(emulator, client, token):
    ids = [emulator.add_task(status="pending") for _ in range(3)]
    seen: list[tuple[int, int]] = []
    TaskCache().fetch(
        client, token, "image2video", ids, max_age=0, on_progress=lambda *a: seen.append(a)
    )
    assert seen == [(1, 3), (2, 3), (3, 3)]


def test_lookup_errors_are_asked_again_on_the_next_fetch(emulator, client, token):
    task_id = emulator.add_task(status="completed", result_url=RESULT)
    emulator.inject(emulator_fault("BAD_GATEWAY_HTML"), task_id=task_id, times=3)
    cache = TaskCache()
    assert cache.fetch(client, token, "image2video", [task_id], max_age=0)[0].error
    assert cache.fetch(client, token, "image2video", [task_id], max_age=0)[0].outcome is (
        TaskOutcome.COMPLETED
    )


def test_the_token_fingerprint_does_not_contain_the_token():
    fingerprint = token_fingerprint("sk_live_secret")
    assert "sk_live_secret" not in fingerprint
    assert fingerprint == token_fingerprint("sk_live_secret")
    assert fingerprint != token_fingerprint("sk_live_secreT")


def emulator_fault(name: str):
    from a2e.sandbox import Fault

    return Fault[name]


class ViewerLeft(Exception):
    """Stands for Streamlit stopping a script when its viewer navigates away."""


def test_a_viewer_leaving_mid_lookup_still_caches_every_answer_for_the_others(
    emulator, client, token
):
    ids = [emulator.add_task(status="completed", result_url=RESULT) for _ in range(6)]
    cache = TaskCache()

    def leave(done: int, total: int) -> None:
        raise ViewerLeft

    try:
        cache.fetch(client, token, "image2video", ids, max_age=0, on_progress=leave)
    except ViewerLeft:
        pass
    else:
        raise AssertionError("the viewer's interruption should reach the viewer")
    emulator.clear_requests()
    tasks = cache.fetch(client, token, "image2video", ids, max_age=0)
    assert [t.outcome for t in tasks] == [TaskOutcome.COMPLETED] * 6
    assert emulator.count_requests() == 0


def test_remembered_final_tasks_are_not_asked_for_again(emulator, client, token):
    cache = TaskCache()
    done = emulator.add_task(status="completed", name="Listed")
    listed = client.lookup(token, done)
    emulator.clear_requests()

    cache.remember(client.base_url, token, "image2video", [listed])
    [task] = cache.fetch(client, token, "image2video", [done], max_age=0.0)

    assert task.name == "Listed"
    assert emulator.count_asked(done) == 0
    assert cache.upstream_lookups == 0


def test_remembered_tasks_are_not_served_to_another_token(emulator, client, token):
    cache = TaskCache()
    done = emulator.add_task(status="completed")
    cache.remember(client.base_url, token, "image2video", [client.lookup(token, done)])
    emulator.clear_requests()

    [task] = cache.fetch(client, "sk_someone_else", "image2video", [done], max_age=60.0)

    assert task.outcome.value == "lookup_error"
    assert emulator.count_asked(done) == 1


def test_an_answer_fetched_for_any_address_is_not_served_to_a_guarded_client(emulator, token):
    from a2e.api.addresses import AddressScope

    cache = TaskCache()
    done = emulator.add_task(status="completed")
    with A2EClient(emulator.base_url) as local:
        cache.fetch(local, token, "image2video", [done], max_age=60.0)
    with A2EClient(emulator.base_url, address_scope=AddressScope.PUBLIC_ONLY) as guarded:
        [task] = cache.fetch(guarded, token, "image2video", [done], max_age=60.0)

    assert task.outcome.value == "lookup_error"
    assert task.error_cause.value == "refused"
