"""Confirming webhook ids: once per id per 2 s, as the kinds the cache knows, into the cache,
announced to viewers; against the emulator over loopback."""

from __future__ import annotations

import itertools
import threading
import time

from prometheus_client import generate_latest

from a2e.api.metrics import REGISTRY
from a2e.cache.fetch import TaskCache
from a2e.cache.notices import Notices
from a2e.core.model import Task, TaskOutcome
from a2e.hooks.ask import confirm_ids
from a2e.hooks.confirm import Confirmer
from a2e.hooks.schedule import ConfirmSchedule

RESULT = "https://cdn.example.com/result.mp4"
WAIT = 20.0  # a bound for a loaded machine; the waits end as soon as the answer is there


def webhooks(result: str) -> float:
    line = f'a2e_webhooks_total{{result="{result}"}} '
    rows = [r for r in generate_latest(REGISTRY).decode().splitlines() if r.startswith(line)]
    return float(rows[0].split()[-1]) if rows else 0.0


class Announced:
    """The announce hook: keeps what was announced and lets a test wait for it."""

    def __init__(self, cache: TaskCache, notices: Notices, origin: str, token: str) -> None:
        self.rounds: list[list[Task]] = []
        self._event = threading.Event()
        self._cache, self._notices, self._scope = cache, notices, (origin, cache.fingerprint(token))

    def __call__(self, tasks: list[Task]) -> None:
        self.rounds.append(tasks)
        found = [t for t in tasks if t.outcome is not TaskOutcome.LOOKUP_ERROR]
        self._notices.announce([(*self._scope, t.kind, t.id) for t in found])
        self._event.set()

    def wait(self, rounds: int) -> None:
        deadline = time.monotonic() + WAIT
        while len(self.rounds) < rounds and time.monotonic() < deadline:
            self._event.wait(0.05)
            self._event.clear()
        assert len(self.rounds) >= rounds


def confirmer_for(cache, client, token):
    notices = Notices()
    announced = Announced(cache, notices, client.origin, token)
    confirmer = Confirmer(lambda ids: confirm_ids(cache, client, token, ids), announced)
    return confirmer, announced, notices


# The schedule alone, on a clock the test moves.


def test_a_flood_of_webhooks_for_one_id_is_confirmed_once_per_two_seconds():
    schedule = ConfirmSchedule()
    asked_at: list[float] = []
    for step in range(400):  # one webhook every 25 ms for 10 s
        now = step * 0.025
        schedule.add(["a" * 24], now)
        if schedule.take_due(now, limit=10):
            asked_at.append(now)
    gaps = [later - earlier for earlier, later in itertools.pairwise(asked_at)]
    assert len(asked_at) == 5
    assert min(gaps) >= 2.0


def test_a_webhook_just_after_a_confirmation_is_confirmed_again_when_the_gap_ends():
    schedule = ConfirmSchedule()
    schedule.add(["a" * 24], 0.0)
    assert schedule.take_due(0.05, limit=10) == ["a" * 24]
    schedule.add(["a" * 24], 0.5)  # a later state, told while the first answer was on its way
    assert schedule.take_due(1.9, limit=10) == []
    assert schedule.next_due() == 2.05
    assert schedule.take_due(2.05, limit=10) == ["a" * 24]


def test_a_receipt_completes_once_each_of_its_ids_was_confirmed():
    schedule = ConfirmSchedule()
    receipt = schedule.add(["a" * 24, "b" * 24], 0.0)
    assert receipt is not None
    schedule.take_due(0.05, limit=1)
    assert schedule.settle({"a" * 24: True}) == []
    schedule.take_due(0.05, limit=1)
    assert schedule.settle({"b" * 24: False}) == [receipt]
    assert receipt.unknown


def test_past_the_bound_of_waiting_ids_a_webhook_is_refused_whole():
    schedule = ConfirmSchedule(max_waiting=3)
    assert schedule.add(["a" * 24, "b" * 24], 0.0) is not None
    assert schedule.add(["c" * 24, "d" * 24], 0.0) is None
    assert schedule.add(["a" * 24, "c" * 24], 0.0) is not None


# The confirmer against the emulator.


