"""Reading A2E's answers: the HTTP status and envelope first, then the task record. No I/O.

Everything here is defensive: a field of the wrong type is dropped (or coerced when the
meaning is unambiguous, like ``"100"`` coins), never guessed, and anything that stops us
from learning the task's state raises a ``LookupFailed`` with a message fit for a person.
What a server said is never reproduced: only A2E's own ``msg`` (or ``message``) is quoted,
on one line and cut to ``SERVER_MESSAGE_LIMIT`` characters; any other body is summarised
("HTML error page", "unexpected body").
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NotRequired, TypedDict

import httpx

from a2e.api.errors import (
    BadAnswer,
    LookupFailed,
    RateLimited,
    ServerFailed,
    TaskNotFound,
    TokenRejected,
)
from a2e.api.records import number, snippet, text

SERVER_MESSAGE_LIMIT = 200
TRACE_ID_LIMIT = 100

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
    trace_id = _trace_id(payload)
    if status_code != 200:
        raise _http_error(status_code, _detail(body, payload), trace_id, retry_after)
    if payload is None:
        raise BadAnswer("answer was not valid JSON", http_status=200)
    if not isinstance(payload, dict) or "code" not in payload:
        raise BadAnswer("answer was not in A2E's format (no code)", http_status=200)
    return _envelope(payload, trace_id)  # type: ignore[arg-type]


def _envelope(payload: RawEnvelope, trace_id: str | None) -> Envelope:
    code = payload["code"]
    if (type(code) is int and code == 0) or code == "0":
        return Envelope(data=payload.get("data"), trace_id=trace_id)
    raise _code_error(code, _server_message(payload) or "no message", trace_id)


def _code_error(code: object, message: str, trace_id: str | None) -> LookupFailed:
    described = f"A2E code {snippet(str(code), 20)}: {message}"
    lowered = message.lower()
    if code in (401, 403, "401", "403") or _TOKEN_WORDS.search(lowered):
        return TokenRejected(f"token rejected ({described})", http_status=200, trace_id=trace_id)
    if code in (404, "404") or _NOT_FOUND_WORDS.search(lowered):
        return TaskNotFound(f"not found ({described})", http_status=200, trace_id=trace_id)
    return ServerFailed(f"A2E error ({described})", http_status=200, trace_id=trace_id)


def _http_error(
    status_code: int, detail: str, trace_id: str | None, retry_after: float | None
) -> LookupFailed:
    if status_code in (401, 403):
        message = f"token rejected (HTTP {status_code})"
        return TokenRejected(message, http_status=status_code, trace_id=trace_id)
    if status_code == 404:
        return TaskNotFound("not found", http_status=404, trace_id=trace_id)
    if status_code == 429:
        return RateLimited("rate limited (HTTP 429)", retry_after=retry_after, trace_id=trace_id)
    message = f"HTTP {status_code} from server{detail}"
    return ServerFailed(message, http_status=status_code, trace_id=trace_id)


def _detail(body: bytes, payload: object) -> str:
    """What to say about an error answer's body: A2E's message, or a summary of anything else."""
    if isinstance(payload, dict):
        message = _server_message(payload)
        return f": {message}" if message else ""
    if not body.strip():
        return ""
    if _HTML_START.search(body[:1024]):
        return " (HTML error page)"
    return " (unexpected body)"


_HTML_START = re.compile(rb"(?i)<(!doctype html|html|head|body|title|h1|pre)\b")


def _server_message(payload: Mapping[str, Any]) -> str | None:
    message = text(payload.get("msg")) or text(payload.get("message"))
    return snippet(message, SERVER_MESSAGE_LIMIT) if message else None


def _trace_id(payload: object) -> str | None:
    found = text(payload.get("trace_id")) if isinstance(payload, dict) else None
    return snippet(found, TRACE_ID_LIMIT) if found else None


def _json_or_none(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None


def read_capped(response: httpx.Response, limit: int, deadline: float) -> bytes:
    """The body, read as it arrives: ``BadAnswer`` past ``limit`` bytes; cut at ``deadline``."""
    declared = number(response.headers.get("Content-Length"))
    if declared is not None and declared > limit:
        raise BadAnswer(_too_large(limit), http_status=response.status_code)
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > limit:
            raise BadAnswer(_too_large(limit), http_status=response.status_code)
        if time.monotonic() > deadline:
            break
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(limit: int) -> str:
    return f"answer was larger than {limit / 1024 / 1024:g} MiB"
