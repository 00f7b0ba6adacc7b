"""Listing for people: the cache warmed by lists, a row's detail, all kinds, paging with caps."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from a2e.api.client import A2EClient
from a2e.api.errors import BadAnswer, TokenRejected
from a2e.cache.fetch import TaskCache
from a2e.core.kinds import KINDS, get_kind
from a2e.core.model import Task, TaskOutcome
from a2e.sandbox import Emulator, Fault
from a2e.views.listing import (
    ALL_KINDS,
    detail_of,
    kinds_of,
    list_all_kinds,
    list_page,
    listable_kinds,
    needs_detail,
    unlistable_kinds,
)
from a2e.views.paging import Caps, read_pages
from tests.conftest import make_client

I2V = "image2video"
LIST_PATH = get_kind(I2V).list_path


@pytest.fixture
def client(emu: Emulator) -> Iterator[A2EClient]:
    with make_client(emu.base_url) as a2e_client:
        yield a2e_client


@pytest.fixture
def cache() -> TaskCache:
    return TaskCache()


def never(*_: object) -> bool:
    return False


# The cache, warmed by a list


def test_a_listed_final_task_costs_no_status_call_afterwards(emu, client, cache):
    page = list_page(cache, client, emu.token, I2V, 1, 50)
    final = [task.id for task in page.tasks if task.is_final]
    emu.clear_requests()
    tasks = cache.fetch(client, emu.token, I2V, final, max_age=5)
    assert [task.id for task in tasks] == final
    assert [task.outcome for task in tasks] == [t.outcome for t in page.tasks if t.is_final]
    assert emu.count_requests() == 0


def test_a_listed_running_task_is_asked_again_once_stale(emu, client, cache):
    running = [
        t.id for t in list_page(cache, client, emu.token, I2V, 1, 50).tasks if not t.is_final
    ]
    emu.clear_requests()
    cache.fetch(client, emu.token, I2V, running, max_age=60)
    assert emu.count_requests() == 0
    cache.fetch(client, emu.token, I2V, running, max_age=0)
    assert all(emu.count_asked(task_id) == 1 for task_id in running)
    assert len(running) > 0


def test_a_list_never_warms_the_cache_for_another_token(emu, client, cache):
    final = [t.id for t in list_page(cache, client, emu.token, I2V, 1, 10).tasks if t.is_final]
    tasks = cache.fetch(client, "sk_someone_else", I2V, final[:1], max_age=60)
    assert tasks[0].outcome is TaskOutcome.LOOKUP_ERROR
    assert emu.count_asked(final[0]) == 1


# Rows that lack what a person needs


def test_a_failed_row_without_its_message_needs_its_detail():
    failed = Task(id="a" * 24, kind=I2V, outcome=TaskOutcome.FAILED, failed_code="E1")
    completed = Task(id="b" * 24, kind=I2V, outcome=TaskOutcome.COMPLETED)
    assert needs_detail(failed)
    assert needs_detail(completed)
    assert not needs_detail(Task(id="c" * 24, kind=I2V, outcome=TaskOutcome.IN_PROGRESS))
    assert not needs_detail(
        Task(id="d" * 24, kind=I2V, outcome=TaskOutcome.FAILED, failed_message="x")
    )


def test_a_row_lacking_its_detail_is_completed_by_one_status_call(cache):
    with Emulator() as emu, make_client(emu.base_url) as client:
        task_id = emu.add_task(status="failed", failed_code="E1", failed_message="")
        listed = next(
            t for t in list_page(cache, client, emu.token, I2V, 1, 20).tasks if t.id == task_id
        )
        emu.set_task(task_id, failed_message="The render worker crashed.")
        emu.clear_requests()
        first = detail_of(cache, client, emu.token, listed, max_age=5)
        again = detail_of(cache, client, emu.token, listed, max_age=5)
        assert emu.count_requests() == 1
    assert listed.failed_message is None
    assert first.task.failed_message == again.task.failed_message == "The render worker crashed."
    assert first.task.updated_at == listed.updated_at  # a time the status answer does not give
    assert first.problem is None


def test_a_complete_row_is_its_own_detail_without_a_call(emu, client, cache):
    listed = list_page(cache, client, emu.token, I2V, 1, 10).tasks[0]
    emu.clear_requests()
    assert detail_of(cache, client, emu.token, listed, max_age=5).task is listed
    assert emu.count_requests() == 0


def test_a_detail_that_cannot_be_fetched_keeps_the_row_and_says_why(cache):
    with Emulator() as emu, make_client(emu.base_url) as client:
        task_id = emu.add_task(status="failed", failed_message="")
        listed = next(
            t for t in list_page(cache, client, emu.token, I2V, 1, 20).tasks if t.id == task_id
        )
        emu.inject(Fault.BAD_GATEWAY_HTML)
        detail = detail_of(cache, client, emu.token, listed, max_age=5)
    assert detail.task is listed
    assert detail.problem == "details could not be fetched: HTTP 502 from server (HTML error page)"


# All kinds


def test_all_kinds_merges_every_kinds_first_page_newest_first(emu, client, cache):
    merged = list_all_kinds(cache, client, emu.token, 20)
    newest = sorted(
        (t for page in merged.pages for t in page.tasks), key=lambda t: t.created_at, reverse=True
    )
    assert [t.id for t in merged.tasks] == [t.id for t in newest[:20]]
    assert len({t.kind for t in merged.tasks}) > 1
    assert merged.total == sum(len(emu.task_ids(kind)) for kind in listable_kinds())
    assert emu.count_requests() == len(listable_kinds())


def test_all_kinds_shows_the_kinds_that_answered_and_names_the_one_that_failed(emu, client, cache):
    emu.set_list_shape("data_text", kind="face_swap")
    merged = list_all_kinds(cache, client, emu.token, 20)
    assert [kind for kind, _ in merged.failures] == ["face_swap"]
    assert "could not be read" in merged.failures[0][1]
    assert merged.tasks
    assert merged.total is None


def test_all_kinds_raises_when_every_kind_failed(emu, client, cache):
    with pytest.raises(TokenRejected):
        list_all_kinds(cache, client, "sk_wrong", 20)


def test_every_kind_of_the_catalogue_has_a_list_call():
    assert unlistable_kinds() == []
    assert kinds_of(ALL_KINDS) == listable_kinds() == list(KINDS)
    assert kinds_of("face_swap") == ["face_swap"]


# Paging with caps


def test_reading_pages_stops_at_the_end_of_the_list(emu, client, cache):
    read = read_pages(cache, client, emu.token, I2V, never, Caps(page_size=50))
    assert [t.id for t in read.tasks] == emu.task_ids()
    assert read.calls == emu.count_requests(path=LIST_PATH) == 3
    assert read.cut_short is None


def test_reading_pages_stops_when_the_caller_has_enough(emu, client, cache):
    read = read_pages(
        cache, client, emu.token, I2V, lambda page, _: page.page == 2, Caps(page_size=20)
    )
    assert (read.calls, len(read.tasks)) == (2, 40)


def test_reading_pages_stops_at_the_call_cap_and_says_so(emu, client, cache):
    read = read_pages(cache, client, emu.token, I2V, never, Caps(max_calls=2, page_size=10))
    assert (read.calls, len(read.tasks)) == (2, 20)
    assert read.cut_short == "stopped at the cap of 2 list calls"
    assert not read.failed


def test_reading_pages_stops_at_the_task_cap_and_says_so(emu, client, cache):
    read = read_pages(cache, client, emu.token, I2V, never, Caps(max_tasks=25, page_size=10))
    assert (read.calls, len(read.tasks)) == (3, 25)
    assert read.cut_short == "stopped at the cap of 25 tasks"


def test_concurrent_waves_never_ask_past_the_known_total(emu, client, cache):
    read = read_pages(cache, client, emu.token, I2V, never, Caps(page_size=50, concurrency=8))
    assert [t.id for t in read.tasks] == emu.task_ids()
    assert emu.count_requests(path=LIST_PATH) == 3


def test_a_page_that_fails_midway_keeps_what_was_read_and_says_which(emu, client, cache):
    def break_after_first(done: int, _expected: int) -> None:
        if done == 1:
            emu.inject(Fault.BAD_GATEWAY_HTML)

    read = read_pages(cache, client, emu.token, I2V, never, Caps(page_size=20), break_after_first)
    assert len(read.tasks) == 20
    assert read.cut_short == "page 2 could not be read: HTTP 502 from server (HTML error page)"
    assert read.failed


def test_a_first_page_that_fails_raises(emu, client, cache):
    emu.set_list_shape("rows_object")
    with pytest.raises(BadAnswer):
        read_pages(cache, client, emu.token, I2V, never)


def test_progress_counts_calls_against_the_calls_expected(emu, client, cache):
    seen: list[tuple[int, int]] = []
    read_pages(cache, client, emu.token, I2V, never, Caps(page_size=50), lambda *p: seen.append(p))
    assert seen == [(1, 3), (2, 3), (3, 3)]


def test_a_server_that_caps_the_page_size_is_caught_before_tasks_are_skipped(emu, client, cache):
    emu.max_page_size = 20
    try:
        read = read_pages(cache, client, emu.token, I2V, never, Caps(page_size=50))
    finally:
        emu.max_page_size = 100
    assert (read.calls, len(read.tasks)) == (1, 20)
    assert read.cut_short == "the server sent 20 tasks for a page of 50: use pages of 20"


def test_a_page_knows_how_many_pages_the_list_has(emu, client):
    page = client.list_tasks(emu.token, I2V, 1, 50)
    assert page.page_count == -(-len(emu.task_ids()) // 50)
    emu.set_list_shape("data", None)
    assert client.list_tasks(emu.token, I2V, 1, 50).page_count is None
