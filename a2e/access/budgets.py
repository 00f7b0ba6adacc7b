"""Per-viewer budgets: how much one viewer may ask of an A2E server in any minute.

Three budgets, each counted over a moving window of one minute (``limits``' moving-window
strategy, so a burst at the end of one minute and the start of the next is counted together):

- ``Budget.LOOKUP``: status calls sent upstream for lookups, refreshes and a row's detail:
  each HTTP request counts, retries and Auto's tries of other kinds included (400 ids found at
  the first try cost 400; an answer from the cache costs nothing; a batch call is one call);
- ``Budget.TOKEN_CHECK``: presses of "Check token" (one call each);
- ``Budget.LIST``: list calls sent for the Recent page and the Overview (retries included).

Status and list calls are charged one by one, as the client sends them, through a
``a2e.api.meter.Meter`` (``spender``). A viewer is named by a key: the signed-in user's email,
else an anonymous id of the session. A spend that would overrun its budget is refused whole
and spends nothing; its ``message`` says what the budget is and when more frees up, so a
refusal is never silent.
The counts live in a ``limits`` storage: this process's memory by default. Given a ``shared``
storage (Redis, with ``A2E_CACHE_URL``), every replica counts against the same budgets; the
viewer's key is then stored only as a keyed hash, so no email reaches Redis. While the shared
storage fails, this process counts alone in its memory (logged once), tries the shared one again
every ``retry_seconds``, and says in the log when it is back.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from limits import RateLimitItemPerMinute
from limits.errors import StorageError
from limits.storage import Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

from a2e.core.outage import RETRY_SECONDS, Outage

logger = logging.getLogger("a2e.budgets")


class Budget(StrEnum):
    """What a budget counts."""

    LOOKUP = "lookup"
    TOKEN_CHECK = "token_check"
    LIST = "list"


DEFAULT_PER_MINUTE = {Budget.LOOKUP: 3_000, Budget.TOKEN_CHECK: 5, Budget.LIST: 120}
# What a call budget counts, as a refusal names it.
CALLS = {
    Budget.LOOKUP: "status calls a minute (retries and Auto's tries of other kinds count)",
    Budget.LIST: "list calls a minute",
}
# A per-minute setting must fit in memory comfortably: each unit spent is one window entry.
MAX_PER_MINUTE = 1_000_000


@dataclass(frozen=True)
class BudgetSettings:
    """The deployment's budgets, per viewer and per minute."""

    lookups_per_minute: int = DEFAULT_PER_MINUTE[Budget.LOOKUP]
    token_checks_per_minute: int = DEFAULT_PER_MINUTE[Budget.TOKEN_CHECK]
    lists_per_minute: int = DEFAULT_PER_MINUTE[Budget.LIST]

    def per_minute(self, budget: Budget) -> int:
        """The size of ``budget``."""
        return {
            Budget.LOOKUP: self.lookups_per_minute,
            Budget.TOKEN_CHECK: self.token_checks_per_minute,
            Budget.LIST: self.lists_per_minute,
        }[budget]


def parse_per_minute(text: str | None) -> int | None:
    """A per-minute budget setting: None when unset; raises ``ValueError`` when not 1 or more."""
    if text is None or not text.strip():
        return None
    cleaned = text.strip().replace("_", "").replace(",", "")
    if not cleaned.isdigit() or not 1 <= int(cleaned) <= MAX_PER_MINUTE:
        raise ValueError(f"must be a whole number from 1 to {MAX_PER_MINUTE:,}")
    return int(cleaned)


