"""The progress line on stderr (``looked up 120 of 400…``, or a command's own), rewritten in place.

While *Auto* searches, the line says which kind it is asking: ``looked up 120 of 400…
(asking as veo, kind 9 of 34)``. Shown only when the stream is a terminal (a pipe or a file
never gets one), and only for a batch worth watching: more than ``SHOW_ABOVE_REQUESTS``
requests, or one still running after ``SHOW_AFTER_SECONDS``. It is redrawn at most every
``REDRAW_SECONDS`` and erased (spaces, then a carriage return) when the batch ends, so the table
that follows starts on a clean line.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from types import TracebackType
from typing import TextIO

SHOW_ABOVE_REQUESTS = 50
SHOW_AFTER_SECONDS = 2.0
REDRAW_SECONDS = 0.1


class ProgressLine:
    """Counts lookups on a terminal's stderr; a context manager that clears the line on exit."""

    def __init__(
        self,
        stream: TextIO,
        *,
        clock: Callable[[], float] = time.monotonic,
        describe: Callable[[int, int], str] | None = None,
    ) -> None:
        self._stream, self._clock = stream, clock
        self._describe = describe or looked_up
        self._on_terminal = _is_terminal(stream)
        self._started = clock()
        self._drawn_at: float | None = None
        self._drawn_width = 0
        self._asking = ""

    def update(self, done: int, total: int) -> None:
        """``done`` of ``total`` requests have finished (a ``ProgressCallback``)."""
        now = self._clock()
        if not self._on_terminal or not self._worth_showing(total, now):
            return
        if done < total and self._drawn_at is not None and now - self._drawn_at < REDRAW_SECONDS:
            return
        text = self._describe(done, total) + self._asking
        self._write("\r" + text.ljust(self._drawn_width))
        self._drawn_at, self._drawn_width = now, len(text)

    def asking(self, kind: str, place: int, of: int) -> None:
        """Auto (or a family) now asks ids as ``kind``, the ``place``-th of ``of`` kinds."""
        self._asking = f" (asking as {kind}, kind {place} of {of})" if of > 1 else ""

    def clear(self) -> None:
        """Erase the line, if one was drawn."""
        if self._drawn_width:
            self._write("\r" + " " * self._drawn_width + "\r")
            self._drawn_at, self._drawn_width = None, 0

    def __enter__(self) -> ProgressLine:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.clear()

    def _worth_showing(self, total: int, now: float) -> bool:
        return total > SHOW_ABOVE_REQUESTS or now - self._started >= SHOW_AFTER_SECONDS

    def _write(self, text: str) -> None:
        self._stream.write(text)
        self._stream.flush()


def looked_up(done: int, total: int) -> str:
    """``looked up 120 of 400…``: the status command's progress line."""
    return f"looked up {done} of {total}…"


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or stand-in stream is no terminal
        return False
