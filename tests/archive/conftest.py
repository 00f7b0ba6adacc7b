"""The archive tests' emulator: one of their own per module, as they add many tasks, which must
not push the session emulator's demo tasks off a list's first page for other tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from a2e.sandbox import Emulator
from tests.listing_support import reset


@pytest.fixture(scope="module")
def archive_account() -> Iterator[Emulator]:
    with Emulator() as emulator:
        yield emulator


@pytest.fixture
def emulator(archive_account: Emulator) -> Emulator:
    """The module's own emulator, with no faults, no latency and an empty request log."""
    return reset(archive_account)
