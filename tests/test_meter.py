"""Budgets count what is sent: every HTTP request on a viewer's behalf is charged to its meter.

Against the emulator over loopback, whose request log is the count of what was sent.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest

from a2e.access.budgets import Budget, Budgets, BudgetSettings
from a2e.api.errors import OverBudget
from a2e.api.meter import NOT_ASKED, Meter, not_sent
from a2e.api.metrics import REGISTRY
from a2e.cache.fetch import TaskCache
from a2e.core.model import LookupCause, TaskOutcome
from a2e.sandbox import Fault
from a2e.views.auto_kind import MAX_SEARCH_CALLS, fetch_any_kind
from a2e.views.board import Board
from a2e.views.overview import WINDOWS, read_window
from a2e.views.polling import poll_once
from a2e.views.status_text import refresh_note
from tests.conftest import make_client

UNKNOWN = [f"{0xABC000000000000000000000 + n:024x}" for n in range(100)]
MAX_AGE = 5.0


def budget_meter(per_minute: int, budget: Budget = Budget.LOOKUP) -> tuple[Budgets, Meter]:
    settings = BudgetSettings(lookups_per_minute=per_minute, lists_per_minute=per_minute)
    budgets = Budgets(settings)
    return budgets, Meter(budgets.spender("alice", budget))


def charged(budgets: Budgets, budget: Budget = Budget.LOOKUP) -> int:
    """How much of alice's budget is spent (a spend larger than the whole budget is always
    refused, spends nothing, and says what is left)."""
    size = budgets.settings.per_minute(budget)
    return size - budgets.spend("alice", budget, size + 1).remaining


def test_auto_on_a_hundred_unknown_ids_charges_every_request_sent(emulator, client, token):
    budgets, meter = budget_meter(10_000)
    # One retried request too: a 500 answered once, then the real answer.
    emulator.inject(Fault.SERVER_ERROR, task_id=UNKNOWN[0], times=1)

    tasks = fetch_any_kind(TaskCache(), client, token, UNKNOWN, max_age=MAX_AGE, meter=meter)

    sent = emulator.count_requests()
    # The first kind's one batch call, then Auto's passes within its cap in calls, the retry.
    assert len(UNKNOWN) < sent <= 1 + MAX_SEARCH_CALLS + 1
    assert meter.calls == sent
    assert charged(budgets) == sent
    assert meter.refusal is None
    assert all(task.error.startswith("not found as") for task in tasks if task.error)


def test_what_the_cache_answers_costs_nothing(emulator, client, token):
    cache = TaskCache()
    task_id = emulator.add_task(status="completed")
    fetch_any_kind(cache, client, token, [task_id], max_age=MAX_AGE, meter=Meter())
    budgets, meter = budget_meter(10)
    emulator.clear_requests()

    fetch_any_kind(cache, client, token, [task_id], max_age=MAX_AGE, meter=meter)

    assert (emulator.count_requests(), meter.calls, charged(budgets)) == (0, 0, 0)


def test_a_budget_smaller_than_auto_needs_stops_the_requests_at_the_budget(emulator, client, token):
    budgets, meter = budget_meter(250)

    tasks = fetch_any_kind(TaskCache(), client, token, UNKNOWN, max_age=MAX_AGE, meter=meter)

    assert emulator.count_requests() == meter.calls == charged(budgets) == 250
    assert meter.refusal is not None
    assert meter.refusal.startswith("each viewer may send 250 status calls a minute")
    stopped = [task for task in tasks if not_sent(task)]
    assert stopped, "some ids were left for lack of budget"
    for task in stopped:
        assert task.outcome is TaskOutcome.LOOKUP_ERROR
        assert task.error_cause is LookupCause.REFUSED
        assert task.error == NOT_ASKED + meter.refusal  # never "not found as any …"


def test_a_refused_request_is_not_kept_so_the_next_viewer_with_budget_asks_it(
    emulator, client, token
):
    cache = TaskCache()
    task_id = emulator.add_task(status="completed", name="Asked later")
    _, spent = budget_meter(1)
    spent.charge()  # alice has no call left

    (refused,) = cache.fetch(client, token, "image2video", [task_id], max_age=60, meter=spent)
    (answered,) = cache.fetch(client, token, "image2video", [task_id], max_age=60, meter=Meter())

    assert not_sent(refused)
    assert answered.name == "Asked later"
    assert emulator.count_requests(task_id=task_id) == 1


def test_the_viewer_whose_request_went_upstream_pays_and_waiters_do_not(emulator, client, token):
    cache = TaskCache()
    task_id = emulator.add_task(status="completed")
    emulator.latency = 0.5
    owner, waiters = Meter(), [Meter() for _ in range(4)]
    started = threading.Barrier(5)

    def fetch(meter: Meter) -> str:
        started.wait()
        return cache.fetch(client, token, "image2video", [task_id], max_age=60, meter=meter)[0].id

    with ThreadPoolExecutor(5) as pool:
        ids = list(pool.map(fetch, [owner, *waiters]))

    assert ids == [task_id] * 5
    assert emulator.count_requests(task_id=task_id) == 1
    assert sorted(meter.calls for meter in [owner, *waiters]) == [0, 0, 0, 0, 1]


def test_a_waiter_handed_another_viewers_refusal_asks_itself(emulator, client, token):
    cache = TaskCache()
    task_id = emulator.add_task(status="completed", name="Mine")
    emulator.latency = 0.3
    gate = threading.Event()

    def refuse_after_a_while() -> str | None:
        gate.wait(5)
        return "each viewer may send 0 status calls a minute; more frees up in 60 s"

    broke = Meter(refuse_after_a_while)
    waits_before = waits()
    with ThreadPoolExecutor(2) as pool:
        refused = pool.submit(
            cache.fetch, client, token, "image2video", [task_id], max_age=60, meter=broke
        )
        wait_until(lambda: task_id in {key[3] for key in cache._inflight})  # broke owns it
        mine = pool.submit(
            cache.fetch, client, token, "image2video", [task_id], max_age=60, meter=Meter()
        )
        wait_until(lambda: waits() > waits_before)  # mine waits on broke's request
        gate.set()
        assert not_sent(refused.result()[0])
        assert mine.result()[0].name == "Mine"
    assert emulator.count_requests(task_id=task_id) == 1


def waits() -> float:
    return REGISTRY.get_sample_value("a2e_single_flight_waits_total", {"scope": "process"}) or 0


def wait_until(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 10
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_every_list_call_of_an_overview_reading_is_charged(emu, token):
    budgets, meter = budget_meter(1_000, Budget.LIST)
    kinds = ["image2video", "face_swap"]

    with make_client(emu.base_url) as client:
        read = read_window(TaskCache(), client, token, kinds, WINDOWS["30d"], meter=meter)

    assert read.calls == emu.count_requests() == meter.calls == charged(budgets, Budget.LIST)


def test_an_overview_reading_past_the_budget_stops_and_says_why(emu, token):
    _, meter = budget_meter(1, Budget.LIST)

    with make_client(emu.base_url) as client:
        read = read_window(TaskCache(), client, token, ["image2video"], WINDOWS["30d"], meter=meter)

    assert emu.count_requests() == meter.calls == 1
    assert any("not asked: each viewer may send 1 list calls" in cut for cut in read.cut_short)


def test_a_refresh_not_sent_keeps_what_the_board_knew_and_asks_again_next_tick(
    emulator, client, token
):
    cache = TaskCache()
    task_id = emulator.add_task(status="pending")
    board = Board(scope=("server", "token", "image2video"), kind="image2video")
    board.show((task_id,), (), cache.fetch(client, token, "image2video", [task_id], max_age=0))
    _, broke = budget_meter(1)
    broke.charge()

    result = poll_once(cache, client, token, board, max_age=0, meter=broke)

    assert result is not None
    assert not_sent(result.answers[0])
    assert board.tasks[task_id].outcome is TaskOutcome.IN_PROGRESS
    assert board.pollable() == [task_id]


def test_a_meter_refuses_for_good_after_its_first_refusal_without_asking_again():
    asked: list[int] = []

    def spend() -> str | None:
        asked.append(1)
        return None if len(asked) < 3 else "spent"

    meter = Meter(spend)
    meter.charge()
    meter.charge()
    for _ in range(5):
        with pytest.raises(OverBudget, match=r"^not asked: spent$"):
            meter.charge()
    assert (meter.calls, meter.refusal, len(asked)) == (2, "spent", 3)


def test_one_http_request_is_one_call_however_many_ids_it_carries(emulator, client, token):
    # The seam every request passes (a batchDetail call included): one POST of 50 ids is
    # charged once, as the README promises ("a batch call counts as one call").
    budgets, meter = budget_meter(10)
    ids = [emulator.add_task(status="completed") for _ in range(50)]

    client._call(token, "POST", "/api/v1/userImage2Video/batchDetail", {"ids": ids}, meter)

    assert emulator.count_requests() == meter.calls == charged(budgets) == 1


def test_rows_a_lookup_could_not_send_are_not_asked_again_by_auto_refresh(emulator, client, token):
    cache = TaskCache()
    task_id = emulator.add_task(status="pending")
    _, broke = budget_meter(1)
    broke.charge()
    board = Board(scope=("server", "token", "image2video"), kind="image2video")
    board.show(
        (task_id,), (), cache.fetch(client, token, "image2video", [task_id], max_age=0, meter=broke)
    )

    assert not_sent(board.tasks[task_id])
    assert board.pollable() == []
    assert refresh_note(board.rows(), polling=True, interval=10) == (
        "nothing to refresh: 1 task not asked (look up again later)"
    )