@dataclass(frozen=True)
class Spend:
    """The answer to one spend: allowed or not; for a refusal, what is left and when more frees.

    (An allowed spend costs one storage call and reads nothing more: ``remaining`` is 0.)
    """

    budget: Budget
    allowed: bool
    amount: int
    per_minute: int
    remaining: int
    seconds_to_more: int = 0

    @property
    def message(self) -> str:
        """Why a refused spend was refused (empty when allowed), fit to show the viewer.

        For calls (``LOOKUP``, ``LIST``) it is the reason alone, for the caller to lead with
        what was not done ("not asked: …").
        """
        if self.allowed:
            return ""
        if self.budget is Budget.TOKEN_CHECK:
            return (
                f"Not checked: each viewer may check a token {_times(self.per_minute)} a "
                f"minute; try again in {self.seconds_to_more} s."
            )
        return (
            f"each viewer may send {self.per_minute:,} {CALLS[self.budget]}; more frees up in "
            f"{self.seconds_to_more} s"
        )


def _times(count: int) -> str:
    return {1: "once", 2: "twice"}.get(count, f"{count:,} times")


class Budgets:
    """Every viewer's budgets, in one ``limits`` storage (shared, with a memory fallback)."""

    def __init__(
        self,
        settings: BudgetSettings | None = None,
        storage_uri: str = "memory://",
        *,
        shared: Storage | None = None,
        key_secret: bytes = b"",
        retry_seconds: float = RETRY_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if shared is not None and not key_secret:
            raise ValueError("shared budgets need a key_secret: viewers are stored only hashed")
        self.settings = settings or BudgetSettings()
        self._local = MovingWindowRateLimiter(storage_from_string(storage_uri))
        self._shared = MovingWindowRateLimiter(shared) if shared is not None else None
        self._key_secret = key_secret
        self._outage = Outage(retry_seconds, clock)

    def spend(self, viewer_key: str, budget: Budget, amount: int = 1) -> Spend:
        """Spend ``amount`` of ``viewer_key``'s ``budget``, or refuse and spend nothing."""
        per_minute = self.settings.per_minute(budget)
        item = RateLimitItemPerMinute(per_minute)
        shared = self._shared_spend(viewer_key, budget, item, amount)
        return shared or _spend(self._local, item, budget, viewer_key, amount)

    def _shared_spend(
        self, viewer_key: str, budget: Budget, item: RateLimitItemPerMinute, amount: int
    ) -> Spend | None:
        """The spend in the shared storage; None when there is none or it is failing."""
        if self._shared is None or not self._outage.due():
            return None
        try:
            spend = _spend(self._shared, item, budget, self._hashed(viewer_key), amount)
        except (StorageError, OSError) as exc:
            if self._outage.failed():
                logger.warning(
                    "shared budgets unavailable (%s); counting in this process until back",
                    type(exc).__name__,
                )
            return None
        if self._outage.succeeded():
            logger.warning("shared budgets (Redis) are reachable again; using them")
        return spend

    def spender(self, viewer_key: str, budget: Budget) -> Callable[[], str | None]:
        """One call of ``viewer_key``'s ``budget`` per use: None when allowed, else why not
        (a ``Meter``'s spend; safe to use from the client's worker threads)."""

        def spend() -> str | None:
            return self.spend(viewer_key, budget).message or None

        return spend

    @property
    def counting_alone(self) -> bool:
        """True while a shared storage is configured but failing (this process counts alone)."""
        return self._outage.down

    def _hashed(self, viewer_key: str) -> str:
        return hmac.new(self._key_secret, viewer_key.encode(), hashlib.sha256).hexdigest()[:32]


def _spend(
    limiter: MovingWindowRateLimiter,
    item: RateLimitItemPerMinute,
    budget: Budget,
    key: str,
    amount: int,
) -> Spend:
    """One spend; what is left is read only for a refusal (its message says so)."""
    if amount <= 0 or limiter.hit(item, budget.value, key, cost=amount):
        return Spend(budget, True, amount, item.amount, remaining=0)
    stats = limiter.get_window_stats(item, budget.value, key)
    wait = max(1, round(stats.reset_time - time.time()))
    return Spend(budget, False, amount, item.amount, stats.remaining, wait)
