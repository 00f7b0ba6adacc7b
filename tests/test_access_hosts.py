"""The names a request calls the dashboard by: on this machine only under a local name, and
``A2E_ALLOWED_HOSTS`` (the names a deployment answers to at all)."""

from __future__ import annotations

import pytest

from a2e.access.hosts import AllowedHosts, host_name, names_this_machine, origin_name
from a2e.access.policy import (
    PROXY_WARNING,
    AccessSettings,
    ServerTokenFor,
    proxy_warning,
)
from a2e.access.viewer import FORWARDING_HEADERS, Viewer

LOCAL_HOSTS = [
    "127.0.0.1:8501",
    "localhost:8501",
    "LOCALHOST",
    "[::1]:8501",
    "127.8.9.10",
    "[::ffff:127.0.0.1]:80",
]
FOREIGN_HOSTS = [
    "evil.example:8501",
    "10.0.0.5:8501",
    "localhost.evil.example",
    "127.0.0.1.evil.example",
    "dashboard.localhost",
    "127.1:8501",  # a browser writes 127.0.0.1; only a hand-made request says 127.1
    "0.0.0.0:8501",
    "[::]:8501",
    "",
    "localhost:8501/path",
    "user@localhost:8501",
    "localhost:99999",
    "localhost:port",
    "local host",
]


@pytest.mark.parametrize("host", LOCAL_HOSTS)
def test_localhost_and_loopback_addresses_on_any_port_name_this_machine(host):
    assert names_this_machine(host_name(host))


@pytest.mark.parametrize("host", FOREIGN_HOSTS)
def test_any_other_host_does_not_name_this_machine(host):
    assert not names_this_machine(host_name(host))


def local_connection(
    *extra: tuple[str, str], host: str = "127.0.0.1:8501"
) -> list[tuple[str, str]]:
    return [("Host", host), ("Upgrade", "websocket"), *extra]


def test_a_loopback_connection_to_a_local_name_with_a_local_origin_is_on_this_machine():
    headers = local_connection(("Origin", "http://localhost:8501"))
    assert Viewer.from_connection("127.0.0.1", headers).on_this_machine


@pytest.mark.parametrize("host", FOREIGN_HOSTS)
def test_a_loopback_connection_under_a_foreign_host_is_a_stranger(host):
    viewer = Viewer.from_connection("127.0.0.1", local_connection(host=host))
    assert not viewer.named_locally
    assert not viewer.on_this_machine


@pytest.mark.parametrize(
    "origin",
    ["http://evil.example:8501", "null", "file://", "http://10.0.0.5:8501", "ftp://localhost", ""],
)
def test_a_loopback_connection_from_a_foreign_origin_is_a_stranger(origin):
    headers = local_connection(("Origin", origin))
    assert not Viewer.from_connection("127.0.0.1", headers).on_this_machine


def test_a_loopback_connection_to_a_local_name_without_an_origin_is_a_stranger():
    # What a script sends through a proxy that rewrites the Host (nginx's plain proxy_pass);
    # every browser sends an Origin with its websocket handshake.
    viewer = Viewer.from_connection("127.0.0.1", local_connection())
    assert not viewer.named_locally
    assert not viewer.on_this_machine


def test_the_dns_rebinding_page_of_the_issue_is_a_stranger():
    headers = [("Host", "evil.example:8501"), ("Origin", "http://evil.example:8501")]
    assert not Viewer.from_connection("127.0.0.1", headers).on_this_machine


def test_a_connection_with_no_host_or_two_hosts_is_a_stranger():
    assert not Viewer.from_connection("127.0.0.1", [("Upgrade", "websocket")]).on_this_machine
    two = [("Host", "127.0.0.1:8501"), ("Host", "evil.example")]
    assert not Viewer.from_connection("127.0.0.1", two).on_this_machine


