"""A moment from the API in the viewer's time zone, without ever overflowing the calendar.

An answer's time may sit at the calendar's very end (``9999-12-31T23:59:59Z``): moved to a zone
ahead of UTC it would fall in year 10000, which Python's ``datetime`` cannot hold
(``OverflowError: date value out of range``). ``in_zone`` then keeps the moment in UTC, as
given, rather than fail the page.
"""

from __future__ import annotations

from datetime import datetime, tzinfo


def in_zone(moment: datetime, tz: tzinfo) -> datetime:
    """``moment`` in ``tz``, or as given (UTC) when ``tz`` would carry it past the calendar."""
    try:
        return moment.astimezone(tz)
    except (OverflowError, ValueError):
        return moment
