"""Who is asking: one viewer's connection as the dashboard's server saw it. No I/O.

A viewer is *on this machine* only when all of these hold:

- the connection came from a loopback address (``127.0.0.0/8`` or ``::1``, also written as
  IPv4-mapped IPv6 like ``::ffff:127.0.0.1``); a viewer whose address is unknown is a stranger;
- it carried no forwarding header: a reverse proxy on the same machine makes every remote
  viewer look local, and announces itself with such a header, so any of them makes a stranger;
- its ``Host`` (exactly one) and its ``Origin`` (at least one, every one) name this machine:
  ``localhost`` or a loopback address, any port (``a2e.access.hosts``). A proxy that adds no
  header (``ssh -L``, socat, HAProxy without ``forwardfor``) still passes on the name the
  browser used, and a DNS-rebinding page sends its own name: neither names this machine. A
  proxy that also rewrites the ``Host`` (nginx's plain ``proxy_pass``) passes the browser's
  ``Origin`` on; and since every browser sends an ``Origin`` with its websocket handshake, a
  connection without one is no browser on this machine (a script through such a proxy, say).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from a2e.access.hosts import host_name, is_loopback_address, names_this_machine, origin_name

# Headers a proxy (or a client pretending to be behind one) adds; any of them, whatever its
# value, means the connection's own address is not the viewer's.
FORWARDING_HEADERS = frozenset(
    {
        "forwarded",
        "x-forwarded-for",
        "x-forwarded-host",
        "x-forwarded-proto",
        "x-forwarded-port",
        "x-forwarded-server",
        "x-original-forwarded-for",
        "x-envoy-external-address",
        "x-real-ip",
        "client-ip",
        "x-client-ip",
        "true-client-ip",
        "cf-connecting-ip",
        "fastly-client-ip",
        "x-cluster-client-ip",
        "via",
    }
)

Headers = Iterable[tuple[str, str]]


@dataclass(frozen=True)
class Viewer:
    """A connection: its peer address (``None`` if unknown), whether a proxy forwarded it, and
    whether the names it used for the dashboard (``Host``, ``Origin``) are this machine's."""

    address: str | None
    forwarded: bool
    named_locally: bool

    @classmethod
    def from_connection(cls, address: str | None, headers: Headers) -> Viewer:
        """The viewer of a connection from ``address`` that sent ``headers`` (name, value)."""
        pairs = [(name.lower(), value) for name, value in headers]
        forwarded = any(name in FORWARDING_HEADERS for name, _ in pairs)
        return cls(address=address, forwarded=forwarded, named_locally=_named_locally(pairs))

    @property
    def on_this_machine(self) -> bool:
        """True for a loopback connection that no proxy forwarded, made to a local name."""
        return not self.forwarded and self.named_locally and is_loopback_address(self.address)


def _named_locally(pairs: list[tuple[str, str]]) -> bool:
    """Exactly one ``Host``, naming this machine, and an ``Origin``, every one naming it too."""
    hosts = [value for name, value in pairs if name == "host"]
    origins = [value for name, value in pairs if name == "origin"]
    if len(hosts) != 1 or not names_this_machine(host_name(hosts[0])) or not origins:
        return False
    return all(names_this_machine(origin_name(origin)) for origin in origins)


__all__ = ["FORWARDING_HEADERS", "Viewer", "is_loopback_address"]
