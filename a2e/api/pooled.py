"""``Pooled``: what owns one httpx connection pool: closed by ``close()`` or by ``with``. No I/O."""

from __future__ import annotations

from types import TracebackType
from typing import Self

import httpx


class Pooled:
    """A holder of one connection pool (``_http``), usable as a context manager that closes it."""

    _http: httpx.Client

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
