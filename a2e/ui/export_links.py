"""Export links: each viewer's *Export CSV* / *Export JSON*, served by the dashboard's own route.

Why not ``st.download_button``: given a callable, it registers a new file id at every script
run and drops the old one when that run ends, and its click itself reruns the page. A click
whose request arrives after a rerun (an auto-refresh tick, or the rerun the click started)
asks for an id that is gone: "Deferred file … not found", nothing downloads, and the browser
may pair a later answer with the wrong button. A plain link has no such race.

What a link promises:

- It is ``/a2e/export/<secret>/<file name>``: the secret is 32 random bytes made for one
  browser session, kept only in this process's memory. It holds no token, id or name, and
  nothing about the link is logged.
- It makes its file when it is asked: the rows the viewer's page shows at that moment.
- It is bound to its browser and its session: it answers only the browser it was made for
  (``binding``: ``a2e.ui.zip_route.browser_binding``, a keyed hash of Streamlit's XSRF
  secret, as the ZIP links are), only while that session is connected (``alive``), and until
  ``LINK_TTL_SECONDS`` after the page last drew it; a run that draws it again renews it, and
  every link of a session is dropped once it is found gone.
- Anything else (an unknown, expired or malformed link, another file name, another browser)
  answers 410 with a plain sentence saying to press the button again.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

EXPORT_PREFIX = "/a2e/export"
LINK_TTL_SECONDS = 15 * 60
_MAX_LINKS = 10_000


@dataclass(frozen=True)
class Export:
    """One export a link serves: its file's name and type, and how to make it."""

    file_name: str
    media_type: str
    make: Callable[[], str]
    session_id: str
    name: str
    binding: str
    expires: float


class ExportLinks:
    """The links every session was given; safe to use from script and server threads."""

    def __init__(
        self,
        *,
        ttl: float = LINK_TTL_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        alive: Callable[[str], bool] = lambda _session: True,
    ) -> None:
        self._ttl, self._clock, self._alive = ttl, clock, alive
        self._secrets: dict[tuple[str, str], str] = {}
        self._exports: dict[str, Export] = {}
        self._lock = threading.Lock()

    def bind(self, alive: Callable[[str], bool]) -> None:
        """Say how to tell whether a session is still connected (the server knows)."""
        self._alive = alive

    def offer(
        self,
        session_id: str,
        name: str,
        file_name: str,
        media_type: str,
        make: Callable[[], str],
        binding: str = "",
    ) -> str:
        """The path of this session's link ``name`` (the same one at every run), serving
        ``file_name`` made by ``make`` when asked, to the browser ``binding`` names."""
        now = self._clock()
        with self._lock:
            self._prune(now)
            secret = self._secrets.setdefault((session_id, name), secrets.token_urlsafe(32))
            export = Export(file_name, media_type, make, session_id, name, binding, now + self._ttl)
            self._exports[secret] = export
        return f"{EXPORT_PREFIX}/{secret}/{file_name}"

    def take(self, secret: str, file_name: str, binding: str = "") -> Export | None:
        """The export a link names, if it still answers (this browser, its session connected,
        not expired)."""
        with self._lock:
            export = self._exports.get(secret)
        if export is None or export.file_name != file_name or export.expires < self._clock():
            return None
        if not hmac.compare_digest(export.binding.encode(), binding.encode()):
            return None
        if not self._alive(export.session_id):
            self.forget(export.session_id)
            return None
        return export

    def forget(self, session_id: str) -> None:
        """Drop every link of a session."""
        with self._lock:
            for key in [key for key in self._secrets if key[0] == session_id]:
                self._exports.pop(self._secrets.pop(key), None)

    def _prune(self, now: float) -> None:
        """Drop expired links, and past ``_MAX_LINKS`` the oldest (called with the lock held)."""
        by_age = sorted(self._exports.items(), key=lambda item: item[1].expires)
        expired = [secret for secret, export in by_age if export.expires < now]
        overflow = max(0, len(by_age) - len(expired) - _MAX_LINKS + 1)
        for secret in expired + [secret for secret, _ in by_age[len(expired) :]][:overflow]:
            export = self._exports.pop(secret)
            self._secrets.pop((export.session_id, export.name), None)


EXPORT_LINKS = ExportLinks()
