"""What a cache store promises the fetch layer: entries per key, freshness, and claims.

A store keeps the last answer (a ``Task``) per ``CacheKey`` = (server, keyed hash of the
token, kind, id), each for its time to live: final tasks ``FINAL_TTL_SECONDS``, anything else
``RUNNING_TTL_SECONDS`` (the caller's ``max_age`` then decides whether a running one is fresh
enough). A final answer is never replaced by one that is not final (tasks do not un-finish;
a slower, older answer must not undo a newer one).

Claims make single-flight reach across processes: ``claim`` splits keys into the ones this
caller may ask upstream for now and the ones someone else is asking for; ``wait_for`` waits
(bounded) for those answers; ``release`` gives a claim back after the answer is stored. A
store local to one process grants every claim (its fetch layer already shares in-flight
requests between threads).

Stores never raise for an unreachable backend: the ones that can fail raise
``StoreUnavailable`` and are used behind ``FailoverStore``, which falls back to memory.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from a2e.core.model import Task

FINAL_TTL_SECONDS = 6 * 3600
RUNNING_TTL_SECONDS = 300.0

CacheKey = tuple[str, str, str, str]


class StoreUnavailable(Exception):
    """The store's backend could not be reached; the message names no key and no secret."""


@dataclass(frozen=True)
class Cached:
    """A stored answer and how many seconds ago it was stored."""

    task: Task
    age: float


Usable = Callable[[Cached], bool]


class CacheStore(Protocol):
    """Where the fetch layer keeps answers (see the module docstring for the contract)."""

    def get_many(self, keys: Sequence[CacheKey]) -> dict[CacheKey, Cached]:
        """The stored answers of those keys that have one."""
        ...

    def put(self, key: CacheKey, task: Task) -> None:
        """Store an answer (unless a final answer is already stored for the key)."""
        ...

    def claim(self, keys: Sequence[CacheKey]) -> tuple[list[CacheKey], list[CacheKey]]:
        """(keys claimed by this caller, keys someone else is asking upstream for)."""
        ...

    def release(self, keys: Sequence[CacheKey]) -> None:
        """Give back claims taken by this caller."""
        ...

    def wait_for(self, keys: Sequence[CacheKey], usable: Usable) -> dict[CacheKey, Cached]:
        """Usable answers for keys claimed elsewhere, waiting at most about a claim's life.

        A key is left out when its claim ends (or outlives its life) with no usable answer:
        its owner crashed or its answer could not be stored, so the caller asks itself.
        """
        ...

    def clear(self) -> None:
        """Forget every answer."""
        ...

    def note(self) -> str | None:
        """A short note for people when the store is not working as configured, else None."""
        ...


def supersedes(new: Task, old: Task | None) -> bool:
    """Whether ``new`` may replace ``old``: anything but a final answer by a non-final one."""
    return old is None or not old.is_final or new.is_final


def time_to_live(task: Task, final_ttl: float, running_ttl: float) -> float:
    """How long an answer is kept: long for final tasks, short for anything else."""
    return final_ttl if task.is_final else running_ttl
