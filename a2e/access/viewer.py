"""Who is asking: one viewer's connection as the dashboard's server saw it. No I/O.

A viewer is *on this machine* only when the connection came from a loopback address
(``127.0.0.0/8`` or ``::1``, also written as IPv4-mapped IPv6 like ``::ffff:127.0.0.1``) and
carried no forwarding header. A reverse proxy on the same machine makes every remote viewer
look local, and announces itself with such a header, so any of them makes a stranger. A viewer
whose address is unknown is a stranger too.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass

# Headers a proxy (or a client pretending to be behind one) adds; any of them, whatever its
# value, means the connection's own address is not the viewer's.
FORWARDING_HEADERS = frozenset(
    {
        "forwarded",
        "x-forwarded-for",
        "x-forwarded-host",
        "x-forwarded-proto",
        "x-real-ip",
        "x-client-ip",
        "true-client-ip",
        "cf-connecting-ip",
        "fastly-client-ip",
        "x-cluster-client-ip",
        "via",
    }
)


@dataclass(frozen=True)
class Viewer:
    """A connection: its peer address (``None`` if unknown) and whether a proxy forwarded it."""

    address: str | None
    forwarded: bool

    @classmethod
    def from_connection(cls, address: str | None, headers: Mapping[str, str]) -> Viewer:
        """The viewer of a connection from ``address`` that sent ``headers``."""
        forwarded = any(name.lower() in FORWARDING_HEADERS for name in headers)
        return cls(address=address, forwarded=forwarded)

    @property
    def on_this_machine(self) -> bool:
        """True for a loopback connection that no proxy forwarded."""
        return not self.forwarded and is_loopback_address(self.address)


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
