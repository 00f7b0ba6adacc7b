"""The Redis store: one cache for every replica of the dashboard, with claims across them.

Keys (nothing in them reveals a token; the server URL is hashed):

    a2e:v1:task:<sha256(server)[:16]>:<keyed hash of the token>:<kind>:<id>   the answer (JSON)
    a2e:v1:claim:<same>                                                       who is asking now

Values are JSON (``a2e.cache.codec``), never pickles, and expire by themselves (final
answers after hours, others after minutes). A claim is ``SET NX PX``: it lives
``claim_seconds`` at most, so a replica that crashes while asking blocks the others no longer
than that; it is given back only by its owner (compare-and-delete). An answer is stored before
its claim is given back, and a final answer is never overwritten by one that is not final
(checked inside Redis, atomically). Every Redis error becomes ``StoreUnavailable`` naming only
the error's type: never the URL (it may hold a password), a key or a value.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from a2e.cache import codec
from a2e.cache.store import (
    FINAL_TTL_SECONDS,
    RUNNING_TTL_SECONDS,
    Cached,
    CacheKey,
    StoreUnavailable,
    Usable,
    time_to_live,
)
from a2e.core.model import Task

PREFIX = "a2e:v1"
CLAIM_SECONDS = 15.0
CONNECT_TIMEOUT_SECONDS = 1.0
COMMAND_TIMEOUT_SECONDS = 2.0
# Waiters poll for the answer: quickly at first, then at most this often.
_FIRST_POLL, _LONGEST_POLL = 0.02, 0.2

# Store ARGV[1] unless the stored value is final and the new one (ARGV[2] == "0") is not.
_PUT_SCRIPT = """
if ARGV[2] == '0' then
  local current = redis.call('GET', KEYS[1])
  if current then
    local ok, old = pcall(cjson.decode, current)
    if ok and type(old) == 'table' and old['final'] == true then return 0 end
  end
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
return 1
"""
_RELEASE_SCRIPT = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


def redis_client(url: str) -> redis.Redis:
    """A client for ``redis://`` or ``rediss://`` URLs that fails fast instead of retrying."""
    return redis.Redis.from_url(
        url,
        socket_connect_timeout=CONNECT_TIMEOUT_SECONDS,
        socket_timeout=COMMAND_TIMEOUT_SECONDS,
        retry=Retry(NoBackoff(), 0),
        health_check_interval=30,
    )


@contextmanager
def _unavailable_on_error() -> Iterator[None]:
    """Translate Redis and socket errors (the one place that does) into ``StoreUnavailable``."""
    try:
        yield
    except (redis.RedisError, OSError) as exc:
        raise StoreUnavailable(f"shared cache unavailable ({type(exc).__name__})") from None


def _entry_key(key: CacheKey, kind: str = "task") -> str:
    server, token_hash, task_kind, task_id = key
    server_hash = hashlib.sha256(server.encode()).hexdigest()[:16]
    return f"{PREFIX}:{kind}:{server_hash}:{token_hash}:{task_kind}:{task_id}"


def _claim_key(key: CacheKey) -> str:
    return _entry_key(key, "claim")


