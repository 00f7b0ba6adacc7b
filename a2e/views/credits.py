"""An account's coins over a window, from A2E's credits history: spent, and refunded. No UI.

``read_history`` reads the history's pages from a start to an end (at most ``MAX_CALLS``
calls, each charged to the caller's meter); ``window_totals`` adds up the entries dated inside
a window (a server that ignores the dates asked is not trusted to): coins spent, coins
refunded, and how many entries could not be told apart (see ``a2e.api.credits``). One reading
of the widest span serves every narrower window. A call that fails raises ``LookupFailed``:
the page then says refunds are not known, never that there were none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from a2e.api.client import A2EClient
from a2e.api.credits import CREDITS_PAGE_SIZE, CreditEntry
from a2e.api.meter import Meter

MAX_CALLS = 10


@dataclass(frozen=True)
class CreditsHistory:
    """The entries read from ``start`` to ``end``, and whether the reading reached the end."""

    start: datetime
    end: datetime
    entries: tuple[CreditEntry, ...]
    complete: bool
    calls: int


@dataclass(frozen=True)
class CreditsWindow:
    """What the credits history says of a window."""

    spent: float
    refunded: float
    unknown: int
    entries: int
    complete: bool

    @property
    def net(self) -> float:
        """Coins spent less coins refunded."""
        return self.spent - self.refunded


def read_history(
    client: A2EClient,
    token: str,
    start: datetime,
    end: datetime,
    *,
    max_calls: int = MAX_CALLS,
    meter: Meter | None = None,
) -> CreditsHistory:
    """The history's entries from ``start`` to ``end``; raises ``LookupFailed``."""
    entries: list[CreditEntry] = []
    complete, calls = False, 0
    for number in range(1, max_calls + 1):
        page = client.credits_history(token, number, start, end, meter=meter)
        calls += 1
        entries += page.entries
        last = page.total is not None and number * CREDITS_PAGE_SIZE >= page.total
        if last or page.rows < CREDITS_PAGE_SIZE:
            complete = True
            break
    return CreditsHistory(start, end, tuple(entries), complete, calls)


def covers(history: CreditsHistory, start: datetime) -> bool:
    """True when ``history`` was read back to ``start`` (a narrower window needs no call)."""
    return history.start <= start


def window_totals(history: CreditsHistory, start: datetime, end: datetime) -> CreditsWindow:
    """The entries dated from ``start`` to ``end`` (undated ones count), added up."""
    inside = [e for e in history.entries if e.at is None or start <= e.at <= end]
    return CreditsWindow(
        spent=sum(entry.coins for entry in inside if entry.spent),
        refunded=sum(entry.coins for entry in inside if entry.refund),
        unknown=sum(entry.spent is None for entry in inside),
        entries=len(inside),
        complete=history.complete,
    )


def read_credits(
    client: A2EClient,
    token: str,
    start: datetime,
    end: datetime,
    *,
    meter: Meter | None = None,
) -> CreditsWindow:
    """One window's totals, read for it alone; raises ``LookupFailed``."""
    history = read_history(client, token, start, end, meter=meter)
    return window_totals(history, start, end)
