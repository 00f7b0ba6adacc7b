"""A shared store with a fallback: when Redis is unreachable, this process keeps working alone.

Every operation goes to the primary (Redis) while it answers. When it fails, the operation is
done on the fallback (this process's ``MemoryStore``) instead, the server log says so once,
and ``note()`` gives the page a short notice. While down, the primary is tried again every
``retry_seconds`` (one operation at a time pays for the try); the first success logs that it
is back, and the fallback's answers are simply no longer read. Nothing here raises for the
primary's sake, and no message names the URL, a key or a token.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from typing import TypeVar

from a2e.api.metrics import REDIS_AVAILABLE, REDIS_CONFIGURED
from a2e.cache.memory import MemoryStore
from a2e.cache.store import Cached, CacheKey, CacheStore, StoreUnavailable, Usable
from a2e.core.model import Task
from a2e.core.outage import RETRY_SECONDS, Outage

NOTE = (
    "The shared cache (Redis) is unreachable: this dashboard process is using its own memory "
    "until it is back. Lookups still work; other replicas may ask A2E again for the same tasks."
)

logger = logging.getLogger("a2e.cache")
T = TypeVar("T")


class FailoverStore:
    """``primary`` while it answers, else ``fallback``; back to ``primary`` once it answers."""

    def __init__(
        self,
        primary: CacheStore,
        fallback: MemoryStore,
        *,
        retry_seconds: float = RETRY_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._primary, self._fallback = primary, fallback
        self._outage = Outage(retry_seconds, clock)
        REDIS_CONFIGURED.set(1)
        REDIS_AVAILABLE.set(1)

    @property
    def using_fallback(self) -> bool:
        """True while the primary is considered unreachable."""
        return self._outage.down

    def get_many(self, keys: Sequence[CacheKey]) -> dict[CacheKey, Cached]:
        """See ``CacheStore.get_many``."""
        return self._call(lambda store: store.get_many(keys))

    def put(self, key: CacheKey, task: Task) -> None:
        """See ``CacheStore.put``."""
        self._call(lambda store: store.put(key, task))

    def claim(self, keys: Sequence[CacheKey]) -> tuple[list[CacheKey], list[CacheKey]]:
        """See ``CacheStore.claim``."""
        return self._call(lambda store: store.claim(keys))

    def release(self, keys: Sequence[CacheKey]) -> None:
        """See ``CacheStore.release``."""
        self._call(lambda store: store.release(keys))

    def wait_for(self, keys: Sequence[CacheKey], usable: Usable) -> dict[CacheKey, Cached]:
        """See ``CacheStore.wait_for``."""
        return self._call(lambda store: store.wait_for(keys, usable))

    def clear(self) -> None:
        """Forget every answer, in both stores."""
        self._fallback.clear()
        self._call(lambda store: store.clear())

    def note(self) -> str | None:
        """The notice to show while the fallback is in use."""
        return NOTE if self.using_fallback else None

    def _call(self, operation: Callable[[CacheStore], T]) -> T:
        if not self._outage.due():
            return operation(self._fallback)
        try:
            result = operation(self._primary)
        except StoreUnavailable as exc:
            if self._outage.failed():
                REDIS_AVAILABLE.set(0)
                logger.warning("%s; using this process's memory until it is back", exc)
            return operation(self._fallback)
        if self._outage.succeeded():
            REDIS_AVAILABLE.set(1)
            logger.warning("shared cache (Redis) is reachable again; using it")
        return result
