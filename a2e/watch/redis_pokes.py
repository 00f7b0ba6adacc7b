"""Pokes through Redis, for a dashboard that shares the watcher's Redis but not its state file.

``publish_poke(redis_url, ids, kind)`` publishes ``{"ids": [...], "kind": ...}`` on
``POKE_CHANNEL``; a watcher started with the same ``A2E_CACHE_URL`` listens (``PokeListener``,
a thread) and writes each message's ids into its state's ``pokes`` table, so a poke through
Redis and one written to the state are answered by the same code, within a second. A message
that is not that JSON is ignored. Redis down: the listener says so once in the log and
subscribes again every few seconds; pokes published meanwhile are lost (Redis pub/sub keeps
nothing), and the next poll covers them. The URL is never logged.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterable
from pathlib import Path

import redis

from a2e.watch.pokes import MAX_POKES, poke

POKE_CHANNEL = "a2e:v1:watch:pokes"
RECONNECT_SECONDS = 3.0
LOG = logging.getLogger("a2e.watch")


def _client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_connect_timeout=3.0, health_check_interval=30)


def publish_poke(redis_url: str, ids: Iterable[str], kind: str | None = None) -> int:
    """Ask every watcher listening on this Redis to look ``ids`` up now; how many heard it."""
    message = json.dumps({"ids": list(ids)[:MAX_POKES], "kind": kind})
    return int(_client(redis_url).publish(POKE_CHANNEL, message))


class PokeListener(threading.Thread):
    """Moves pokes published on Redis into the state's ``pokes`` table until stopped."""

    def __init__(self, state_path: str | Path, redis_url: str) -> None:
        super().__init__(name="a2e-watch-redis-pokes", daemon=True)
        self._path, self._url = state_path, redis_url
        self.stopping = threading.Event()
        self.subscribed = threading.Event()
        self._down = False

    def run(self) -> None:
        while not self.stopping.is_set():
            try:
                self._listen()
            except (redis.RedisError, OSError) as exc:
                self.subscribed.clear()
                if not self._down:
                    LOG.warning("Redis pokes unavailable (%s); trying again", type(exc).__name__)
                self._down = True
                self.stopping.wait(RECONNECT_SECONDS)

    def _listen(self) -> None:
        pubsub = _client(self._url).pubsub(ignore_subscribe_messages=True)  # type: ignore[no-untyped-call]
        try:
            pubsub.subscribe(POKE_CHANNEL)
            self.subscribed.set()
            if self._down:
                LOG.warning("Redis pokes available again")
                self._down = False
            while not self.stopping.is_set():
                message = pubsub.get_message(timeout=1.0)
                if message is not None:
                    self._take(message.get("data"))
        finally:
            pubsub.close()

    def _take(self, data: object) -> None:
        try:
            found = json.loads(data) if isinstance(data, bytes | str) else None
        except ValueError:
            return
        if not isinstance(found, dict) or not isinstance(found.get("ids"), list):
            return
        kind = found.get("kind")
        poke(
            self._path,
            [i for i in found["ids"] if isinstance(i, str)],
            kind if isinstance(kind, str) else None,
        )
