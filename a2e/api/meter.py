"""Every request sent on a viewer's behalf, counted and charged to that viewer's budget.

A ``Meter`` belongs to one thing a viewer asked for (a lookup, a refresh tick, a list page, an
Overview reading, a row's detail). The caller makes it and passes it down through the fetch
layer to the client, which charges it once for **every HTTP request it is about to send**
(``A2EClient._call``): a status call, a list page, each retry, each of Auto's tries of another
kind, and a batch call carrying many ids (one request, one call, whatever it carries). An
answer the cache gives sends nothing and costs nothing; under single-flight the viewer whose
request goes upstream pays, and the viewers waiting for its answer do not.

A charge the budget refuses raises ``OverBudget`` (a ``LookupFailed``, cause REFUSED) and the
request is not sent. The first refusal sticks: every later charge of the same meter is refused
at once with the same message, without asking the budget again, so every row the refused
requests would have answered says ``not asked: <why>`` (``not_sent``), and the page says why
once (``refusal``). ``calls`` counts the requests actually sent, for the audit line.

A meter made with ``stop_after_rejected_token`` (the command line's) also stops once the server
rejects the token of a request charged to it (the client tells it: ``token_rejected``): every
later charge is refused with ``TOKEN_WAS_REJECTED``, so at most the requests already in flight
carry a token the server no longer takes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from a2e.api.errors import OverBudget
from a2e.core.model import LookupCause, Task

NOT_ASKED = "not asked: "
TOKEN_WAS_REJECTED = "the token was rejected"

# Charge one call: None when it may be sent, else why not (fit to show the viewer).
Spend = Callable[[], str | None]


class Meter:
    """Counts the requests sent for one viewer's request, and stops them at its budget."""

    def __init__(self, spend: Spend | None = None, *, stop_after_rejected_token: bool = False):
        self._spend = spend
        self._stop_after_rejected_token = stop_after_rejected_token
        self._calls = 0
        self._refusal: str | None = None
        self._lock = threading.Lock()

    def token_rejected(self) -> None:
        """The server rejected the token of a request charged here (see the module docstring)."""
        if self._stop_after_rejected_token:
            with self._lock:
                self._refusal = self._refusal or TOKEN_WAS_REJECTED

    def charge(self) -> None:
        """Charge one request about to be sent; raises ``OverBudget`` when it may not be."""
        with self._lock:
            refused = self._refusal
        if refused is None and self._spend is not None:
            refused = self._spend()
        with self._lock:
            if refused is not None:
                self._refusal = self._refusal or refused
                raise OverBudget(NOT_ASKED + self._refusal)
            self._calls += 1

    @property
    def calls(self) -> int:
        """Requests charged and sent so far."""
        with self._lock:
            return self._calls

    @property
    def refusal(self) -> str | None:
        """Why a request was not sent (the budget's message), or None while none was refused."""
        with self._lock:
            return self._refusal


def not_sent(task: Task) -> bool:
    """True for a row whose request a budget stopped (nothing was sent, nothing was learnt)."""
    return (
        task.error_cause is LookupCause.REFUSED
        and task.error is not None
        and task.error.startswith(NOT_ASKED)
    )
