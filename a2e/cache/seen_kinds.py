"""Which kinds each token's tasks were seen as lately: the order *Auto* tries kinds in.

Kept per token fingerprint (the fetch layer's keyed hash, never the token), in this process
only, bounded: at most ``MAX_TOKENS`` tokens (the least recently noted go first), each with at
most every kind once. A listing (Recent, the Overview) notes the kinds it showed, likeliest
first; a lookup notes the kinds it found. Losing it costs only a slower *Auto*.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable

MAX_TOKENS = 1_000


class SeenKinds:
    """Kinds seen per token fingerprint, most recently seen first. Safe to share."""

    def __init__(self, max_tokens: int = MAX_TOKENS) -> None:
        self._max_tokens = max(1, max_tokens)
        self._seen: OrderedDict[str, tuple[str, ...]] = OrderedDict()
        self._lock = threading.Lock()

    def note(self, fingerprint: str, kinds: Iterable[str]) -> None:
        """``kinds`` (likeliest first) were just seen for this token: they now come first."""
        fresh = tuple(dict.fromkeys(kinds))
        if not fresh:
            return
        with self._lock:
            earlier = self._seen.pop(fingerprint, ())
            self._seen[fingerprint] = fresh + tuple(k for k in earlier if k not in fresh)
            while len(self._seen) > self._max_tokens:
                self._seen.popitem(last=False)

    def kinds(self, fingerprint: str) -> tuple[str, ...]:
        """The kinds seen for this token, most recently seen first (empty if none)."""
        with self._lock:
            return self._seen.get(fingerprint, ())
