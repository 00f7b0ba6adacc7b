"""Faults the emulator can inject, and the thread-safe book of which ones are armed.

A fault is armed for every API call or for one task id, for the next ``times`` matching calls
or until cleared. Task-scoped faults win over global ones; among equals, the oldest wins.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType


class Fault(StrEnum):
    """One way the API (or a proxy in front of it) can misbehave."""

    RATE_LIMIT = "rate_limit"
    SERVER_ERROR = "server_error"
    BAD_GATEWAY_HTML = "bad_gateway_html"
    NOT_FOUND_HTML = "not_found_html"
    AUTH_FAILURE = "auth_failure"
    API_ERROR_CODE = "api_error_code"
    NOT_JSON = "not_json"
    EMPTY_BODY = "empty_body"
    MALFORMED_JSON = "malformed_json"
    MISSING_FIELDS = "missing_fields"
    NULL_DATA = "null_data"
    WRONG_TYPES = "wrong_types"
    OVERSIZED = "oversized"
    SLOW_DRIP = "slow_drip"
    HANG = "hang"


FaultParams = Mapping[str, object]

_DEFAULT_PARAMS: dict[Fault, dict[str, object]] = {
    Fault.RATE_LIMIT: {"retry_after": 1},
    Fault.API_ERROR_CODE: {"code": 1003, "msg": "task query failed"},
    Fault.OVERSIZED: {"size_bytes": 3_000_000},
    Fault.WRONG_TYPES: {"status": 2},
    Fault.SLOW_DRIP: {"chunk_size": 16, "chunk_delay": 0.1},
}

# Faults that change (or replace the delivery of) the real answer rather than replacing it.
ANSWER_SHAPING = frozenset(
    {
        Fault.MALFORMED_JSON,
        Fault.MISSING_FIELDS,
        Fault.NULL_DATA,
        Fault.WRONG_TYPES,
        Fault.OVERSIZED,
        Fault.SLOW_DRIP,
    }
)


def fault_params(fault: Fault, given: Mapping[str, object]) -> FaultParams:
    """The fault's defaults overridden by ``given``; raises ``TypeError`` on an unknown name."""
    defaults = _DEFAULT_PARAMS.get(fault, {})
    unknown = sorted(set(given) - set(defaults))
    if unknown:
        allowed = ", ".join(sorted(defaults)) or "none"
        raise TypeError(f"{fault.name} takes no parameter {unknown[0]!r} (allowed: {allowed})")
    return MappingProxyType({**defaults, **given})


@dataclass
class ArmedFault:
    """A fault waiting for matching requests."""

    fault: Fault
    task_id: str | None
    remaining: int | None
    params: FaultParams = field(default_factory=dict)

    def matches(self, task_id: str | None) -> bool:
        """True when this fault applies to a request about ``task_id``."""
        return self.task_id is None or self.task_id == task_id


class FaultBook:
    """The armed faults, safe to change from a test thread while the server reads it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._armed: list[ArmedFault] = []

    def arm(self, fault: Fault, task_id: str | None, times: int | None, **params: object) -> None:
        """Arm ``fault`` for ``task_id`` (or every call) for ``times`` calls (or until cleared)."""
        if times is not None and times < 1:
            raise ValueError("times must be a positive number of requests, or None")
        armed = ArmedFault(Fault(fault), task_id, times, fault_params(Fault(fault), params))
        with self._lock:
            self._armed.append(armed)

    def clear(self) -> None:
        """Disarm every fault."""
        with self._lock:
            self._armed.clear()

    def take(self, task_id: str | None) -> ArmedFault | None:
        """The fault that applies to one request about ``task_id``, using up one of its times."""
        with self._lock:
            chosen = self._choose(task_id)
            if chosen is not None and chosen.remaining is not None:
                chosen.remaining -= 1
                if chosen.remaining == 0:
                    self._armed.remove(chosen)
            return chosen

    def _choose(self, task_id: str | None) -> ArmedFault | None:
        scoped = [a for a in self._armed if a.task_id is not None and a.matches(task_id)]
        general = [a for a in self._armed if a.task_id is None]
        return next(iter(scoped + general), None)
