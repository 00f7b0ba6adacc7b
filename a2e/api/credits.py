"""Reading A2E's credits history: what an account was charged and given back. No I/O.

``GET /api/v1/transactionRecord/creditsHistory`` (**doc**: ``pageNum``, ``pageSize``,
``is_consumption``, ``startDate``, ``endDate``; "credits spent and granted") shows no answer
shape, so every plausible one is read: the rows as ``data.rows``, ``data.list``,
``data.records`` or ``data`` itself (or a bare list), the total from ``count`` or ``total``.

An entry's coins come from ``credits``, ``coins``, ``amount``, ``change``, ``value`` or
``num``. Which way they went: ``is_consumption`` (or ``isConsumption``, ``consumption``) when
given, as a boolean, number or text; else the sign (negative is spent); else a ``type`` that
says so. A grant is a **refund** when its type or text says refund or return; other grants
(a top-up, a bonus) are neither spent nor refunded. An entry whose direction cannot be told
is counted apart, never guessed. An answer of any other shape raises ``BadAnswer``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from a2e.api.answers import Envelope
from a2e.api.errors import BadAnswer
from a2e.api.records import number, text, timestamp

CREDITS_PATH = "/api/v1/transactionRecord/creditsHistory"
CREDITS_PAGE_SIZE = 100
ROW_KEYS = ("rows", "list", "records")
TOTAL_KEYS = ("count", "total")
AMOUNT_KEYS = ("credits", "coins", "amount", "change", "value", "num")
DIRECTION_KEYS = ("is_consumption", "isConsumption", "consumption")
TIME_KEYS = ("createdAt", "created_at", "createTime", "create_time", "time", "date")
WORDS_KEYS = ("type", "remark", "description", "desc", "reason", "title", "note")
_SPENT_WORDS = re.compile(r"\b(consum\w*|deduct\w*|spen[dt]|charged?|cost)\b", re.IGNORECASE)
_REFUND_WORDS = re.compile(r"refund|return", re.IGNORECASE)
_TRUE, _FALSE = {"1", "true", "yes"}, {"0", "false", "no"}


@dataclass(frozen=True)
class CreditEntry:
    """One line of the history: ``coins`` (never negative), and which way they went."""

    at: datetime | None
    coins: float
    spent: bool | None
    refund: bool = False


@dataclass(frozen=True)
class CreditPage:
    """One page of the history, in the server's order."""

    entries: tuple[CreditEntry, ...]
    rows: int
    total: int | None = None


def credits_call(page: int, size: int, start: datetime, end: datetime) -> str:
    """The path and query asking one page of the history between two moments (their dates)."""
    query = {
        "pageNum": str(page),
        "pageSize": str(size),
        "startDate": start.strftime("%Y-%m-%d"),
        "endDate": end.strftime("%Y-%m-%d"),
    }
    return f"{CREDITS_PATH}?{urlencode(query)}"


def credit_page(envelope: Envelope) -> CreditPage:
    """The page an answer describes; raises ``BadAnswer`` for a shape that holds no history."""
    data = envelope.data
    rows: object = data
    total = None
    if isinstance(data, dict):
        key = next((key for key in ROW_KEYS if key in data), None)
        rows = data.get(key) if key else None
        total = next((int(v) for k in TOTAL_KEYS if (v := number(data.get(k))) is not None), None)
    if not isinstance(rows, list):
        raise BadAnswer(
            "credits history could not be read: no list of entries in its answer",
            http_status=200,
            trace_id=envelope.trace_id,
        )
    entries = tuple(e for row in rows if isinstance(row, dict) and (e := credit_entry(row)))
    return CreditPage(entries, len(rows), total)


def credit_entry(row: Mapping[str, Any]) -> CreditEntry | None:
    """One entry of the history, or ``None`` when it names no amount."""
    amount = next((v for key in AMOUNT_KEYS if (v := number(row.get(key))) is not None), None)
    if amount is None:
        return None
    words = " ".join(t for key in WORDS_KEYS if (t := text(row.get(key), limit=200)))
    spent = _direction(row, amount, words)
    at = next((m for key in TIME_KEYS if (m := timestamp(row.get(key))) is not None), None)
    refund = spent is False and bool(_REFUND_WORDS.search(words))
    return CreditEntry(at, abs(amount), spent, refund)


def _direction(row: Mapping[str, Any], amount: float, words: str) -> bool | None:
    """True when the coins were spent, False when granted, None when it cannot be told."""
    for key in DIRECTION_KEYS:
        flag = row.get(key)
        if isinstance(flag, bool):
            return flag
        said = str(flag).strip().lower() if flag is not None else ""
        if said in _TRUE | _FALSE:
            return said in _TRUE
    if amount < 0:
        return True
    if _REFUND_WORDS.search(words):
        return False
    if _SPENT_WORDS.search(words):
        return True
    return None
