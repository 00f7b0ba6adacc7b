"""A webhook's confirmed tasks poke the watcher: into its state file, or through Redis, never
both; by the kind that knew each id; a poke that cannot be made loses nothing else."""

from __future__ import annotations

import json
import logging
import time

import redis

from a2e.api.client import A2EClient
from a2e.cache.fetch import TaskCache
from a2e.hooks.ask import confirm_ids
from a2e.sandbox import DEMO_TOKEN, Emulator
from a2e.ui.watcher_pokes import poke_watcher, pokes_for
from a2e.watch.db import open_state
from a2e.watch.pokes import take_pokes
from a2e.watch.redis_pokes import POKE_CHANNEL

UNKNOWN = "0123456789abcdef01234567"
HEARD_WITHIN = 5.0


def poked(state_path) -> list[tuple[str, str | None]]:
    connection = open_state(state_path)
    try:
        return take_pokes(connection)
    finally:
        connection.close()


def confirmed(emulator: Emulator, task_ids: list[str]):
    with A2EClient(emulator.base_url) as client:
        return confirm_ids(TaskCache(), client, DEMO_TOKEN, task_ids)


def test_confirmed_ids_are_poked_into_the_watchers_state_as_the_kind_that_knew_them(
    emulator, tmp_path
):
    veo = emulator.add_task(kind="veo", status="completed")
    image = emulator.add_task(status="processing")
    state = tmp_path / "watch.sqlite"

    where = poke_watcher(pokes_for(confirmed(emulator, [veo, image, UNKNOWN])), str(state), None)

    assert where == "state"
    assert sorted(poked(state)) == sorted([(veo, "veo"), (image, "image2video")])


def test_an_id_no_kind_knows_is_not_poked(emulator, tmp_path):
    state = tmp_path / "watch.sqlite"
    assert poke_watcher(pokes_for(confirmed(emulator, [UNKNOWN])), str(state), None) is None
    assert not state.exists()


def test_without_a_state_the_poke_is_published_on_redis_with_its_kind(emulator, redis_server):
    task_id = emulator.add_task(kind="nano_banana", status="completed")
    listener = redis.Redis.from_url(redis_server.url).pubsub()
    listener.subscribe(POKE_CHANNEL)
    listener.get_message(timeout=HEARD_WITHIN)  # the subscription's confirmation

    where = poke_watcher(pokes_for(confirmed(emulator, [task_id])), None, redis_server.url)

    message = listener.get_message(timeout=HEARD_WITHIN)
    assert where == "redis"
    assert message is not None
    assert json.loads(message["data"]) == {"ids": [task_id], "kind": "nano_banana"}


def test_with_a_state_and_redis_only_the_state_is_poked(emulator, redis_server, tmp_path):
    task_id = emulator.add_task(status="completed")
    state = tmp_path / "watch.sqlite"
    listener = redis.Redis.from_url(redis_server.url).pubsub()
    listener.subscribe(POKE_CHANNEL)
    listener.get_message(timeout=HEARD_WITHIN)

    poke_watcher({"image2video": [task_id]}, str(state), redis_server.url)

    assert poked(state) == [(task_id, "image2video")]
    deadline = time.monotonic() + 0.5
    while time.monotonic() < deadline:
        assert listener.get_message(timeout=0.1) is None


def test_a_state_file_that_is_not_a_state_is_left_untouched_and_nothing_raises(tmp_path, caplog):
    foreign = tmp_path / "notes.txt"
    foreign.write_text("not a database, " * 100)
    before = foreign.read_bytes()

    with caplog.at_level(logging.WARNING, logger="a2e.hooks"):
        where = poke_watcher({None: ["67d29023dd27a536fdf6e809"]}, str(foreign), None)

    assert where is None
    assert foreign.read_bytes() == before
    assert "poking the watcher failed" in caplog.text
    assert str(foreign) not in caplog.text
