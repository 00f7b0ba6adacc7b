"""No request storms on the team's token: counted against the emulator over loopback.

A failing server (5xx, hung) gets a bounded number of requests per refresh, then fewer while
it keeps failing; *Refresh now* clicks within the floor cost nothing; one refused token
answer does not stop auto-refresh for good. Here every id is asked alone (a kind without
batchDetail, or a server that refuses it); the same storms with batches are in
``tests/test_batch_lookups.py``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from a2e.access.refresh import REFRESH_GAP_SECONDS, RefreshLimiter
from a2e.api.client import A2EClient
from a2e.cache.fetch import TaskCache
from a2e.core.model import LookupCause, TaskOutcome
from a2e.sandbox import Emulator, Fault
from a2e.views.backoff import MAX_INTERVAL_SECONDS, SAMPLE_SIZE
from a2e.views.board import TOKEN_DOUBT, TOKEN_REJECTED, Board
from a2e.views.polling import REFRESH_NOW_MAX_AGE, poll_once
from bench.storms import running_board
from tests.conftest import ONE_AT_A_TIME, make_client

WORKERS = 24  # the client's default concurrency: the breaker opens after one wave
ATTEMPTS = 3  # a 5xx is retried up to 3 attempts


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def client(emulator: Emulator) -> Iterator[A2EClient]:
    """A client that asks every id alone."""
    with make_client(emulator.base_url, batch_size=ONE_AT_A_TIME) as one_at_a_time:
        yield one_at_a_time


def tick(emulator: Emulator, board: Board, client: A2EClient, token: str) -> int:
    """One refresh as if the interval had passed; the requests it made."""
    before = emulator.count_requests()
    poll_once(TaskCache(), client, token, board, max_age=0.0)
    return emulator.count_requests() - before


def test_five_hundred_running_tasks_under_a_failing_server_cost_one_wave_per_tick(
    emulator, client, token
):
    board = running_board(emulator, 500)
    emulator.inject(Fault.SERVER_ERROR)
    first = tick(emulator, board, client, token)
    assert first <= ATTEMPTS * 2 * WORKERS  # was 1,500: every task, three attempts each
    assert all(task.error_cause is LookupCause.SERVER for task in board.tasks.values())
    second = tick(emulator, board, client, token)
    assert second <= ATTEMPTS * SAMPLE_SIZE
    assert board.backoff.failures == 2


def test_the_board_backs_off_exponentially_says_so_and_resets_on_success(emulator, client, token):
    board = running_board(emulator, 30)
    emulator.inject(Fault.SERVER_ERROR)
    tick(emulator, board, client, token)
    tick(emulator, board, client, token)
    assert board.backoff.interval(10) == 40
    assert board.backoff.note(10) == (
        f"the server is failing; asking every 40 s, about {SAMPLE_SIZE} unfinished tasks at a time"
    )
    emulator.clear_faults()
    assert tick(emulator, board, client, token) == SAMPLE_SIZE
    assert (board.backoff.interval(10), board.backoff.note(10)) == (10, "")
    assert tick(emulator, board, client, token) == 30


def test_the_backoff_interval_is_capped():
    board = Board(scope=("s", "t", "k"), kind="image2video")
    board.backoff.failures = 40
    assert board.backoff.interval(10) == MAX_INTERVAL_SECONDS
    assert board.backoff.interval(600) == 600


def test_the_sample_moves_on_so_every_task_is_asked_in_turn():
    board = Board(scope=("s", "t", "k"), kind="image2video")
    board.backoff.failures = 1
    ids = [f"{n:024x}" for n in range(25)]
    seen = [board.backoff.sample(ids) for _ in range(3)]
    assert [len(sample) for sample in seen] == [SAMPLE_SIZE] * 3
    assert set().union(*seen) == set(ids)


def test_a_hung_server_costs_one_wave_of_timeouts_then_a_sample(token):
    settings = {"timeout": 0.5, "batch_size": ONE_AT_A_TIME}
    with Emulator() as emulator, make_client(emulator.base_url, **settings) as client:
        board = running_board(emulator, 500)
        emulator.inject(Fault.HANG)
        assert tick(emulator, board, client, token) <= 2 * WORKERS  # timeouts are not retried
        assert tick(emulator, board, client, token) <= SAMPLE_SIZE
        assert board.backoff.active


def test_refresh_now_clicks_within_the_floor_cost_the_server_nothing(emulator, client, token):
    clock = Clock()
    cache = TaskCache(clock=clock)
    viewers = [running_board(emulator, 8) for _ in range(2)]
    viewers[1].show(viewers[0].order, (), list(viewers[0].tasks.values()))
    poll_once(cache, client, token, viewers[0], max_age=REFRESH_NOW_MAX_AGE)
    before = emulator.count_requests()
    for click in range(10):  # was 80 requests: max_age 0 asked every task on every click
        poll_once(cache, client, token, viewers[click % 2], max_age=REFRESH_NOW_MAX_AGE)
    assert emulator.count_requests() == before
    clock.now += REFRESH_NOW_MAX_AGE
    for click in range(10):
        poll_once(cache, client, token, viewers[click % 2], max_age=REFRESH_NOW_MAX_AGE)
    assert emulator.count_requests() == before + 8


def test_one_viewer_may_refresh_once_per_gap_and_is_told_how_long_to_wait():
    clock = Clock()
    limiter = RefreshLimiter(clock=clock)
    assert limiter.request().allowed
    clock.now += 1.2
    refused = limiter.request()
    assert (refused.allowed, refused.reason) == (
        False,
        "Refreshed a moment ago: try again in 4 s.",
    )
    clock.now += REFRESH_GAP_SECONDS - 1.2
    assert limiter.request().allowed


def test_one_refused_token_answer_on_one_task_does_not_stop_auto_refresh(emulator, client, token):
    board = running_board(emulator, 5)
    emulator.inject(Fault.AUTH_FAILURE, task_id=board.order[0], times=1)
    tick(emulator, board, client, token)
    assert board.tasks[board.order[0]].error_cause is LookupCause.TOKEN
    assert (board.polling_stopped, board.token_doubt) == (None, None)
    tick(emulator, board, client, token)
    assert board.tasks[board.order[0]].outcome is TaskOutcome.IN_PROGRESS


def test_a_refused_token_is_confirmed_by_the_next_answer_before_polling_stops(
    emulator, client, token
):
    board = running_board(emulator, 5)
    emulator.inject(Fault.AUTH_FAILURE)
    tick(emulator, board, client, token)
    assert (board.polling_stopped, board.token_doubt) == (None, TOKEN_DOUBT)
    assert tick(emulator, board, client, token) == 5  # the refused lookups are asked once more
    assert (board.polling_stopped, board.token_doubt) == (TOKEN_REJECTED, None)


def test_a_passing_refusal_is_cleared_by_the_next_answer(emulator, client, token):
    board = running_board(emulator, 5)
    emulator.inject(Fault.AUTH_FAILURE, times=5)
    tick(emulator, board, client, token)
    assert board.token_doubt == TOKEN_DOUBT
    tick(emulator, board, client, token)
    assert (board.polling_stopped, board.token_doubt) == (None, None)
    assert {task.outcome for task in board.tasks.values()} == {TaskOutcome.IN_PROGRESS}


def test_check_token_confirms_or_clears_a_refusal(emulator, client, token):
    board = running_board(emulator, 3)
    emulator.inject(Fault.AUTH_FAILURE)
    tick(emulator, board, client, token)
    board.token_checked(accepted=False)
    assert board.polling_stopped == TOKEN_REJECTED
    emulator.clear_faults()
    board.token_checked(accepted=client.remaining_coins(token) >= 0)
    assert (board.polling_stopped, board.token_doubt) == (None, None)
    assert sorted(board.pollable()) == sorted(board.order)


def test_resume_polling_starts_again_after_a_stop(emulator, client, token):
    board = running_board(emulator, 3)
    emulator.inject(Fault.AUTH_FAILURE)
    tick(emulator, board, client, token)
    tick(emulator, board, client, token)
    assert board.polling_stopped == TOKEN_REJECTED
    emulator.clear_faults()
    board.resume_polling()
    assert tick(emulator, board, client, token) == 3
    assert board.polling_stopped is None


def test_an_a2e_error_code_is_an_answer_and_does_not_open_the_breaker(emulator, client, token):
    ids = [emulator.add_task(status="pending") for _ in range(100)]
    emulator.inject(Fault.API_ERROR_CODE)
    tasks = client.lookup_many(token, ids)
    assert emulator.count_requests() == 100
    assert not any(task.error and task.error.startswith("not asked") for task in tasks)


def test_a_batch_under_a_failing_server_says_which_lookups_were_not_asked(emulator, client, token):
    ids = [emulator.add_task(status="pending") for _ in range(200)]
    emulator.inject(Fault.SERVER_ERROR)
    tasks = client.lookup_many(token, ids)
    skipped = [task for task in tasks if task.error and task.error.startswith("not asked")]
    assert len(skipped) >= 200 - 2 * WORKERS
    assert skipped[0].error == f"not asked: the server failed the {WORKERS} lookups before it"
    assert {task.error_cause for task in skipped} == {LookupCause.SERVER}


def test_a_backing_off_refresh_asks_exactly_the_sample_it_was_charged_for(emulator, client, token):
    board = running_board(emulator, 30)
    emulator.inject(Fault.SERVER_ERROR)
    tick(emulator, board, client, token)  # the server fails: the board now asks a sample
    emulator.clear_faults()
    emulator.clear_requests()

    charged = board.to_ask()  # what the page spends from the viewer's budget
    result = poll_once(TaskCache(), client, token, board, max_age=0.0, ids=charged)

    assert result is not None
    assert len(charged) == SAMPLE_SIZE
    asked = {task_id for task_id in charged if emulator.count_requests(task_id=task_id)}
    assert asked == set(charged)
    assert emulator.count_requests() == SAMPLE_SIZE
    assert sorted(task.id for task in result.answers) == sorted(charged)
