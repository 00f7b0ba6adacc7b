"""The names a request may call the dashboard by: the Host rule and ``A2E_ALLOWED_HOSTS``. No I/O.

A request's ``Host`` header (and a browser's ``Origin``) is the name the viewer's browser used
for the dashboard. Two rules read it:

- **On this machine** (``names_this_machine``): only ``localhost`` or a loopback address
  (``127.0.0.0/8``, ``::1``, ``::ffff:127.0.0.1``), on any port. A page served under any other
  name (a DNS-rebinding page whose name now points at 127.0.0.1, a plain TCP forwarder reached
  by another address) is not this machine's, whatever address the connection comes from.
- **Allowed hosts** (``A2E_ALLOWED_HOSTS``, as Django's ``ALLOWED_HOSTS``): the names a
  deployment answers to at all. Entries are separated by commas (or spaces); each is
  ``dashboard.example.com`` (that name), ``.example.com`` (that name and every subdomain),
  ``*.example.com`` (subdomains only), ``*`` (any name), or an IP address (``10.0.0.5``,
  ``[::1]``). Case and a trailing dot do not matter, and ports are ignored (an entry has none:
  one with a port, a path or a stray ``*`` is malformed, kept aside for a warning, and matches
  nothing). Unset: every name is answered, as before. A request without a readable ``Host``
  matches no list.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

_SEPARATORS = re.compile(r"[,;\s]+")
_LABEL = re.compile(r"[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?")
LOCALHOST = "localhost"


def host_name(header: str | None) -> str | None:
    """The name in a ``Host`` header (lower case, no port, IPv6 without brackets), or None
    when the header is missing or is not ``name[:port]``."""
    if not header or any(char.isspace() or not char.isprintable() for char in header):
        return None
    try:
        parts = urlsplit(f"//{header}")
        parts.port  # noqa: B018 - reading it checks that a port is a number in range
    except ValueError:
        return None
    name = parts.hostname
    if not name or parts.username is not None or parts.password is not None:
        return None
    if parts.path or parts.query or parts.fragment or "#" in header or "?" in header:
        return None
    return _canonical(name.rstrip(".")) or None


def origin_name(origin: str) -> str | None:
    """The host name of an ``Origin`` header (``http(s)://name[:port]``), else None."""
    try:
        parts = urlsplit(origin.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or parts.path not in ("", "/"):
        return None
    return host_name(parts.netloc)


def is_loopback_address(address: str | None) -> bool:
    """True when ``address`` is a loopback IP, IPv4-mapped IPv6 forms included."""
    if not address:
        return False
    text = address.strip().removeprefix("[").removesuffix("]").split("%", 1)[0]
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped.is_loopback
    return ip.is_loopback


def names_this_machine(name: str | None) -> bool:
    """True for ``localhost`` and loopback addresses: the names of this machine only."""
    return name is not None and (name == LOCALHOST or is_loopback_address(name))


@dataclass(frozen=True)
class AllowedHosts:
    """The names a deployment answers to (``A2E_ALLOWED_HOSTS``)."""

    names: frozenset[str] = frozenset()
    domains: frozenset[str] = frozenset()
    subdomains_of: frozenset[str] = frozenset()
    any_name: bool = False
    configured: bool = False
    malformed: tuple[str, ...] = ()

    @classmethod
    def parse(cls, text: str | None) -> AllowedHosts:
        """The list written in ``text`` (``None`` or blank: no list, every name answered)."""
        entries = [entry for entry in _SEPARATORS.split(text or "") if entry]
        if not entries:
            return cls()
        names, domains, subdomains, malformed = set(), set(), set(), []
        for entry in entries:
            cleaned = entry.lower().rstrip(".")
            if cleaned == "*":
                return cls(configured=True, any_name=True)
            if cleaned.startswith("*.") and _is_name(cleaned[2:]):
                subdomains.add(cleaned[2:])
            elif cleaned.startswith(".") and _is_name(cleaned[1:]):
                domains.add(cleaned[1:])
            elif (name := _entry_name(cleaned)) is not None:
                names.add(name)
            else:
                malformed.append(entry)
        return cls(
            frozenset(names),
            frozenset(domains),
            frozenset(subdomains),
            False,
            True,
            tuple(malformed),
        )

    def admits(self, host_header: str | None) -> bool:
        """True when the deployment answers to the name in ``host_header`` (always, unset)."""
        if not self.configured or self.any_name:
            return True
        name = host_name(host_header)
        if name is None:
            return False
        if name in self.names or name in self.domains:
            return True
        return any(name.endswith(f".{parent}") for parent in self.domains | self.subdomains_of)


def _entry_name(entry: str) -> str | None:
    """An entry naming one host (a DNS name or an IP address, IPv6 bracketed or not)."""
    bare = entry.removeprefix("[").removesuffix("]")
    try:
        return str(ipaddress.ip_address(bare))
    except ValueError:
        return entry if _is_name(entry) else None


def _canonical(name: str) -> str:
    """An IP address in its one written form (``0:0::1`` is ``::1``); a DNS name as it is."""
    try:
        return str(ipaddress.ip_address(name))
    except ValueError:
        return name


def _is_name(text: str) -> bool:
    labels = text.split(".")
    return bool(text) and len(text) <= 253 and all(_LABEL.fullmatch(label) for label in labels)
