"""The shared cache on a real redis-server: replicas share answers, claims and the rules."""

from __future__ import annotations

import json
import logging
import pickle
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis

from a2e.cache.failover import FailoverStore
from a2e.cache.fetch import TaskCache, keyed_fingerprint
from a2e.cache.memory import MemoryStore
from a2e.cache.redis_store import PREFIX, RedisStore, redis_client
from a2e.cache.stores import CacheSettingsError, cache_from_settings
from a2e.core.model import TaskOutcome

ROOT = Path(__file__).resolve().parents[1]
SECRET = "test-secret-4f9c2d7e8a1b3c5d"
KIND = "image2video"


def shared_cache(url: str, **store_options: float) -> TaskCache:
    """What cache_from_settings builds, with test-sized waits."""
    retry = store_options.pop("retry_seconds", 5.0)
    store = FailoverStore(
        RedisStore(redis_client(url), **store_options), MemoryStore(), retry_seconds=retry
    )
    return TaskCache(store=store, fingerprint_key=SECRET.encode())


def stored_values(url: str) -> dict[bytes, bytes]:
    with redis.Redis.from_url(url) as client:
        names = list(client.scan_iter(match=f"{PREFIX}:task:*"))
        return dict(zip(names, client.mget(names), strict=True)) if names else {}


def shared_job(emulator, token: str, redis_url: str, **more: object) -> dict[str, object]:
    """A cache worker's job: the shared cache at ``redis_url``, the emulator, and ``more``."""
    return {
        "cache_url": redis_url,
        "secret": SECRET,
        "base_url": emulator.base_url,
        "token": token,
        **more,
    }


def run_replicas(job: dict[str, object], replicas: int) -> list[dict[str, object]]:
    job = {**job, "start_at": time.time() + 3.0}
    command = [sys.executable, "-m", "tests.cache_worker", json.dumps(job)]
    processes = [
        subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
        for _ in range(replicas)
    ]
    outputs = [process.communicate(timeout=60)[0] for process in processes]
    assert [process.returncode for process in processes] == [0] * replicas
    return [json.loads(output) for output in outputs]


def test_two_replicas_asking_at_once_make_one_upstream_request_per_task(
    emulator, token, redis_server
):
    ids = [emulator.add_task(status="pending") for _ in range(8)]
    emulator.latency = 0.5
    job = shared_job(emulator, token, redis_server.url, ids=ids, viewers=3)

    results = run_replicas(job, replicas=2)

    assert [r["statuses"] for r in results] == [[["pending"] * 8] * 3] * 2
    assert [emulator.count_asked(i) for i in ids] == [1] * 8
    assert sum(r["upstream"] for r in results) == 8


def test_replicas_without_a_shared_cache_each_ask(emulator, token):
    ids = [emulator.add_task(status="pending") for _ in range(4)]
    emulator.latency = 0.2
    job = {"cache_url": "", "secret": "", "base_url": emulator.base_url, "token": token}

    run_replicas({**job, "ids": ids, "viewers": 2}, replicas=2)

    assert [emulator.count_asked(i) for i in ids] == [2] * 4


def test_final_tasks_are_shared_for_hours_and_running_ones_by_max_age(
    emulator, client, token, redis_server
):
    done = emulator.add_task(status="completed")
    running = emulator.add_task(status="pending")
    first, second = shared_cache(redis_server.url), shared_cache(redis_server.url)

    first.fetch(client, token, KIND, [done, running], max_age=60)
    second.fetch(client, token, KIND, [done, running], max_age=60)
    assert (emulator.count_asked(done), emulator.count_asked(running)) == (
        1,
        1,
    )
    time.sleep(0.3)
    second.fetch(client, token, KIND, [done, running], max_age=0.2)
    assert (emulator.count_asked(done), emulator.count_asked(running)) == (
        1,
        2,
    )