def test_a_webhook_puts_the_confirmed_state_in_the_cache_and_announces_it(emulator, client, token):
    task_id = emulator.add_task(status="pending")
    cache = TaskCache()
    cache.fetch(client, token, "image2video", [task_id], max_age=60)
    emulator.set_task(task_id, current_status="completed", result_url=RESULT)
    confirmer, announced, notices = confirmer_for(cache, client, token)
    before = webhooks("ok")

    assert confirmer.submit([task_id], time.monotonic())
    announced.wait(rounds=1)
    confirmer.stop()

    [task] = cache.fetch(client, token, "image2video", [task_id], max_age=60)
    assert task.outcome is TaskOutcome.COMPLETED
    assert emulator.count_requests(task_id=task_id) == 2  # the lookup, then the confirmation
    assert len(notices.since(0)[1] or ()) == 1
    assert webhooks("ok") == before + 1


def test_a_flood_of_webhooks_for_one_id_makes_one_upstream_call(emulator, client, token):
    task_id = emulator.add_task(status="pending")
    cache = TaskCache()
    confirmer, announced, _ = confirmer_for(cache, client, token)

    for _ in range(200):
        assert confirmer.submit([task_id], time.monotonic())
    announced.wait(rounds=1)
    time.sleep(0.5)  # room for a second call, if the schedule were to allow one
    confirmer.stop()

    assert emulator.count_requests(task_id=task_id) == 1
    assert confirmer.confirmations == 1


def test_an_id_the_cache_knows_is_asked_only_as_its_kind(emulator, client, token):
    task_id = emulator.add_task(kind="face_swap", status="pending")
    cache = TaskCache()
    cache.fetch(client, token, "face_swap", [task_id], max_age=60)
    emulator.clear_requests()
    confirmer, announced, _ = confirmer_for(cache, client, token)

    confirmer.submit([task_id], time.monotonic())
    announced.wait(rounds=1)
    confirmer.stop()

    assert [entry.path for entry in emulator.requests] == [f"/api/v1/userFaceSwapTask/{task_id}"]
    assert announced.rounds[0][0].kind == "face_swap"


def test_an_id_the_cache_does_not_know_is_found_as_any_kind(emulator, client, token):
    task_id = emulator.add_task(kind="dubbing", status="completed", result_url=RESULT)
    cache = TaskCache()
    confirmer, announced, _ = confirmer_for(cache, client, token)

    confirmer.submit([task_id], time.monotonic())
    announced.wait(rounds=1)
    confirmer.stop()

    [task] = announced.rounds[0]
    assert (task.kind, task.outcome) == ("dubbing", TaskOutcome.COMPLETED)


def test_an_id_the_token_cannot_see_is_confirmed_not_found_and_announced_nowhere(
    emulator, client, token
):
    unseen = "0123456789abcdef01234567"
    cache = TaskCache()
    confirmer, announced, notices = confirmer_for(cache, client, token)
    before = webhooks("unknown_id")

    confirmer.submit([unseen], time.monotonic())
    announced.wait(rounds=1)
    confirmer.stop()

    assert [task.outcome for task in announced.rounds[0]] == [TaskOutcome.LOOKUP_ERROR]
    assert notices.cursor() == 0
    assert webhooks("unknown_id") == before + 1


def test_a_broken_confirmation_is_logged_and_the_worker_goes_on(caplog):
    calls: list[list[str]] = []

    def confirm(ids: list[str]) -> list[Task]:
        calls.append(ids)
        if len(calls) == 1:
            raise RuntimeError("sk_secret_in_message")
        return []

    done = threading.Event()
    confirmer = Confirmer(confirm, lambda tasks: done.set())
    confirmer.submit(["a" * 24], time.monotonic())
    deadline = time.monotonic() + WAIT
    while len(calls) < 1 and time.monotonic() < deadline:
        time.sleep(0.02)  # the worker runs on its own thread; nothing to wait on instead
    confirmer.submit(["b" * 24], time.monotonic())
    assert done.wait(WAIT)
    confirmer.stop()
    assert calls == [["a" * 24], ["b" * 24]]
    assert "RuntimeError" in caplog.text
    assert "sk_secret_in_message" not in caplog.text
