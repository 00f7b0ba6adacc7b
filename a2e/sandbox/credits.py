"""The account's credits history (``creditsHistory``), as the emulator tells it.

A2E's reference names ``GET /api/v1/transactionRecord/creditsHistory`` and its parameters
(``pageNum``, ``pageSize``, ``is_consumption``, ``startDate``, ``endDate``) but shows no
answer, so the emulator answers each plausible shape (``CreditsShape``):

- ``rows`` (the default): ``data.rows`` and ``count``; each entry ``credits`` (positive),
  ``is_consumption`` (true/false), ``type``, ``remark``, ``createdAt`` (ISO);
- ``list``: ``data.list`` and ``total``; ``coins``, ``isConsumption`` as 1/0,
  ``description``, ``created_at`` as ``YYYY-MM-DD HH:MM:SS``;
- ``signed``: ``data.rows``; a signed ``amount`` (spent is negative) and a ``reason``;
- ``data``: ``data`` is the list itself (entries as ``rows``);
- ``absent``: Express's 404, as a server without the call answers.

The entries come from the tasks: each task's coins are spent when it is created, and a failed
task whose message says its coins were refunded gets them back when it failed; one top-up
comes before the oldest task (outside a 30-day window). Newest first; dates are inclusive.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from starlette.responses import Response

from a2e.sandbox.responses import Answer, express_not_found, success
from a2e.sandbox.tasks import StoredTask

CREDITS_PATH = "/api/v1/transactionRecord/creditsHistory"
CreditsShape = Literal["rows", "list", "signed", "data", "absent"]
CREDITS_SHAPES: tuple[CreditsShape, ...] = ("rows", "list", "signed", "data", "absent")
TOP_UP_COINS = 10_000
TOP_UP_BEFORE = timedelta(days=31)


@dataclass(frozen=True)
class LedgerEntry:
    """One change of the account's coins."""

    at: datetime
    coins: int
    consumption: bool
    remark: str
    task_id: str | None = None


def ledger(tasks: Iterable[StoredTask], elapsed: float, anchor: datetime) -> list[LedgerEntry]:
    """Every charge and refund of ``tasks`` as of ``elapsed``, and the top-up, newest first."""
    entries: list[LedgerEntry] = []
    for task in tasks:
        coins = task.coins
        if not isinstance(coins, int) or isinstance(coins, bool) or coins <= 0:
            continue
        what = f"{task.kind.label}: {task.name}"
        entries.append(LedgerEntry(task.created_at, coins, True, what, task.id))
        if task.failed_at(elapsed) and "refunded" in task.failure[1]:
            back = task.last_change(elapsed, anchor)
            entries.append(LedgerEntry(back, coins, False, f"Refund: {what}", task.id))
    oldest = min((entry.at for entry in entries), default=anchor)
    entries.append(LedgerEntry(oldest - TOP_UP_BEFORE, TOP_UP_COINS, False, "Top-up"))
    return sorted(entries, key=lambda entry: entry.at, reverse=True)


def credits_answer(
    shape: CreditsShape, entries: list[LedgerEntry], query: Mapping[str, str], path: str
) -> Answer | Response:
    """One page of ``entries`` in ``shape``, filtered and paged as ``query`` asks."""
    if shape == "absent":
        return express_not_found("GET", path)
    kept = [entry for entry in entries if _asked(entry, query)]
    page, size = max(1, _whole(query.get("pageNum"), 1)), max(1, _whole(query.get("pageSize"), 10))
    rows = [_row(shape, entry) for entry in kept[(page - 1) * size : page * size]]
    if shape == "data":
        return success(rows)
    if shape == "list":
        return success({"list": rows, "total": len(kept)})
    return success({"rows": rows, "count": len(kept)})


def _asked(entry: LedgerEntry, query: Mapping[str, str]) -> bool:
    start, end = _date(query.get("startDate")), _date(query.get("endDate"))
    day = entry.at.date()
    consumption = (query.get("is_consumption") or "").strip().lower()
    if consumption in ("1", "true", "0", "false") and entry.consumption != (
        consumption in ("1", "true")
    ):
        return False
    return (start is None or day >= start) and (end is None or day <= end)


def _row(shape: CreditsShape, entry: LedgerEntry) -> dict[str, object]:
    if shape == "list":
        return {
            "id": entry.task_id or "top-up",
            "coins": entry.coins,
            "isConsumption": int(entry.consumption),
            "description": entry.remark,
            "created_at": entry.at.strftime("%Y-%m-%d %H:%M:%S"),
        }
    if shape == "signed":
        return {
            "amount": -entry.coins if entry.consumption else entry.coins,
            "reason": entry.remark,
            "createdAt": _iso(entry.at),
        }
    return {
        "_id": entry.task_id or "top-up",
        "credits": entry.coins,
        "is_consumption": entry.consumption,
        "type": "consumption" if entry.consumption else "refund" if entry.task_id else "recharge",
        "remark": entry.remark,
        "createdAt": _iso(entry.at),
    }


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat((value or "").strip()[:10])
    except ValueError:
        return None


def _whole(value: str | None, default: int) -> int:
    try:
        return int(value or default)
    except ValueError:
        return default
