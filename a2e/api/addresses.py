"""Which network addresses a request may reach: the rule the client checks at connect time.

A stranger's custom server must be a public address; loopback, private, link-local,
unique-local, multicast, reserved and unspecified addresses (and IPv4 written inside IPv6)
are refused. The dashboard's own viewers on this machine may reach anything (the emulator
runs on loopback). Media links taken from an API answer may reach public addresses, and
loopback too when the API server itself is on loopback (``PUBLIC_AND_LOOPBACK``: the
emulator's media). No I/O here: the connecting code resolves names and asks this module.
"""

from __future__ import annotations

import ipaddress
from enum import StrEnum

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class AddressScope(StrEnum):
    """What a request may connect to."""

    ANY = "any"
    PUBLIC_ONLY = "public_only"
    PUBLIC_AND_LOOPBACK = "public_and_loopback"


def is_public_address(ip: IPAddress) -> bool:
    """True for a globally routable unicast address (IPv4 inside IPv6 judged as IPv4)."""
    embedded = _embedded_ipv4(ip)
    if embedded is not None:
        return is_public_address(embedded)
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_unspecified)


def may_connect(ip: IPAddress, scope: AddressScope) -> bool:
    """True when ``scope`` lets a request connect to ``ip``."""
    if scope is AddressScope.ANY or is_public_address(ip):
        return True
    return scope is AddressScope.PUBLIC_AND_LOOPBACK and is_loopback(ip)


def is_loopback(ip: IPAddress) -> bool:
    """True for a loopback address (``::ffff:127.0.0.1`` too; never one tunnelled elsewhere)."""
    mapped = ip.ipv4_mapped if isinstance(ip, ipaddress.IPv6Address) else None
    return (mapped or ip).is_loopback


def _embedded_ipv4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    if not isinstance(ip, ipaddress.IPv6Address):
        return None
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    teredo = ip.teredo
    if teredo is not None:
        return teredo[1]
    # NAT64 (64:ff9b::/96) carries an IPv4 address in its last 32 bits.
    if ip in ipaddress.IPv6Network("64:ff9b::/96"):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None
