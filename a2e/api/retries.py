"""When to try a request again, and how long to wait: tenacity, configured once.

Retried: connection failures, broken connections, HTTP 5xx and 429 (waiting what
``Retry-After`` asks, capped). Not retried: timeouts (a hung server must cost one lookup
at most one timeout), rejected tokens, unknown ids and unreadable answers.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TypeVar

from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    stop_before_delay,
    wait_exponential_jitter,
)

from a2e.api.errors import ConnectFailed, NetworkFailed, RateLimited, ServerFailed, TimedOut

T = TypeVar("T")
_SECONDS = re.compile(r"[0-9]{1,9}(\.[0-9]{1,6})?")


@dataclass(frozen=True)
class RetryPolicy:
    """How many attempts a request gets and how long the waits between them may be."""

    attempts: int = 3
    initial_wait: float = 0.5
    max_wait: float = 4.0
    max_retry_after: float = 10.0
    give_up_after: float = 20.0

    def call(self, attempt: Callable[[], T]) -> T:
        """Run ``attempt`` until it succeeds, fails for good, or the policy runs out."""
        retrying = Retrying(
            stop=stop_after_attempt(max(1, self.attempts)) | stop_before_delay(self.give_up_after),
            wait=self._wait,
            retry=retry_if_exception(is_retryable),
            reraise=True,
        )
        return retrying(attempt)

    def _wait(self, state: RetryCallState) -> float:
        outcome = state.outcome
        error = outcome.exception() if outcome is not None else None
        if isinstance(error, RateLimited) and error.retry_after is not None:
            return min(max(0.0, error.retry_after), self.max_retry_after)
        backoff = wait_exponential_jitter(
            multiplier=self.initial_wait, max=self.max_wait, jitter=self.initial_wait
        )
        return float(backoff(state))


def is_retryable(error: BaseException) -> bool:
    """True for failures that another attempt may cure."""
    if isinstance(error, TimedOut):
        return False
    if isinstance(error, ConnectFailed | NetworkFailed | RateLimited):
        return True
    return isinstance(error, ServerFailed) and (error.http_status or 0) >= 500


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (seconds or an HTTP date), if readable."""
    if not value:
        return None
    text = value.strip()
    if _SECONDS.fullmatch(text):
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
