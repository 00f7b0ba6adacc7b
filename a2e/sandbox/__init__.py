"""A faithful emulator of A2E's task-status API, served over real HTTP on loopback.

Used by the tests and by the dashboard's demo mode; ``python -m a2e.sandbox`` runs it alone.
"""

from a2e.sandbox.accounting import ReceivedRequest
from a2e.sandbox.emulator import DEMO_TOKEN, Emulator
from a2e.sandbox.faults import Fault
from a2e.sandbox.history import DEMO_HISTORY

__all__ = ["DEMO_HISTORY", "DEMO_TOKEN", "Emulator", "Fault", "ReceivedRequest"]
