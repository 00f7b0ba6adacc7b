"""The demo stays alive: an hour after start some of its tasks still run; memory stays bounded."""

from __future__ import annotations

from a2e.api.client import A2EClient
from a2e.core.model import TaskOutcome
from a2e.sandbox import DEMO_TOKEN, Emulator
from a2e.sandbox.live_demo import MAX_LIVE_TASKS, START_EVERY_SECONDS


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def running(client: A2EClient, ids: list[str]) -> list[str]:
    tasks = client.lookup_many(DEMO_TOKEN, ids)
    return [task.id for task in tasks if task.outcome is TaskOutcome.IN_PROGRESS]


def test_an_hour_after_start_the_demo_still_has_running_tasks():
    clock = FakeClock()
    with Emulator(clock=clock, keep_alive=True) as emulator, A2EClient(emulator.base_url) as client:
        assert running(client, emulator.live_ids())
        clock.now += 3600

        live = emulator.live_ids()

        assert running(client, live[:3])
        assert client.list_tasks(DEMO_TOKEN, "image2video", 1, 3).tasks[0].id == live[0]


def test_finished_live_tasks_completed_or_failed_with_a_reason():
    clock = FakeClock()
    with Emulator(clock=clock, keep_alive=True) as emulator, A2EClient(emulator.base_url) as client:
        clock.now += 20 * START_EVERY_SECONDS
        ids = emulator.live_ids()
        clock.now += 600
        tasks = client.lookup_many(DEMO_TOKEN, ids)

    assert {task.outcome for task in tasks} <= {TaskOutcome.COMPLETED, TaskOutcome.FAILED}
    assert all(task.failed_message for task in tasks if task.outcome is TaskOutcome.FAILED)
    assert all(task.result_url for task in tasks if task.outcome is TaskOutcome.COMPLETED)


def test_a_day_of_live_demo_keeps_a_bounded_number_of_tasks():
    clock = FakeClock()
    with Emulator(clock=clock, keep_alive=True) as emulator:
        before = len(emulator.live_ids())
        for _ in range(24 * 60):
            clock.now += 60
            emulator.live_ids()
        assert before <= len(emulator.live_ids()) <= MAX_LIVE_TASKS


def test_without_keep_alive_the_emulator_starts_nothing_by_itself():
    clock = FakeClock()
    with Emulator(clock=clock) as emulator:
        clock.now += 3600
        assert emulator.live_ids() == []
