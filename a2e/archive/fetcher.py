"""Fetching one media file from a link an API answer gave: guarded, capped, streamed, retried.

Media links come from API answers, so they are input. The contract:

- Only http(s) links are asked; anything else is refused unasked.
- Every connection is checked when it is made (``a2e.api.guard``, even for a scope that allows
  anything): a host that resolves to an address the scope does not allow is refused and
  nothing is sent. The scope is public
  addresses only, plus loopback when the API server itself is on loopback (``media_scope``:
  the emulator). Redirects are followed (at most 5), each hop through the same guard; proxies
  from the environment are never used, and no cookie is kept.
- 403, 404 and 410 mean the link has expired (``MediaExpired``); any other 4xx fails; 5xx, 429
  and network failures are retried (3 attempts within 20 s), then fail (``MediaFailed``).
- A body is read chunk by chunk as it arrives, never held whole; a declared or actual size past
  ``max_bytes`` is refused. A read that stalls for ``read_timeout`` fails.
- ``offset`` asks for the rest of a file (``Range``, with ``If-Range`` when a validator from the
  first answer is known); a server that sends the whole file instead is read from its start.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.cookiejar import CookieJar, DefaultCookiePolicy
from urllib.parse import urlsplit

import httpx

from a2e.api.addresses import AddressScope, is_loopback
from a2e.api.errors import (
    AddressRefused,
    LookupFailed,
    RateLimited,
    ServerFailed,
    translate_httpx_errors,
)
from a2e.api.guard import GuardedTransport, Resolver, resolve
from a2e.api.pooled import Pooled
from a2e.api.records import http_url, number
from a2e.api.retries import RetryPolicy, retry_after_seconds
from a2e.api.servers import USER_AGENT
from a2e.archive.media_types import media_type
from a2e.archive.problems import MediaExpired, MediaFailed, MediaRefused
from a2e.cache.memory import MMAP_THRESHOLD_BYTES

GIB = 1024**3
DEFAULT_MAX_FILE_BYTES = 2 * GIB
EXPIRED_STATUSES = frozenset({403, 404, 410})
# Media is read in pieces this large: less Python per byte than httpcore's 64 KiB, and under
# the allocator's mmap threshold the task cache sets (a larger read would get pages of its own,
# mapped, zeroed and unmapped on every read: twice the CPU).
READ_BYTES = MMAP_THRESHOLD_BYTES - 8 * 1024
NOT_HTTP = "refused: the link is not an http(s) URL"
NOT_PUBLIC = "refused: the link's address is not a public internet address"
_CONTENT_RANGE = re.compile(r"bytes\s+(\d+)-(\d+)/(\d+|\*)", re.IGNORECASE)


@dataclass(frozen=True)
class MediaSettings:
    """How large a file may be, how patient a download is, and how many connections it keeps."""

    max_bytes: int = DEFAULT_MAX_FILE_BYTES
    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    connections: int = 8
    retry: RetryPolicy = field(default_factory=RetryPolicy)


def too_large(limit: int) -> MediaRefused:
    """The refusal of a file past ``limit`` bytes."""
    return MediaRefused(f"refused: larger than the cap of {human_bytes(limit)}")


def human_bytes(count: float) -> str:
    """``1.2 GB``, ``340 kB``, ``12 B``: sizes as people read them (decimal units)."""
    for unit in ("B", "kB", "MB", "GB"):
        if abs(count) < 1000 or unit == "GB":
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1000
    return f"{count:.1f} TB"  # pragma: no cover - the loop returns at GB


@dataclass
class MediaBody:
    """One answer being read: its media type, where its bytes start, and the whole file's size."""

    media_type: str
    offset: int
    length: int | None
    validator: str | None
    response: httpx.Response = field(repr=False)
    max_bytes: int = DEFAULT_MAX_FILE_BYTES

    def chunks(self) -> Iterator[bytes]:
        """The body's bytes as they arrive; raises ``MediaRefused`` past the cap."""
        seen = self.offset
        with _broken_off():
            for chunk in self.response.iter_bytes():
                seen += len(chunk)
                if seen > self.max_bytes:
                    raise too_large(self.max_bytes)
                yield chunk


@contextmanager
def _broken_off() -> Iterator[None]:
    try:
        yield
    except httpx.TimeoutException as exc:
        raise MediaFailed("the download stalled (no data for the read timeout)") from exc
    except httpx.HTTPError as exc:
        raise MediaFailed(f"the download broke off ({type(exc).__name__})") from exc


