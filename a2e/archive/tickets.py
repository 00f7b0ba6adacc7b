"""Tickets: the links a browser follows to a download, carrying no token and nothing else.

A ticket is 32 random bytes (URL-safe text), minted by the dashboard for one viewer and put in a
link; what the download needs (server, token, tasks) stays in this process's memory under the
ticket and never reaches the browser. Redeeming checks that the ticket exists, has not expired
(``ttl``), was minted for the same browser (``binding``: a keyed hash of a secret the browser
holds, compared in constant time), and, for a single-use book, was never redeemed before. The
book keeps at most ``max_tickets``: expired tickets go first, then the oldest.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")
DEFAULT_MAX_TICKETS = 2_000


@dataclass(frozen=True)
class _Entry(Generic[T]):
    payload: T
    binding: str
    expires: float


class TicketBook(Generic[T]):
    """Tickets to one kind of download; safe to share between threads."""

    def __init__(
        self,
        ttl: float,
        *,
        single_use: bool,
        max_tickets: int = DEFAULT_MAX_TICKETS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl, self.single_use = ttl, single_use
        self._max, self._clock = max_tickets, clock
        self._entries: OrderedDict[str, _Entry[T]] = OrderedDict()
        self._lock = threading.Lock()

    def mint(self, payload: T, binding: str) -> str:
        """A new ticket for ``payload``, redeemable by the browser ``binding`` names."""
        ticket = secrets.token_urlsafe(32)
        with self._lock:
            self._forget_expired()
            while len(self._entries) >= self._max:
                self._entries.popitem(last=False)
            self._entries[ticket] = _Entry(payload, binding, self._clock() + self.ttl)
        return ticket

    def redeem(self, ticket: str, binding: str) -> T | None:
        """The ticket's payload, or ``None`` when it is unknown, expired, used or not this
        browser's (a single-use ticket is spent only by its own browser)."""
        with self._lock:
            entry = self._entries.get(ticket)
            if entry is None or entry.expires <= self._clock():
                return None
            if not hmac.compare_digest(entry.binding.encode(), binding.encode()):
                return None
            if self.single_use:
                del self._entries[ticket]
            return entry.payload

    def is_live(self, ticket: str, *, for_at_least: float = 0.0) -> bool:
        """True while the ticket can still be redeemed (for ``for_at_least`` more seconds)."""
        with self._lock:
            entry = self._entries.get(ticket)
            return entry is not None and entry.expires - for_at_least > self._clock()

    def _forget_expired(self) -> None:
        now = self._clock()
        for ticket in [t for t, entry in self._entries.items() if entry.expires <= now]:
            del self._entries[ticket]