class RedisStore:
    """Answers kept in Redis, shared by every process that uses the same Redis and secret."""

    def __init__(
        self,
        client: redis.Redis,
        *,
        final_ttl: float = FINAL_TTL_SECONDS,
        running_ttl: float = RUNNING_TTL_SECONDS,
        claim_seconds: float = CLAIM_SECONDS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._redis = client
        self._final_ttl, self._running_ttl = final_ttl, running_ttl
        self.claim_seconds, self._clock = claim_seconds, clock
        self._owner = secrets.token_hex(16)
        self._put_script = client.register_script(_PUT_SCRIPT)
        self._release_script = client.register_script(_RELEASE_SCRIPT)

    def get_many(self, keys: Sequence[CacheKey]) -> dict[CacheKey, Cached]:
        """The stored answers of those keys that have a valid one."""
        if not keys:
            return {}
        with _unavailable_on_error():
            values = self._redis.mget([_entry_key(key) for key in keys])
        return self._decoded(keys, values)

    def put(self, key: CacheKey, task: Task) -> None:
        """Store an answer (atomically refusing to replace a final one by a non-final one)."""
        value = codec.encode(task, self._clock())
        if value is None:
            return
        ttl_ms = int(time_to_live(task, self._final_ttl, self._running_ttl) * 1000)
        final = "1" if task.is_final else "0"
        with _unavailable_on_error():
            self._put_script(keys=[_entry_key(key)], args=[value, final, ttl_ms])

    def claim(self, keys: Sequence[CacheKey]) -> tuple[list[CacheKey], list[CacheKey]]:
        """Claim each key for ``claim_seconds``: (claimed by us, claimed by someone else)."""
        if not keys:
            return [], []
        ttl_ms = int(self.claim_seconds * 1000)
        with _unavailable_on_error():
            pipe = self._redis.pipeline(transaction=False)
            for key in keys:
                pipe.set(_claim_key(key), self._owner, nx=True, px=ttl_ms)
            granted = pipe.execute()
        ours = [key for key, ok in zip(keys, granted, strict=True) if ok]
        return ours, [key for key, ok in zip(keys, granted, strict=True) if not ok]

    def release(self, keys: Sequence[CacheKey]) -> None:
        """Give back our claims (a claim that expired and was taken by another is left alone)."""
        if not keys:
            return
        with _unavailable_on_error():
            pipe = self._redis.pipeline(transaction=False)
            for key in keys:
                self._release_script(keys=[_claim_key(key)], args=[self._owner], client=pipe)
            pipe.execute()

    def wait_for(self, keys: Sequence[CacheKey], usable: Usable) -> dict[CacheKey, Cached]:
        """Poll until each key has a usable answer or no claim; at most a claim's life."""
        deadline = time.monotonic() + self.claim_seconds
        found: dict[CacheKey, Cached] = {}
        left, pause = list(keys), _FIRST_POLL
        while left and time.monotonic() < deadline:
            time.sleep(pause)
            pause = min(pause * 2, _LONGEST_POLL)
            claimed, answers = self._peek(left)
            found |= {key: entry for key, entry in answers.items() if usable(entry)}
            left = [key for key in left if key not in found and key in claimed]
        return found

    def clear(self) -> None:
        """Forget every answer and claim of this dashboard (other data in Redis is left)."""
        with _unavailable_on_error():
            batch: list[Any] = []
            for name in self._redis.scan_iter(match=f"{PREFIX}:*", count=500):
                batch.append(name)
                if len(batch) >= 500:
                    self._redis.unlink(*batch)
                    batch.clear()
            if batch:
                self._redis.unlink(*batch)

    def note(self) -> str | None:
        """Redis problems are noted by ``FailoverStore``, which this store runs behind."""
        return None

    def _peek(self, keys: list[CacheKey]) -> tuple[set[CacheKey], dict[CacheKey, Cached]]:
        """(keys still claimed, their stored answers): claims read first, then answers."""
        with _unavailable_on_error():
            pipe = self._redis.pipeline(transaction=False)
            for key in keys:
                pipe.exists(_claim_key(key))
            pipe.mget([_entry_key(key) for key in keys])
            *held, values = pipe.execute()
        claimed = {key for key, count in zip(keys, held, strict=True) if count}
        return claimed, self._decoded(keys, values)

    def _decoded(self, keys: Sequence[CacheKey], values: list[Any]) -> dict[CacheKey, Cached]:
        now, found = self._clock(), {}
        for key, value in zip(keys, values, strict=True):
            decoded = codec.decode(value, key[3], key[2]) if isinstance(value, bytes) else None
            if decoded is not None:
                task, stored_at = decoded
                found[key] = Cached(task, max(0.0, now - stored_at))
        return found
