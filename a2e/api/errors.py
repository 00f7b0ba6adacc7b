"""The one exception tree of the a2e package, and the one place httpx errors are translated.

    A2EError
     └── LookupFailed            we could not learn what we asked (never "the task failed")
          ├── NetworkFailed      could not reach the server or it stopped answering
          │    ├── ConnectFailed
          │    └── TimedOut
          ├── TokenRejected      HTTP 401/403, or an envelope code that says the token is bad
          ├── TaskNotFound       HTTP 404, or an empty answer for the id
          │    └── ListCallMissing   a list call answered "not found": the server lacks it
          ├── AddressRefused     the server's address is outside the client's scope (not asked)
          ├── OverBudget         the viewer's budget of calls is spent (not asked; a2e.api.meter)
          ├── ServerFailed       HTTP 5xx, 429 after retries, any other unexpected HTTP status
          │    └── RateLimited
          └── BadAnswer          not JSON, too large, not A2E's envelope, or a non-zero code

A task that failed upstream is not an exception at all: it is a ``Task`` whose outcome is
``TaskOutcome.FAILED``. Messages never contain the token.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from a2e.core.model import LookupCause, Task, lookup_error


class A2EError(Exception):
    """Base class of every error the a2e package raises on purpose."""


class LookupFailed(A2EError):
    """A request to A2E did not tell us what we asked; ``message`` is fit to show a person."""

    cause: LookupCause = LookupCause.BAD_ANSWER

    def __init__(
        self, message: str, *, http_status: int | None = None, trace_id: str | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.http_status = http_status
        self.trace_id = trace_id

    def row(self, task_id: str, kind: str) -> Task:
        """The ``lookup_error`` Task this failure leaves for ``task_id``."""
        return lookup_error(
            task_id,
            kind,
            self.message,
            self.cause,
            http_status=self.http_status,
            trace_id=self.trace_id,
        )


class NetworkFailed(LookupFailed):
    """The server could not be reached, or the connection broke."""

    cause = LookupCause.NETWORK


class ConnectFailed(NetworkFailed):
    """No connection could be made to the server."""


class TimedOut(NetworkFailed):
    """The server took longer than the timeout to answer."""


class TokenRejected(LookupFailed):
    """The server refused the token."""

    cause = LookupCause.TOKEN


class TaskNotFound(LookupFailed):
    """The server does not know this task id (for this token and kind)."""

    cause = LookupCause.NOT_FOUND


class ListCallMissing(TaskNotFound):
    """A list call answered "not found": this server has no such list (there is no id to miss)."""


class AddressRefused(LookupFailed):
    """The server's address is one this client may not connect to; nothing was sent."""

    cause = LookupCause.REFUSED


class OverBudget(LookupFailed):
    """The viewer's budget of upstream calls is spent; this request was not sent."""

    cause = LookupCause.REFUSED


class ServerFailed(LookupFailed):
    """The server answered with an error status."""

    cause = LookupCause.SERVER


class RateLimited(ServerFailed):
    """The server kept answering 429 Too Many Requests."""

    def __init__(
        self, message: str, *, retry_after: float | None = None, trace_id: str | None = None
    ) -> None:
        super().__init__(message, http_status=429, trace_id=trace_id)
        self.retry_after = retry_after


class BadAnswer(LookupFailed):
    """The server answered, but not with something we can read."""

    cause = LookupCause.BAD_ANSWER


def timed_out(timeout_seconds: float) -> TimedOut:
    """The ``TimedOut`` for a request that ran past ``timeout_seconds``."""
    return TimedOut(f"timed out after {timeout_seconds:g} s")


@contextmanager
def translate_httpx_errors(timeout_seconds: float, server: str = "server") -> Iterator[None]:
    """Re-raise any httpx error as the matching ``LookupFailed`` (the only place that does).

    ``server`` (the base URL, never holding a token) is named in a connection failure's
    message, so a person knows which server did not answer.
    """
    unreachable = f"could not connect to {server}"
    try:
        yield
    except httpx.TimeoutException as exc:
        if isinstance(exc, httpx.ConnectTimeout):
            raise ConnectFailed(f"{unreachable} (connect timed out)") from exc
        raise timed_out(timeout_seconds) from exc
    except httpx.ConnectError as exc:
        raise ConnectFailed(unreachable) from exc
    except (httpx.ReadError, httpx.WriteError, httpx.RemoteProtocolError) as exc:
        raise NetworkFailed(f"connection to {server} broke off") from exc
    except (httpx.ProxyError, httpx.UnsupportedProtocol) as exc:
        raise ConnectFailed(f"{unreachable} ({type(exc).__name__})") from exc
    except httpx.DecodingError as exc:
        raise BadAnswer("answer could not be decoded") from exc
    except httpx.TooManyRedirects as exc:
        raise ServerFailed("server redirected too many times") from exc
    except httpx.HTTPError as exc:
        raise NetworkFailed(f"request failed ({type(exc).__name__})") from exc
    except httpx.InvalidURL as exc:
        raise ConnectFailed("server URL is not valid") from exc
