"""What a webhook from A2E carries: the task ids in its body, checked before anything is asked.

A2E calls a start call's ``webhook_url`` once, when the task completes or fails, with the
start call's ``webhook_token`` in the ``X-A2e-Webhook-Token`` header. The body's shape is not
documented, so the ids are looked for wherever one plausibly sits:

- the value (a string, or a list of strings) of a field named ``_id``, ``id``, ``task_id``,
  ``taskId``, ``video_id``, ``ids`` or ``task_ids``, at any depth (``data._id``,
  ``data.rows[]._id``, ``{"ids": [...]}``), and the strings of a body that is a bare list;
- only 24-hex task ids count (lower-cased, each once, in order, at most ``MAX_IDS``); any
  other text is ignored, never echoed.

Refused, with nothing asked: a missing or wrong token (compared in constant time), a body over
``MAX_BODY_BYTES``, a body that is not a JSON object or array, or one that names no task id.
"""

from __future__ import annotations

import hmac
import json

from a2e.core.ids import is_task_id

HEADER = "X-A2e-Webhook-Token"
MAX_BODY_BYTES = 64 * 1024
MAX_IDS = 200
MAX_DEPTH = 32
ID_FIELDS = frozenset({"_id", "id", "task_id", "taskid", "video_id", "ids", "task_ids"})


class BadBody(ValueError):
    """The body cannot be read as a webhook; the message says why (never what it held)."""


def token_matches(given: str | None, expected: str) -> bool:
    """Whether the header's value is the configured token (constant time for equal lengths)."""
    if given is None or not expected:
        return False
    # Starlette decodes header bytes as latin-1: encoding back gives the bytes that were sent.
    return hmac.compare_digest(given.encode("latin-1", "replace"), expected.encode())


def read_ids(body: bytes) -> list[str]:
    """The task ids a webhook body names, in order; raises ``BadBody``."""
    try:
        decoded = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise BadBody("the body is not JSON") from None
    if not isinstance(decoded, dict | list):
        raise BadBody("the body is not a JSON object or array")
    found: dict[str, None] = {}
    _collect(decoded, None, found, 0)
    if not found:
        raise BadBody("the body names no task id (24 hex characters)")
    return list(found)[:MAX_IDS]


def _collect(value: object, field: str | None, found: dict[str, None], depth: int) -> None:
    """Add the task ids in ``value`` (held by ``field``; None at the top) to ``found``."""
    if depth > MAX_DEPTH:
        return
    if isinstance(value, dict):
        for name, inner in value.items():
            _collect(inner, str(name).lower(), found, depth + 1)
    elif isinstance(value, list):
        for item in value:
            _collect(item, field, found, depth + 1)
    elif isinstance(value, str) and (field is None or field in ID_FIELDS):
        candidate = value.strip()
        if is_task_id(candidate):
            found[candidate.lower()] = None