class MediaFetcher(Pooled):
    """Downloads media links within one address scope; safe to share between threads."""

    def __init__(
        self,
        scope: AddressScope,
        settings: MediaSettings | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.settings = settings or MediaSettings()
        limits = httpx.Limits(
            max_connections=self.settings.connections,
            max_keepalive_connections=self.settings.connections,
        )
        self._http = httpx.Client(
            timeout=httpx.Timeout(
                self.settings.read_timeout, connect=self.settings.connect_timeout, pool=None
            ),
            limits=limits,
            transport=transport or GuardedTransport(scope, limits=limits, read_size=READ_BYTES),
            trust_env=False,
            follow_redirects=True,
            max_redirects=5,
            cookies=CookieJar(policy=DefaultCookiePolicy(allowed_domains=[])),
            headers={"User-Agent": USER_AGENT, "Accept-Encoding": "identity"},
        )

    @contextmanager
    def open(
        self, url: str, *, offset: int = 0, validator: str | None = None
    ) -> Iterator[MediaBody]:
        """The answer for ``url`` (from ``offset`` when the server can); raises ``MediaProblem``."""
        if http_url(url) is None:
            raise MediaRefused(NOT_HTTP)
        headers = _range_headers(offset, validator)
        try:
            response = self.settings.retry.call(lambda: self._send(url, headers))
        except AddressRefused as exc:
            raise MediaRefused(NOT_PUBLIC) from exc
        except LookupFailed as exc:
            raise MediaFailed(f"the media server failed: {exc.message}") from exc
        try:
            yield self._body(response, url, offset)
        finally:
            response.close()

    def _send(self, url: str, headers: dict[str, str]) -> httpx.Response:
        with translate_httpx_errors(self.settings.read_timeout):
            request = self._http.build_request("GET", url, headers=headers)
            response = self._http.send(request, stream=True)
        if response.status_code in (200, 206):
            return response
        response.close()
        status = response.status_code
        if status in EXPIRED_STATUSES:
            raise MediaExpired()
        if status == 429:
            wait = retry_after_seconds(response.headers.get("Retry-After"))
            raise RateLimited("the media server kept answering 429", retry_after=wait)
        if status >= 500:
            raise ServerFailed(f"HTTP {status}", http_status=status)
        raise MediaFailed(f"the media server answered HTTP {status}")

    def _body(self, response: httpx.Response, url: str, offset: int) -> MediaBody:
        found = media_type(response.headers.get("Content-Type"), str(response.url) or url)
        start, length = _extent(response, offset)
        if length is not None and length > self.settings.max_bytes:
            raise too_large(self.settings.max_bytes)
        validator = response.headers.get("ETag") or response.headers.get("Last-Modified")
        return MediaBody(found, start, length, validator, response, self.settings.max_bytes)


def _range_headers(offset: int, validator: str | None) -> dict[str, str]:
    if offset <= 0:
        return {}
    headers = {"Range": f"bytes={offset}-"}
    if validator:
        headers["If-Range"] = validator
    return headers


def _extent(response: httpx.Response, offset: int) -> tuple[int, int | None]:
    """Where the answer's bytes start in the file, and the whole file's size if known."""
    if response.status_code == 206:
        found = _CONTENT_RANGE.fullmatch(response.headers.get("Content-Range", "").strip())
        if found is None or int(found[1]) != offset:
            raise MediaFailed("the media server sent another part of the file than asked")
        return offset, None if found[3] == "*" else int(found[3])
    declared = number(response.headers.get("Content-Length"))
    return 0, int(declared) if declared is not None and declared >= 0 else None


def media_scope(api_base_url: str, resolver: Resolver = resolve) -> AddressScope:
    """Where media links may point: public addresses, and loopback too when the API server
    itself is on loopback (every address its name resolves to)."""
    parts = urlsplit(api_base_url)
    try:
        found = resolver(parts.hostname or "", parts.port or 443)
        addresses = {str(info[4][0]).split("%", 1)[0] for info in found}
        local = bool(addresses) and all(is_loopback(ipaddress.ip_address(a)) for a in addresses)
    except (OSError, UnicodeError, ValueError):
        local = False
    return AddressScope.PUBLIC_AND_LOOPBACK if local else AddressScope.PUBLIC_ONLY


def viewer_media_scope(api_base_url: str, viewer_scope: AddressScope) -> AddressScope:
    """``media_scope``, never wider than what the viewer may reach (public only, for one)."""
    if viewer_scope is AddressScope.PUBLIC_ONLY:
        return AddressScope.PUBLIC_ONLY
    return media_scope(api_base_url)
