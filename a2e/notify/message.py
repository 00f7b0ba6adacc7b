"""What is sent (``Message``) and what one attempt to send it taught (``Sent``, ``TryAgain``,
``GiveUp``). A reason is written for a person and never holds a target's URL or secret."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Tone(StrEnum):
    """How a message looks in a chat (Apprise's notify types)."""

    INFO = "info"
    SUCCESS = "success"
    WARNING = "warning"
    FAILURE = "failure"


@dataclass(frozen=True)
class Message:
    """One announcement: a title and a plain-text body for people, a JSON body for machines.

    ``message_id`` stays the same on every attempt (the Standard Webhooks ``webhook-id``), so
    a receiver can drop a message it already has.
    """

    message_id: str
    title: str
    body: str
    payload: dict[str, Any] = field(default_factory=dict)
    tone: Tone = Tone.INFO


@dataclass(frozen=True)
class Sent:
    """The target accepted the message."""


@dataclass(frozen=True)
class TryAgain:
    """A network error, a 5xx or a 429: worth another attempt (not before ``after`` seconds)."""

    reason: str
    after: float | None = None


@dataclass(frozen=True)
class GiveUp:
    """The target refused for good (a 4xx other than 429, a malformed URL): never retried."""

    reason: str


Attempt = Sent | TryAgain | GiveUp


def http_attempt(status: int, retry_after: float | None = None) -> Attempt:
    """What an HTTP status means for a delivery: 2xx sent, 429 and 5xx again, else give up."""
    if 200 <= status < 300:
        return Sent()
    if status == 429 or status >= 500:
        return TryAgain(f"HTTP {status}", retry_after)
    return GiveUp(f"refused with HTTP {status}")
