"""When to try a failed delivery again: a fixed, persisted schedule (survives a restart).

The default waits 15 s, 1 min, 3 min, 8 min and 18 min: six tries over 30 minutes, then the
message is given up. A ``Retry-After`` longer than the next wait is honoured. The caller keeps
``attempts`` and the time of the next try in its state, so a watcher killed and started again
resumes the same schedule. No clock here: times are plain epoch seconds handed in.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

DEFAULT_RETRY_DELAYS: tuple[float, ...] = (15.0, 60.0, 180.0, 480.0, 1080.0)
_DURATION = re.compile(r"([0-9]+(?:\.[0-9]+)?)\s*(ms|s|m|h)?", re.IGNORECASE)
_UNIT = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}


def next_attempt_at(
    now: float, attempts: int, delays: Sequence[float], retry_after: float | None = None
) -> float | None:
    """When try number ``attempts + 1`` is due, after ``attempts`` failed; None: give up."""
    if attempts < 1 or attempts > len(delays):
        return None
    wait = delays[attempts - 1]
    return now + max(wait, min(retry_after or 0.0, delays[-1]))


def parse_duration(text: str) -> float:
    """Seconds from ``30s``, ``1.5m``, ``2h``, ``500ms`` or a bare number of seconds."""
    match = _DURATION.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"not a duration: {text[:20]!r} (use 30s, 5m, 1h or 500ms)")
    return float(match[1]) * _UNIT[(match[2] or "s").lower()]


def parse_delays(text: str) -> tuple[float, ...]:
    """Retry waits from a comma-separated list of durations (``15s,1m,3m``)."""
    delays = tuple(parse_duration(piece) for piece in text.split(",") if piece.strip())
    if not delays:
        raise ValueError("give at least one wait, e.g. 15s,1m,3m")
    return delays
