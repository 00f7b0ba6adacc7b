"""The connect-time address guard, on real loopback servers: strangers reach public addresses only.

Every target here is on this machine (the emulator, or a loopback TLS listener); names are
resolved by a test resolver to 127.0.0.1, so no test ever connects anywhere else.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import threading
from collections.abc import Iterator

import httpx
import pytest

from a2e.access.policy import address_scope
from a2e.access.viewer import Viewer
from a2e.api.addresses import AddressScope
from a2e.api.client import A2EClient
from a2e.api.errors import AddressRefused, TaskNotFound
from a2e.api.guard import ADDRESS_REFUSED, AddressInfo, GuardedBackend, GuardedTransport
from a2e.core.model import LookupCause, TaskOutcome
from a2e.sandbox import Emulator
from tests.conftest import make_client

# Every way of writing "this machine" that httpx accepts and the resolver turns into loopback.
LOOPBACK_SPELLINGS = [
    "127.0.0.1",
    "127.1",
    "2130706433",
    "0x7f000001",
    "017700000001",
    "[::ffff:127.0.0.1]",
    "[::ffff:7f00:1]",
    "localhost",
]


def port_of(emulator: Emulator) -> int:
    return int(emulator.base_url.rsplit(":", 1)[1])


def stranger_client(base_url: str) -> A2EClient:
    viewer = Viewer(address="203.0.113.5", forwarded=False, named_locally=True)
    return A2EClient(base_url, address_scope=address_scope(viewer))


def answers(*addresses: str) -> object:
    """A resolver that answers ``addresses`` for any name, and counts its calls."""

    def resolver(host: str, port: int) -> list[AddressInfo]:
        resolver.calls += 1  # type: ignore[attr-defined]
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port)) for a in addresses]

    resolver.calls = 0  # type: ignore[attr-defined]
    return resolver


@pytest.mark.parametrize("host", LOOPBACK_SPELLINGS)
def test_each_spelling_of_loopback_reaches_the_emulator_for_a_viewer_on_this_machine(
    emulator, token, host
):
    with A2EClient(f"http://{host}:{port_of(emulator)}", address_scope=AddressScope.ANY) as c:
        assert c.lookup(token, emulator.demo_ids()[0]).outcome is not TaskOutcome.LOOKUP_ERROR


@pytest.mark.parametrize("host", LOOPBACK_SPELLINGS)
def test_each_spelling_of_loopback_is_refused_for_a_stranger_and_nothing_is_sent(
    emulator, token, host
):
    with stranger_client(f"http://{host}:{port_of(emulator)}") as client:
        task = client.lookup(token, emulator.demo_ids()[0])
    assert (task.outcome, task.error_cause, task.error) == (
        TaskOutcome.LOOKUP_ERROR,
        LookupCause.REFUSED,
        ADDRESS_REFUSED,
    )
    assert emulator.count_requests() == 0


def test_check_token_is_refused_the_same_way_for_a_stranger(emulator, token):
    client = stranger_client(f"http://localhost:{port_of(emulator)}")
    with client, pytest.raises(AddressRefused) as caught:
        client.remaining_coins(token)
    assert caught.value.message == ADDRESS_REFUSED
    assert emulator.count_requests() == 0


def test_a_refusal_is_not_retried(emulator, token):
    resolver = answers("127.0.0.1")
    transport = GuardedTransport(AddressScope.PUBLIC_ONLY, limits=httpx.Limits(), resolver=resolver)
    with A2EClient("http://a2e.guard.test", transport=transport) as client:
        task = client.lookup(token, emulator.demo_ids()[0])
    assert task.error_cause is LookupCause.REFUSED
    assert resolver.calls == 1


def test_the_connection_goes_to_the_address_that_was_checked_not_to_a_second_lookup(
    emulator, token
):
    # "a2e.guard.test" resolves nowhere: only the vetted address can reach the emulator.
    transport = GuardedTransport(
        AddressScope.ANY, limits=httpx.Limits(), resolver=answers("127.0.0.1")
    )
    url = f"http://a2e.guard.test:{port_of(emulator)}"
    with A2EClient(url, transport=transport) as client:
        assert client.lookup(token, emulator.demo_ids()[0]).outcome is not TaskOutcome.LOOKUP_ERROR


def test_a_name_that_resolves_to_a_public_and_a_private_address_is_refused_whole():
    backend = GuardedBackend(AddressScope.PUBLIC_ONLY, answers("8.8.8.8", "127.0.0.1"))
    with pytest.raises(AddressRefused):
        backend.vetted_addresses("rebind.example", 443)


@pytest.mark.parametrize(
    "address",
    [
        "10.0.0.1",
        "172.16.5.4",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "224.0.0.1",
        "240.0.0.1",
        "255.255.255.255",
        "::1",
        "::",
        "fe80::1",
        "fd00::1",
        "ff02::1",
        "::ffff:10.0.0.1",
        "64:ff9b::7f00:1",
        "2002:7f00:1::",
    ],
)
def test_internal_addresses_are_refused_before_any_connection(address):
    backend = GuardedBackend(AddressScope.PUBLIC_ONLY, answers(address))
    with pytest.raises(AddressRefused):
        backend.connect_tcp("internal.example", 80)


def test_a_public_address_passes_the_check():
    backend = GuardedBackend(AddressScope.PUBLIC_ONLY, answers("8.8.8.8"))
    assert backend.vetted_addresses("dns.example", 443) == ["8.8.8.8"]


def test_proxies_from_the_environment_do_not_bypass_the_guard(emulator, token, monkeypatch):
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    for name in ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.setenv(name, emulator.base_url)
    # An unguarded client does go through the proxy: a name that resolves nowhere gets an
    # HTTP answer (the emulator's 404 for a proxy-form request).
    unguarded = A2EClient("http://a2e-through-the-proxy.invalid")
    with unguarded, pytest.raises(TaskNotFound):
        unguarded.remaining_coins(token)
    emulator.clear_requests()
    with stranger_client(f"http://localhost:{port_of(emulator)}") as client:
        task = client.lookup(token, emulator.demo_ids()[0])
    assert task.error_cause is LookupCause.REFUSED
    assert emulator.count_requests() == 0


@pytest.fixture
def tls_listener() -> Iterator[tuple[int, list[str]]]:
    """A loopback socket that records the server name each TLS client hello asks for."""
    names: list[str] = []
    server = socket.create_server(("127.0.0.1", 0))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.sni_callback = lambda _sock, name, _ctx: names.append(str(name))

    def serve() -> None:
        connection, _ = server.accept()
        with connection, contextlib.suppress(ssl.SSLError):  # no certificate: the hello will do
            context.wrap_socket(connection, server_side=True)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1], names
    thread.join(timeout=5)
    server.close()


def test_tls_to_a_vetted_address_still_names_the_host(tls_listener):
    port, names = tls_listener
    transport = GuardedTransport(
        AddressScope.ANY, limits=httpx.Limits(), resolver=answers("127.0.0.1")
    )
    with httpx.Client(transport=transport) as client, pytest.raises(httpx.ConnectError):
        client.get(f"https://a2e.guard.test:{port}/")
    assert names == ["a2e.guard.test"]


def test_a_client_of_any_scope_keeps_its_own_transport_but_a_guarded_one_cannot(emulator):
    with pytest.raises(ValueError, match="cannot be guarded"):
        A2EClient(
            emulator.base_url,
            transport=httpx.MockTransport(lambda request: httpx.Response(200)),
            address_scope=AddressScope.PUBLIC_ONLY,
        )


def test_the_default_client_still_reaches_the_emulator(emulator, token):
    with make_client(emulator.base_url) as client:
        assert client.address_scope is AddressScope.ANY
        assert client.lookup(token, emulator.demo_ids()[0]).outcome is not TaskOutcome.LOOKUP_ERROR


# The policy: who gets which scope.


def test_a_remote_viewer_may_reach_public_addresses_only():
    viewer = Viewer(address="203.0.113.5", forwarded=False, named_locally=True)
    assert address_scope(viewer) is AddressScope.PUBLIC_ONLY


def test_a_loopback_viewer_behind_a_proxy_is_a_stranger():
    headers = [("Host", "127.0.0.1:8501"), ("X-Forwarded-For", "198.51.100.7")]
    viewer = Viewer.from_connection("127.0.0.1", headers)
    assert address_scope(viewer) is AddressScope.PUBLIC_ONLY


@pytest.mark.parametrize("address", ["127.0.0.1", "::1", "::ffff:127.0.0.1", "127.8.9.10"])
def test_a_viewer_on_this_machine_may_reach_any_address(address):
    local_names = [("Host", "localhost:8501"), ("Origin", "http://localhost:8501")]
    viewer = Viewer.from_connection(address, local_names)
    assert address_scope(viewer) is AddressScope.ANY


@pytest.mark.parametrize("address", [None, "", "not an address", "10.0.0.5", "::ffff:10.0.0.5"])
def test_a_viewer_whose_address_is_unknown_or_not_loopback_is_a_stranger(address):
    viewer = Viewer(address=address, forwarded=False, named_locally=True)
    assert address_scope(viewer) is AddressScope.PUBLIC_ONLY
