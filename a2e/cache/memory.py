"""The in-process store: the default, for one machine. Bounded by bytes, least recently used out.

An entry's size is measured, not guessed: the ``Task`` object, every one of its field values
(all its strings, the raw JSON included) and the key's strings, plus the bookkeeping around
them. The store holds at most ``max_bytes`` of entries: storing more evicts expired entries
first, then the least recently used. An answer larger than the whole bound is not kept (it is
asked again next time). Thread-safe.

Memory freed by evictions is handed back to the system: glibc keeps freed heap pages in the
process (so RSS would stay at its peak however little the cache holds) unless asked with
``malloc_trim``. Once ``TRIM_AFTER_EVICTED_BYTES`` have been evicted, the next read asks (by
then the lookup that caused the evictions has handed its answers over, and what the viewers
no longer hold is free); a no-op where there is no glibc.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields

from cachetools import TLRUCache

from a2e.cache.store import (
    FINAL_TTL_SECONDS,
    RUNNING_TTL_SECONDS,
    Cached,
    CacheKey,
    Usable,
    supersedes,
    time_to_live,
)
from a2e.core.model import Task

DEFAULT_MAX_BYTES = 256 * 1024 * 1024
TRIM_AFTER_EVICTED_BYTES = 32 * 1024 * 1024
# The store's own objects per entry: the record below, the TLRU heap item, the ordered dict slot.
_BOOKKEEPING_BYTES = 400


@dataclass(frozen=True)
class _Stored:
    task: Task
    stored_at: float
    size: int


def entry_size(key: CacheKey, task: Task) -> int:
    """Bytes an entry holds in this process: the task, all its values and the key."""
    values = [getattr(task, field.name) for field in fields(task)]
    held = sys.getsizeof(task) + sys.getsizeof(vars(task))
    held += sum(sys.getsizeof(value) for value in values if value is not None)
    held += sys.getsizeof(key) + sum(sys.getsizeof(part) for part in key)
    return held + _BOOKKEEPING_BYTES


def _size_of(stored: _Stored) -> int:
    return stored.size


class _Entries(TLRUCache[CacheKey, _Stored]):
    """The TLRU cache, counting the bytes it evicts to make room."""

    evicted_bytes = 0

    def popitem(self) -> tuple[CacheKey, _Stored]:
        key, stored = super().popitem()
        self.evicted_bytes += stored.size
        return key, stored


@functools.cache
def _libc() -> ctypes.CDLL | None:
    """The C library, loaded once (None where it cannot be)."""
    try:
        return ctypes.CDLL(ctypes.util.find_library("c"))
    except OSError:
        return None


def _malloc_trim() -> Callable[[int], int] | None:
    return getattr(_libc(), "malloc_trim", None)


# glibc's mallopt parameter, and the size from which a block gets pages of its own.
_M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD_BYTES = 128 * 1024


@functools.cache
def keep_large_blocks_apart() -> bool:
    """Give every block of 128 KiB or more pages of its own, returned the moment it is freed.

    glibc raises this threshold by itself after large blocks are freed, so answers of up to
    a MiB (the client's cap) would then be carved from the heap, where their freed space
    stays in the process. Fixing it keeps an oversized answer's memory from outliving it.
    Process-wide, once; False where there is no glibc.
    """
    mallopt = getattr(_libc(), "mallopt", None)
    return mallopt is not None and bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES))


def release_freed_memory() -> None:
    """Ask the C allocator to return freed pages to the system (glibc only; else nothing)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


class MemoryStore:
    """Answers kept in this process, at most ``max_bytes`` of them."""

    def __init__(
        self,
        *,
        max_bytes: int = DEFAULT_MAX_BYTES,
        final_ttl: float = FINAL_TTL_SECONDS,
        running_ttl: float = RUNNING_TTL_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        keep_large_blocks_apart()
        self.max_bytes = max_bytes
        self._final_ttl, self._running_ttl, self._clock = final_ttl, running_ttl, clock
        self._entries = _Entries(
            maxsize=max_bytes, ttu=self._expiry, timer=clock, getsizeof=_size_of
        )
        self._lock = threading.Lock()
        self._trimmed_at = 0
        self._trim_due = False

    @property
    def bytes_used(self) -> int:
        """The measured size of every entry held now (never more than ``max_bytes``)."""
        with self._lock:
            return int(self._entries.currsize)

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def get_many(self, keys: Sequence[CacheKey]) -> dict[CacheKey, Cached]:
        """The stored answers of those keys that have one (each read counts as a use)."""
        now = self._clock()
        with self._lock:
            found = {key: stored for key in keys if (stored := self._entries.get(key))}
            trim, self._trim_due = self._trim_due, False
        if trim:
            release_freed_memory()
        return {key: Cached(s.task, now - s.stored_at) for key, s in found.items()}

    def put(self, key: CacheKey, task: Task) -> None:
        """Store an answer, evicting least recently used ones to stay within the bound."""
        stored = _Stored(task, self._clock(), entry_size(key, task))
        with self._lock:
            current = self._entries.get(key)
            if not supersedes(task, current.task if current else None):
                return
            if stored.size > self.max_bytes:
                self._entries.pop(key, None)
                return
            self._entries[key] = stored
            if self._entries.evicted_bytes - self._trimmed_at >= TRIM_AFTER_EVICTED_BYTES:
                self._trimmed_at, self._trim_due = self._entries.evicted_bytes, True

    def claim(self, keys: Sequence[CacheKey]) -> tuple[list[CacheKey], list[CacheKey]]:
        """Every claim is granted: threads of this process share in-flight requests already."""
        return list(keys), []

    def release(self, keys: Sequence[CacheKey]) -> None:
        """Nothing to give back."""

    def wait_for(self, keys: Sequence[CacheKey], usable: Usable) -> dict[CacheKey, Cached]:
        """Nothing is ever claimed elsewhere, so nothing to wait for."""
        return {}

    def clear(self) -> None:
        """Forget every answer."""
        with self._lock:
            self._entries.clear()

    def note(self) -> str | None:
        """The in-process store always works as configured."""
        return None

    def _expiry(self, _key: CacheKey, stored: _Stored, now: float) -> float:
        return now + time_to_live(stored.task, self._final_ttl, self._running_ttl)
