"""Shared by the task-list tests: a demo account with history, reset between tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from a2e.sandbox import DEMO_HISTORY, Emulator


@contextmanager
def demo_account(**options: object) -> Iterator[Emulator]:
    """An emulator whose demo account has its 30 days of history (more than one page)."""
    with Emulator(history=DEMO_HISTORY, **options) as emulator:  # type: ignore[arg-type]
        yield emulator


def reset(emulator: Emulator) -> Emulator:
    """No faults, default answer shapes, no latency, an empty request log."""
    emulator.clear_faults()
    emulator.clear_requests()
    emulator.latency = 0.0
    return emulator
