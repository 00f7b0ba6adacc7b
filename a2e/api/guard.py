"""The connect-time address guard: a client with a scope connects only to addresses it allows.

The check happens where the socket is opened, on the addresses the name resolves to *then*,
and the connection goes to one of those vetted addresses (never to the name, which a second
lookup could answer differently: DNS rebinding). Any way of writing a host (``127.1``,
``2130706433``, ``0x7f000001``, ``[::ffff:127.0.0.1]``, a name such as ``localhost``) ends up
as the addresses the resolver returns, so every spelling meets the same rule
(``a2e.api.addresses.may_connect``). A name with any refused address is refused whole, with
one message that names neither the host's addresses nor anything a server said. TLS still
names the host (SNI and certificate checks use the URL's host, not the vetted address).

Proxies from the environment are never used by a guarded transport (``trust_env=False``):
a proxy would make the connection on our behalf, out of the guard's sight.

A transport for bulk downloads (media) may read larger pieces than httpcore's 64 KiB
(``read_size``): fewer, larger reads cost less Python per byte, and h11 takes any amount.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import httpcore
import httpx

from a2e.api.addresses import AddressScope, IPAddress, may_connect
from a2e.api.errors import AddressRefused

# What a resolver returns: ``socket.getaddrinfo``'s 5-tuples.
AddressInfo = tuple[Any, Any, Any, Any, tuple[Any, ...]]
Resolver = Callable[[str, int], Sequence[AddressInfo]]

ADDRESS_REFUSED = (
    "this server's address is not allowed: from another machine, the dashboard connects only "
    "to public internet addresses (not loopback, private, link-local or reserved ones)"
)


def resolve(host: str, port: int) -> Sequence[AddressInfo]:
    """Every address ``host`` resolves to now, for a TCP connection to ``port``."""
    return socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)


class GuardedBackend(httpcore.NetworkBackend):
    """httpcore's synchronous backend, connecting only to addresses the scope allows."""

    def __init__(
        self, scope: AddressScope, resolver: Resolver = resolve, read_size: int | None = None
    ) -> None:
        self._scope = scope
        self._resolver = resolver
        self._read_size = read_size
        self._backend = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        """A connection to one of ``host``'s vetted addresses; raises ``AddressRefused``."""
        error: httpcore.ConnectError | None = None
        for address in self.vetted_addresses(host, port):
            try:
                stream = self._backend.connect_tcp(
                    address, port, timeout, local_address, socket_options
                )
            except httpcore.ConnectError as exc:  # try the name's next address
                error = exc
                continue
            return BulkReads(stream, self._read_size) if self._read_size else stream
        raise error or httpcore.ConnectError("no address to connect to")

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        """Refused: a Unix socket is this machine, never a public address."""
        raise AddressRefused(ADDRESS_REFUSED)

    def sleep(self, seconds: float) -> None:
        """Wait (httpcore's retry pauses)."""
        self._backend.sleep(seconds)

    def vetted_addresses(self, host: str, port: int) -> list[str]:
        """The addresses ``host`` resolves to, all allowed by the scope; raises otherwise."""
        try:
            found = self._resolver(host, port)
        except (OSError, UnicodeError) as exc:
            raise httpcore.ConnectError("the server's name could not be resolved") from exc
        addresses = list(dict.fromkeys(str(info[4][0]) for info in found))
        if not addresses:
            raise httpcore.ConnectError("the server's name has no address")
        if not all(may_connect(_ip(address), self._scope) for address in addresses):
            raise AddressRefused(ADDRESS_REFUSED)
        return addresses


class BulkReads(httpcore.NetworkStream):
    """A network stream that reads up to ``read_size`` bytes whatever smaller amount is asked."""

    def __init__(self, stream: httpcore.NetworkStream, read_size: int) -> None:
        self._stream, self._read_size = stream, read_size

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        """Up to ``read_size`` bytes (at least ``max_bytes`` may be asked for)."""
        return self._stream.read(max(max_bytes, self._read_size), timeout)

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        """Send ``buffer``."""
        self._stream.write(buffer, timeout)

    def close(self) -> None:
        """Close the connection."""
        self._stream.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        """TLS over this stream, reading as largely."""
        secured = self._stream.start_tls(ssl_context, server_hostname, timeout)
        return BulkReads(secured, self._read_size)

    def get_extra_info(self, info: str) -> Any:
        """What the underlying stream says (``ssl_object``, ``socket``…)."""
        return self._stream.get_extra_info(info)


def _ip(address: str) -> IPAddress:
    return ipaddress.ip_address(address.split("%", 1)[0])


class GuardedTransport(httpx.HTTPTransport):
    """httpx's own transport (TLS, HTTP/1.1, pooling) over a ``GuardedBackend``."""

    def __init__(
        self,
        scope: AddressScope,
        *,
        limits: httpx.Limits,
        resolver: Resolver = resolve,
        read_size: int | None = None,
    ) -> None:
        super().__init__(limits=limits, trust_env=False)
        # httpx builds its connection pool without a way to pass a network backend: the same
        # pool is built again here with one (``_pool`` is the pool httpx hands requests to).
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=GuardedBackend(scope, resolver, read_size),
        )


def transport_for(
    scope: AddressScope, limits: httpx.Limits, transport: httpx.BaseTransport | None
) -> httpx.BaseTransport | None:
    """The transport a client with ``scope`` uses: guarded unless the scope allows anything."""
    if scope is AddressScope.ANY:
        return transport
    if transport is not None:
        raise ValueError("a transport of one's own cannot be guarded: give a scope or a transport")
    return GuardedTransport(scope, limits=limits)