def test_entries_expire_in_redis_by_their_time_to_live(emulator, client, token, redis_server):
    done = emulator.add_task(status="completed")
    running = emulator.add_task(status="pending")
    cache = shared_cache(redis_server.url, final_ttl=3600, running_ttl=1.0)
    cache.fetch(client, token, KIND, [done, running], max_age=60)

    with redis.Redis.from_url(redis_server.url) as raw:
        ttls = {name: raw.pttl(name) for name in raw.scan_iter(match=f"{PREFIX}:task:*")}
        assert sorted(ttl // 1000 for ttl in ttls.values()) == [0, 3599]
        time.sleep(1.2)
        assert len(list(raw.scan_iter(match=f"{PREFIX}:task:*"))) == 1


def test_values_in_redis_are_json_and_keys_hold_no_token(emulator, client, token, redis_server):
    ids = [emulator.add_task(status="completed", name="Shared"), emulator.add_task()]
    shared_cache(redis_server.url).fetch(client, token, KIND, ids, max_age=60)

    values = stored_values(redis_server.url)

    assert len(values) == 2
    for name, value in values.items():
        decoded = json.loads(value)
        assert decoded["task"]["id"] in ids
        assert token not in name.decode()
        assert token not in value.decode()
        assert keyed_fingerprint(SECRET.encode(), token) in name.decode()


def test_a_pickle_planted_in_redis_is_never_loaded(emulator, client, token, redis_server):
    task_id = emulator.add_task(status="completed", name="Real")
    cache = shared_cache(redis_server.url)
    cache.fetch(client, token, KIND, [task_id], max_age=60)
    [name] = stored_values(redis_server.url)
    planted = cache.fetch(client, token, KIND, [task_id], max_age=60)[0]
    with redis.Redis.from_url(redis_server.url) as raw:
        raw.set(name, pickle.dumps(planted.with_fetched_at(planted.fetched_at)))
    emulator.clear_requests()

    [task] = shared_cache(redis_server.url).fetch(client, token, KIND, [task_id], max_age=60)

    assert task.name == "Real"
    assert emulator.count_asked(task_id) == 1
    assert json.loads(stored_values(redis_server.url)[name])["task"]["name"] == "Real"


def test_an_answer_about_another_task_planted_under_a_key_is_ignored(
    emulator, client, token, redis_server
):
    real, other = emulator.add_task(status="completed"), emulator.add_task(status="failed")
    cache = shared_cache(redis_server.url)
    cache.fetch(client, token, KIND, [real, other], max_age=60)
    values = stored_values(redis_server.url)
    other_value = next(v for v in values.values() if json.loads(v)["task"]["id"] == other)
    real_name = next(n for n, v in values.items() if json.loads(v)["task"]["id"] == real)
    with redis.Redis.from_url(redis_server.url) as raw:
        raw.set(real_name, other_value)

    [task] = shared_cache(redis_server.url).fetch(client, token, KIND, [real], max_age=60)

    assert (task.id, task.outcome) == (real, TaskOutcome.COMPLETED)


def test_a_crashed_owner_blocks_others_no_longer_than_its_claim(
    emulator, client, token, redis_server
):
    task_id = emulator.add_task(status="pending")
    cache = shared_cache(redis_server.url, claim_seconds=1.0)
    claim = f"{PREFIX}:claim:" + stored_key_suffix(client.base_url, token, task_id)
    with redis.Redis.from_url(redis_server.url) as raw:
        raw.set(claim, "a replica that crashed", px=1000)
    started = time.monotonic()

    [task] = cache.fetch(client, token, KIND, [task_id], max_age=5)

    assert task.status == "pending"
    assert 0.8 < time.monotonic() - started < 3.0
    assert emulator.count_asked(task_id) == 1


def stored_key_suffix(base_url: str, token: str, task_id: str) -> str:
    import hashlib

    server = hashlib.sha256(base_url.encode()).hexdigest()[:16]
    return f"{server}:{keyed_fingerprint(SECRET.encode(), token)}:{KIND}:{task_id}"


def test_a_final_answer_is_never_replaced_by_an_older_running_one(
    emulator, client, token, redis_server
):
    task_id = emulator.add_task(status="pending")
    slow_replica, fast_replica = shared_cache(redis_server.url), shared_cache(redis_server.url)
    running = client.lookup(token, task_id)
    emulator.set_task(task_id, current_status="completed")
    fast_replica.fetch(client, token, KIND, [task_id], max_age=0)

    key = (client.base_url, slow_replica.fingerprint(token), KIND, task_id)

    slow_replica.store.put(key, running)

    [task] = slow_replica.fetch(client, token, KIND, [task_id], max_age=60)
    assert task.outcome is TaskOutcome.COMPLETED
    assert emulator.count_asked(task_id) == 2


def test_redis_going_down_falls_back_to_memory_once_then_returns(
    emulator, client, token, tmp_path, caplog
):
    from tests.redis_server import RedisServer, assert_one_outage_logged, require_redis_server

    require_redis_server()
    server = RedisServer(tmp_path, password="redis-password-9d8c7b6a").start()
    try:
        cache = shared_cache(server.url, retry_seconds=0.3)
        running = emulator.add_task(status="pending")
        cache.fetch(client, token, KIND, [running], max_age=0)
        server.kill()
        with caplog.at_level(logging.WARNING, logger="a2e.cache"):
            for _ in range(3):
                [task] = cache.fetch(client, token, KIND, [running], max_age=0)
                assert task.status == "pending"
            assert cache.backend_note() is not None
            server.start()
            time.sleep(0.4)
            cache.fetch(client, token, KIND, [running], max_age=0)
        assert cache.backend_note() is None
        assert len(stored_values(server.url)) == 1
    finally:
        server.stop()
    messages = [record.getMessage() for record in caplog.records]
    assert_one_outage_logged(
        messages, caplog.text, never=(token, "redis-password-9d8c7b6a", SECRET, str(server.port))
    )


def test_no_redis_at_all_is_noted_and_lookups_still_work(emulator, client, token):
    unreachable = "redis://127.0.0.1:9/0"  # the discard port: nothing listens on loopback
    cache = cache_from_settings({"A2E_CACHE_URL": unreachable, "A2E_CACHE_SECRET": SECRET})

    [task] = cache.fetch(client, token, KIND, [emulator.add_task(status="sent")], max_age=0)

    assert task.status == "sent"
    assert "unreachable" in (cache.backend_note() or "")


@pytest.mark.parametrize(
    ("settings", "named"),
    [
        ({"A2E_CACHE_URL": "redis://:hunter2pass@cache:6379/0"}, "A2E_CACHE_SECRET is required"),
        ({"A2E_CACHE_URL": "redis://cache", "A2E_CACHE_SECRET": "short"}, "A2E_CACHE_SECRET"),
        ({"A2E_CACHE_URL": "http://:hunter2pass@cache", "A2E_CACHE_SECRET": SECRET}, "redis://"),
        ({"A2E_CACHE_MAX_BYTES": "lots"}, "A2E_CACHE_MAX_BYTES must be a whole number"),
    ],
)
def test_unusable_cache_settings_are_refused_with_a_message_that_repeats_no_value(settings, named):
    with pytest.raises(CacheSettingsError) as refused:
        cache_from_settings(settings)
    assert named in str(refused.value)
    assert "hunter2pass" not in str(refused.value)
    assert "lots" not in str(refused.value)


def test_rediss_urls_make_encrypted_connections():
    client = redis_client("rediss://:pw@cache.example:6380/2")
    kwargs = client.connection_pool.connection_kwargs
    assert client.connection_pool.connection_class.__name__ == "SSLConnection"
    assert (kwargs["host"], kwargs["port"], kwargs["db"], kwargs["password"]) == (
        "cache.example",
        6380,
        2,
        "pw",
    )


def test_a_tls_redis_with_a_password_is_shared_through_a_rediss_url(
    emulator, client, token, tmp_path
):
    from tests.redis_server import RedisServer, require_redis_server

    require_redis_server()
    server = RedisServer(tmp_path, password="tls-redis-password-42", tls=True).start()
    try:
        settings = {"A2E_CACHE_URL": server.url, "A2E_CACHE_SECRET": SECRET}
        task_id = emulator.add_task(status="completed")
        cache_from_settings(settings).fetch(client, token, KIND, [task_id], max_age=60)
        [task] = cache_from_settings(settings).fetch(client, token, KIND, [task_id], max_age=60)
        stored = stored_values(server.url)
    finally:
        server.stop()
    assert task.outcome is TaskOutcome.COMPLETED
    assert emulator.count_asked(task_id) == 1
    assert len(stored) == 1


def test_without_a_cache_url_the_redis_package_is_not_imported():
    script = (
        "import sys\n"
        "from a2e.cache.stores import cache_from_settings\n"
        "import a2e, a2e.cli, a2e.views.polling\n"
        "cache = cache_from_settings({})\n"
        "print(type(cache.store).__name__, 'redis' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["MemoryStore", "False"]
