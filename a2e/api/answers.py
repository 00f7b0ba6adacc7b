"""Reading A2E's answers: the HTTP status and envelope first, then the task record. No I/O.

Everything here is defensive: a field of the wrong type is dropped (or coerced when the
meaning is unambiguous, like ``"100"`` coins), never guessed, and anything that stops us
from learning the task's state raises a ``LookupFailed`` with a message fit for a person.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, NotRequired, TypedDict

from a2e.api.errors import (
    BadAnswer,
    LookupFailed,
    RateLimited,
    ServerFailed,
    TaskNotFound,
    TokenRejected,
)
from a2e.api.records import text

_TOKEN_WORDS = re.compile(
    r"\b(tokens?|unauthori[sz]ed|unauthenticated|auth|authentication|login|api ?key|forbidden)\b"
)
_NOT_FOUND_WORDS = re.compile(r"\b(not found|not exists?|does not exist|no such|notfound)\b")


class RawEnvelope(TypedDict):
    """A2E's JSON envelope as it arrives (``msg`` is sometimes spelled ``message``)."""

    code: int | str
    data: NotRequired[Any]
    msg: NotRequired[str]
    message: NotRequired[str]
    trace_id: NotRequired[str]


@dataclass(frozen=True)
class Envelope:
    """A successful (``code == 0``) answer: its ``data`` and ``trace_id``."""

    data: Any
    trace_id: str | None


def read_answer(status_code: int, body: bytes, retry_after: float | None = None) -> Envelope:
    """The envelope of an HTTP answer, or the ``LookupFailed`` that explains why not."""
    payload = _json_or_none(body)
    trace_id = text(payload.get("trace_id")) if isinstance(payload, dict) else None
    if status_code != 200:
        raise _http_error(status_code, payload, trace_id, retry_after)
    if payload is None:
        raise BadAnswer("answer was not valid JSON", http_status=200)
    if not isinstance(payload, dict) or "code" not in payload:
        raise BadAnswer("answer was not in A2E's format (no code)", http_status=200)
    return _envelope(payload, trace_id)  # type: ignore[arg-type]


def _envelope(payload: RawEnvelope, trace_id: str | None) -> Envelope:
    code = payload["code"]
    if (type(code) is int and code == 0) or code == "0":
        return Envelope(data=payload.get("data"), trace_id=trace_id)
    message = text(payload.get("msg")) or text(payload.get("message")) or "no message"
    raise _code_error(code, message, trace_id)


def _code_error(code: object, message: str, trace_id: str | None) -> LookupFailed:
    described = f"A2E code {code}: {message}"
    lowered = message.lower()
    if code in (401, 403, "401", "403") or _TOKEN_WORDS.search(lowered):
        return TokenRejected(f"token rejected ({described})", http_status=200, trace_id=trace_id)
    if code in (404, "404") or _NOT_FOUND_WORDS.search(lowered):
        return TaskNotFound(f"not found ({described})", http_status=200, trace_id=trace_id)
    return ServerFailed(f"A2E error ({described})", http_status=200, trace_id=trace_id)


def _http_error(
    status_code: int, payload: object, trace_id: str | None, retry_after: float | None
) -> LookupFailed:
    detail = _detail(payload)
    if status_code in (401, 403):
        message = f"token rejected (HTTP {status_code})"
        return TokenRejected(message, http_status=status_code, trace_id=trace_id)
    if status_code == 404:
        return TaskNotFound("not found", http_status=404, trace_id=trace_id)
    if status_code == 429:
        return RateLimited("rate limited (HTTP 429)", retry_after=retry_after, trace_id=trace_id)
    message = f"HTTP {status_code} from server{detail}"
    return ServerFailed(message, http_status=status_code, trace_id=trace_id)


def _detail(payload: object) -> str:
    if not isinstance(payload, dict):
        return ""
    message = text(payload.get("msg")) or text(payload.get("message"))
    return f": {message}" if message else ""


def _json_or_none(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None
