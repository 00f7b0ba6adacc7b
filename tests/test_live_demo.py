"""The demo stays alive: an hour after start some of its tasks still run; memory stays bounded."""

from __future__ import annotations

from a2e.api.client import A2EClient
from a2e.core.model import Task, TaskOutcome
from a2e.sandbox import DEMO_HISTORY, DEMO_TOKEN, Emulator
from a2e.sandbox.live_demo import MAX_LIVE_TASKS, START_EVERY_SECONDS
from tests.listing_support import every_listed_task


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


def test_a_render_said_to_have_timed_out_after_10_minutes_ran_at_least_10_minutes():
    clock = FakeClock()
    demo = Emulator(clock=clock, keep_alive=True, history=DEMO_HISTORY)
    with demo as emulator, A2EClient(emulator.base_url) as client:
        timed_out: list[Task] = []
        for _ in range(3):  # the seeds and history, then live tasks an hour and two on
            tasks = every_listed_task(client)
            timed_out += [t for t in tasks if "within 10 minutes" in (t.failed_message or "")]
            assert all(
                (t.failed_code, t.run_seconds) != ("generation_timeout", None) for t in tasks
            )
            clock.now += 3600
            emulator.live_ids()
    assert timed_out
    assert min(task.run_seconds or 0 for task in timed_out) >= 600


def test_live_tasks_never_push_the_seeded_examples_off_the_first_page():
    clock = FakeClock()
    demo = Emulator(clock=clock, keep_alive=True, history=DEMO_HISTORY)
    with demo as emulator, A2EClient(emulator.base_url) as client:
        seeded = set(emulator.demo_ids("image2video"))
        shown = []
        for _ in range(16):  # 4 hours, a viewer polling every 45 s in between
            for _ in range(20):
                clock.now += START_EVERY_SECONDS
                emulator.live_ids()
            first_page = {task.id for task in client.list_tasks(DEMO_TOKEN, "image2video").tasks}
            shown.append(len(seeded & first_page))
    assert shown == [len(seeded)] * 16
