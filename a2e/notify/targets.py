"""Targets: the URLs a person gives to ``--notify``, checked once, named without their secrets.

``webhook+https://host/path`` is a signed JSON webhook (``webhook+http://`` only to a loopback
host: a receiver on this machine, as in tests). Anything else must be a URL Apprise knows
(``slack://``, ``workflows://``, ``mailto://``, ``json://``…); one it does not is refused with
a message that never repeats the URL. A target's ``label`` is what logs, the state and the
dashboard show: the scheme and host of Apprise's own privacy form (tokens and passwords
masked), or of the webhook's URL, with any path hidden (``json://hooks.example.com/…``).
``target_id`` is a keyed hash of the whole URL, stable across restarts, from which the URL
cannot be read back without the key.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from dataclasses import dataclass, field
from typing import Literal

import apprise
import httpx

WEBHOOK_PREFIX = "webhook+"
TargetKind = Literal["webhook", "apprise"]


class TargetError(ValueError):
    """A ``--notify`` URL that cannot be used; the message never holds the URL."""


@dataclass(frozen=True)
class Target:
    """One place to announce to: its kind, its URL (a secret) and a label fit to show."""

    kind: TargetKind
    url: str = field(repr=False)
    label: str

    def target_id(self, key: bytes) -> str:
        """A keyed hash of the URL: the target's name in the state, revealing nothing."""
        return hmac.new(key, self.url.encode(), hashlib.sha256).hexdigest()[:24]


def parse_target(url: str) -> Target:
    """The target of one ``--notify`` URL; raises ``TargetError`` when it cannot be used."""
    cleaned = url.strip()
    if cleaned.lower().startswith(WEBHOOK_PREFIX):
        return _webhook(cleaned[len(WEBHOOK_PREFIX) :])
    plugin = apprise.Apprise.instantiate(cleaned)
    if plugin is None:
        scheme = cleaned.split("://", 1)[0][:20] if "://" in cleaned else "?"
        raise TargetError(f"not a notification URL Apprise knows (scheme {scheme!r})")
    private = plugin.url(privacy=True)  # type: ignore[no-untyped-call]
    return Target("apprise", cleaned, _without_path(str(private)))


def _without_path(private: str) -> str:
    """Apprise's privacy form (its tokens and passwords masked) without query or path: a JSON
    receiver's path or an ntfy topic is often the secret itself, and Apprise shows those."""
    scheme, _, rest = private.split("?", 1)[0].partition("://")
    host, _, path = rest.partition("/")
    return f"{scheme}://{host}/…" if path.strip("/") else f"{scheme}://{host}"


def _webhook(address: str) -> Target:
    try:
        url = httpx.URL(address)
        host = url.host
    except (httpx.InvalidURL, ValueError):
        raise TargetError("a webhook+ target must be webhook+https://host/path") from None
    if url.scheme not in ("https", "http") or not host:
        raise TargetError("a webhook+ target must be webhook+https://host/path")
    if url.scheme == "http" and not _is_loopback(host):
        raise TargetError("webhook+http:// is only for a receiver on this machine: use https")
    port = f":{url.port}" if url.port else ""
    path = "/…" if url.raw_path not in (b"", b"/") else ""
    return Target("webhook", address, f"{WEBHOOK_PREFIX}{url.scheme}://{host}{port}{path}")


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
