"""Push notices across replicas: Redis pub/sub on one channel, a listener thread per process.

    a2e:v1:notices   {"from": <this process's random id>, "names": [notice names]}

``RedisRelay.publish`` sends a process's announcements; its listener thread adds every other
process's names to this process's ``Notices`` (its own are already there). Messages are
checked before use (a list of short strings, bounded in count), so a stranger's message in
the channel adds at most some names no board holds. While Redis is unreachable, publishing
is skipped and the listener tries again every ``retry_seconds``; the outage is logged once,
naming only the error's type (never the URL, which may hold a password).
"""

from __future__ import annotations

import json
import logging
import secrets
import threading
from collections.abc import Sequence

import redis

from a2e.cache.notices import Notices
from a2e.core.outage import RETRY_SECONDS, Outage

CHANNEL = "a2e:v1:notices"
MAX_NAMES = 1000
MAX_NAME_CHARACTERS = 200
LISTEN_POLL_SECONDS = 1.0

logger = logging.getLogger("a2e.cache")


class RedisRelay:
    """Announcements to and from the other processes that share this Redis."""

    def __init__(
        self, client: redis.Redis, notices: Notices, *, retry_seconds: float = RETRY_SECONDS
    ) -> None:
        self._redis, self._notices = client, notices
        self._origin = secrets.token_hex(16)
        self._retry_seconds = retry_seconds
        self._outage = Outage(retry_seconds)
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> RedisRelay:
        """Listen for the other processes' announcements from a daemon thread."""
        self._thread = threading.Thread(target=self._listen, name="a2e-notices", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop listening (returns once the thread ended)."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def publish(self, names: Sequence[str]) -> None:
        """Send names to the other processes; skipped while Redis is unreachable."""
        message = json.dumps({"from": self._origin, "names": list(names)})
        if not self._outage.due():
            return
        try:
            self._redis.publish(CHANNEL, message)
        except (redis.RedisError, OSError) as exc:
            self._failed(exc)
            return
        self._succeeded()

    def _listen(self) -> None:
        while not self._stopping.is_set():
            try:
                self._subscribed()
            except (redis.RedisError, OSError) as exc:
                self._failed(exc)
            self._stopping.wait(self._outage_pause())

    def _subscribed(self) -> None:
        with self._redis.pubsub(ignore_subscribe_messages=True) as channel:  # type: ignore[no-untyped-call]
            channel.subscribe(CHANNEL)
            self._succeeded()
            while not self._stopping.is_set():
                message = channel.get_message(timeout=LISTEN_POLL_SECONDS)
                if message is not None:
                    self._take(message.get("data"))

    def _take(self, data: object) -> None:
        try:
            decoded = json.loads(data) if isinstance(data, bytes | str) else None
        except (ValueError, UnicodeDecodeError):
            return
        if not isinstance(decoded, dict) or decoded.get("from") == self._origin:
            return
        names = decoded.get("names")
        if isinstance(names, list) and len(names) <= MAX_NAMES:
            self._notices.receive(
                name for name in names if isinstance(name, str) and len(name) <= MAX_NAME_CHARACTERS
            )

    def _outage_pause(self) -> float:
        return self._retry_seconds if self._outage.down else 0.0

    def _failed(self, exc: BaseException) -> None:
        if self._outage.failed():
            logger.warning(
                "push notices: Redis unreachable (%s); viewers on other replicas see pushed "
                "answers at their next refresh until it is back",
                type(exc).__name__,
            )

    def _succeeded(self) -> None:
        if self._outage.succeeded():
            logger.warning("push notices: Redis is reachable again")