@pytest.mark.parametrize(
    "header",
    [
        "X-Forwarded-Port",
        "X-Forwarded-Server",
        "X-Original-Forwarded-For",
        "X-Envoy-External-Address",
        "Client-IP",
        "X-Client-IP",
        "X-Cluster-Client-IP",
        "Fastly-Client-IP",
        "x-forwarded-for",
        "FORWARDED",
    ],
)
def test_every_forwarding_header_makes_a_stranger_whatever_its_case(header):
    assert header.lower() in FORWARDING_HEADERS
    viewer = Viewer.from_connection("127.0.0.1", local_connection((header, "127.0.0.1")))
    assert viewer.forwarded
    assert not viewer.on_this_machine


@pytest.mark.parametrize(
    ("origin", "name"),
    [
        ("http://localhost:8501", "localhost"),
        ("https://Dashboard.Example.com", "dashboard.example.com"),
        ("http://[::1]:8501", "::1"),
        ("null", None),
        ("http://localhost:8501/page", None),
        ("javascript:alert(1)", None),
    ],
)
def test_an_origin_gives_its_host_name(origin, name):
    assert origin_name(origin) == name


# A2E_ALLOWED_HOSTS


TEAM = AllowedHosts.parse("dashboard.example.com, .team.example, *.apps.example, 10.0.0.5, [::1]")


@pytest.mark.parametrize(
    "host",
    [
        "dashboard.example.com",
        "Dashboard.Example.COM:8443",
        "dashboard.example.com.",
        "team.example",
        "a.b.team.example:80",
        "x.apps.example",
        "10.0.0.5:8501",
        "[::1]:8501",
        "[0:0::1]",
    ],
)
def test_listed_names_domains_and_addresses_are_answered_on_any_port(host):
    assert TEAM.admits(host)


@pytest.mark.parametrize(
    "host",
    [
        "evil.example",
        "dashboard.example.com.evil.example",
        "xdashboard.example.com",
        "apps.example",  # *.apps.example is its subdomains only
        "team.example.evil",
        "eviltteam.example",
        "10.0.0.6",
        "localhost:8501",  # not listed: the list is all there is
        "127.0.0.1",
        "",
        None,
        "dashboard.example.com:8501:1",
        "dashboard.example.com/x",
    ],
)
def test_any_other_name_is_refused(host):
    assert not TEAM.admits(host)


@pytest.mark.parametrize("text", [None, "", "  ", ",,"])
def test_no_list_answers_every_name(text):
    hosts = AllowedHosts.parse(text)
    assert not hosts.configured
    assert hosts.admits("evil.example")
    assert hosts.admits(None)


def test_a_star_answers_every_name():
    assert AllowedHosts.parse("dashboard.example.com, *").admits("anything.example:1")


def test_malformed_entries_are_kept_for_a_warning_and_match_nothing():
    hosts = AllowedHosts.parse(
        "dashboard.example.com:8501, http://x.example, a*.example, ok.example"
    )
    assert hosts.malformed == ("dashboard.example.com:8501", "http://x.example", "a*.example")
    assert hosts.admits("ok.example")
    assert not hosts.admits("dashboard.example.com")


# The start-up warning


@pytest.mark.parametrize("address", ["", "0.0.0.0", "::", "10.0.0.5"])
def test_a_server_token_without_sign_in_listening_beyond_loopback_is_warned_about(address):
    warning = proxy_warning(AccessSettings(), token_set=True, listen_address=address)
    assert warning == PROXY_WARNING.format(where=address or "every network interface")
    assert "X-Forwarded-For" in warning


@pytest.mark.parametrize(
    ("settings", "token_set", "address"),
    [
        (AccessSettings(), True, "127.0.0.1"),
        (AccessSettings(), True, "localhost"),
        (AccessSettings(), True, "::1"),
        (AccessSettings(), False, ""),
        (AccessSettings(sign_in=True), True, ""),
        (AccessSettings(server_token_for=ServerTokenFor.ANYONE), True, ""),
    ],
)
def test_no_warning_on_loopback_without_a_token_with_sign_in_or_when_shared(
    settings, token_set, address
):
    assert proxy_warning(settings, token_set=token_set, listen_address=address) is None
