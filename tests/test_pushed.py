"""Pushed answers: notices per process (and across replicas through Redis), taken into a
viewer's board from the cache with no upstream call."""

from __future__ import annotations

import time

from a2e.cache.fetch import TaskCache
from a2e.cache.notices import Notices, notice_name
from a2e.cache.redis_notices import RedisRelay
from a2e.cache.redis_store import redis_client
from a2e.core.model import TaskOutcome
from a2e.sandbox import Fault
from a2e.views.board import Board
from a2e.views.pushed import take_pushed, watched_keys

RESULT = "https://cdn.example.com/result.mp4"
KEY = ("https://video.a2e.ai", "f" * 64, "image2video", "a" * 24)
WAIT = 20.0
LONG = b"x" * 500 + b'"]}'


def board_of(cache: TaskCache, client, token: str, ids: list[str]) -> Board:
    board = Board(scope=(client.base_url, "viewer", "image2video"), kind="image2video")
    board.show(tuple(ids), (), cache.fetch(client, token, "image2video", ids, max_age=60))
    return board


def test_notices_answer_what_was_announced_after_a_cursor():
    notices = Notices()
    start = notices.cursor()
    notices.announce([KEY])
    cursor, names = notices.since(start)
    assert names == {notice_name(KEY)}
    assert notices.since(cursor) == (cursor, frozenset())


def test_a_cursor_older_than_the_log_is_told_anything_may_have_changed():
    notices = Notices(keep=2)
    notices.announce([KEY, KEY, KEY])
    assert notices.since(0) == (3, None)


def test_a_notice_name_reveals_neither_the_server_nor_the_token_hash_alone():
    name = notice_name(KEY)
    assert "video.a2e.ai" not in name
    assert name.endswith(":image2video:" + "a" * 24)


def test_a_board_takes_a_pushed_answer_from_the_cache_without_asking_upstream(
    emulator, client, token
):
    running, other = emulator.add_task(status="pending"), emulator.add_task(status="pending")
    cache = TaskCache()
    board = board_of(cache, client, token, [running, other])
    emulator.set_task(running, current_status="completed", result_url=RESULT)
    cache.fetch(client, token, "image2video", [running], max_age=0)  # the webhook's confirmation
    emulator.clear_requests()
    notices = Notices()
    notices.announce([(client.origin, cache.fingerprint(token), "image2video", running)])
    updated_before = board.updated_at

    watched = watched_keys(board, client.origin, cache.fingerprint(token))
    result = take_pushed(board, watched, notices.since(0)[1], cache.store.get_many)

    assert result is not None
    assert [t.task.id for t in result.finished] == [running]
    assert board.tasks[running].outcome is TaskOutcome.COMPLETED
    assert board.tasks[other].outcome is TaskOutcome.IN_PROGRESS
    assert board.updated_at == updated_before  # polling's schedule is not moved
    assert emulator.requests == []


def test_a_notice_about_another_token_or_a_task_not_shown_changes_nothing(emulator, client, token):
    running = emulator.add_task(status="pending")
    cache = TaskCache()
    board = board_of(cache, client, token, [running])
    watched = watched_keys(board, client.origin, cache.fingerprint(token))
    elsewhere = [
        notice_name((client.origin, cache.fingerprint("sk_other"), "image2video", running)),
        notice_name((client.origin, cache.fingerprint(token), "image2video", "b" * 24)),
    ]
    assert take_pushed(board, watched, frozenset(elsewhere), cache.store.get_many) is None


def test_an_unchanged_answer_or_a_failed_lookup_in_the_cache_is_not_news(emulator, client, token):
    running, flaky = emulator.add_task(status="pending"), emulator.add_task(status="pending")
    cache = TaskCache()
    board = board_of(cache, client, token, [running, flaky])
    emulator.set_task(flaky, current_status="processing")
    emulator.inject(Fault.SERVER_ERROR, task_id=flaky, times=10)
    cache.fetch(client, token, "image2video", [flaky], max_age=0)  # a failed lookup is cached
    watched = watched_keys(board, client.origin, cache.fingerprint(token))
    assert take_pushed(board, watched, None, cache.store.get_many) is None


def test_notices_reach_the_other_replica_through_redis_and_are_not_doubled(redis_server):
    here, there = Notices(), Notices()
    relays = [
        RedisRelay(redis_client(redis_server.url), notices).start() for notices in (here, there)
    ]
    for notices, relay in zip((here, there), relays, strict=True):
        notices.attach(relay)
    try:
        deadline = time.monotonic() + WAIT
        while there.cursor() == 0 and time.monotonic() < deadline:
            here.announce([KEY])  # until the other listener has subscribed
            time.sleep(0.1)  # pub/sub gives no acknowledgement to wait on
        assert there.since(0)[1] == {notice_name(KEY)}
        sent = here.cursor()
        time.sleep(0.3)  # room for an echo of our own messages, if one came back
        assert here.cursor() == sent
    finally:
        for relay in relays:
            relay.stop()


def test_a_stranger_message_in_the_channel_is_read_as_names_or_dropped(redis_server):
    notices = Notices()
    relay = RedisRelay(redis_client(redis_server.url), notices).start()
    client = redis_client(redis_server.url)
    try:
        deadline = time.monotonic() + WAIT
        while notices.cursor() == 0 and time.monotonic() < deadline:
            for junk in (
                b"\x80\x81",
                b"[1, 2]",
                b'{"names": "x"}',
                b'{"names": [1, "' + b"x" * 500 + b'"]}',
            ):
                client.publish("a2e:v1:notices", junk)
            client.publish("a2e:v1:notices", b'{"from": "other", "names": ["ok-name"]}')
            time.sleep(0.1)  # pub/sub gives no acknowledgement to wait on
        assert notices.since(0)[1] is not None
        assert set(notices.since(0)[1] or ()) == {"ok-name"}
    finally:
        relay.stop()


def test_publishing_while_redis_is_down_raises_nothing(redis_server):
    notices = Notices()
    relay = RedisRelay(redis_client(redis_server.url), notices, retry_seconds=0.2).start()
    notices.attach(relay)
    redis_server.stop()
    try:
        notices.announce([KEY])
        assert notices.since(0)[1] == {notice_name(KEY)}
    finally:
        relay.stop()
