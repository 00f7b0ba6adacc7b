"""The allow-list (``A2E_ALLOWED_USERS``) and the claims it is matched against."""

from __future__ import annotations

import pytest

from a2e.access.users import AllowList, SignedInUser

TEAM = AllowList.parse("alice@team.example, @support.example")


@pytest.mark.parametrize(
    "email",
    ["alice@team.example", "ALICE@Team.Example", " alice@team.example ", "bob@support.example"],
)
def test_listed_addresses_and_domains_are_admitted_whatever_their_case(email):
    assert TEAM.admits(email)


@pytest.mark.parametrize(
    "email",
    [
        "bob@team.example",  # the address is listed, not its domain
        "alice@team.example.evil",
        "alice@evil.example",
        "eve@sub.support.example",  # a domain entry does not admit its subdomains
        "eve@support.example.com",
        "support.example",
        "@support.example",
        "alice@team.example@evil.example",
        "",
    ],
)
def test_anything_else_is_not_admitted(email):
    assert not TEAM.admits(email)


def test_entries_may_be_separated_by_commas_semicolons_spaces_or_lines():
    allowed = AllowList.parse("a@x.example;b@x.example\n @y.example  c@x.example,")
    assert allowed.emails == {"a@x.example", "b@x.example", "c@x.example"}
    assert allowed.domains == {"y.example"}
    assert allowed.malformed == ()


@pytest.mark.parametrize("text", [None, "", "  ", ",,"])
def test_no_entries_is_no_list(text):
    assert not AllowList.parse(text).configured


def test_malformed_entries_are_kept_for_a_warning_and_match_nothing():
    allowed = AllowList.parse("team.example, @, alice@, @@x.example, bob@team.example")
    assert allowed.configured
    assert allowed.malformed == ("team.example", "@", "alice@", "@@x.example")
    assert allowed.admits("bob@team.example")
    assert not allowed.admits("carol@team.example")


def test_a_list_of_only_typos_admits_nobody():
    allowed = AllowList.parse("team.example")
    assert allowed.configured
    assert not allowed.admits("alice@team.example")


def test_claims_become_a_user():
    user = SignedInUser.from_claims(
        {"email": " Alice@Team.example ", "email_verified": True, "name": "Alice", "sub": "42"}
    )
    assert user == SignedInUser("Alice@Team.example", True, "Alice", "42")
    assert user.key == "alice@team.example"
    assert user.label == "Alice@Team.example"


def test_only_a_real_true_verifies_an_email():
    user = SignedInUser.from_claims({"email_verified": True})
    assert (user.email_verified, user.verified_claim) == (True, None)


def test_an_absent_email_verified_claim_is_taken_at_the_providers_word():
    user = SignedInUser.from_claims({"email": "a@x.example"})
    assert (user.email_verified, user.verified_claim) == (None, None)


@pytest.mark.parametrize(
    ("claim", "said"),
    [
        (False, "false"),
        (0, "0"),
        (1, "1"),
        ("no", '"no"'),
        ("false", '"false"'),
        ("true", '"true"'),
        ("TRUE", '"TRUE"'),
        (None, "null"),
        ([True], "[true]"),
        ({"value": True}, '{"value": true}'),
    ],
)
def test_any_other_email_verified_claim_leaves_the_email_unverified_and_is_quoted(claim, said):
    user = SignedInUser.from_claims({"email_verified": claim})
    assert (user.email_verified, user.verified_claim) == (False, said)


def test_a_long_email_verified_claim_is_quoted_shortened():
    user = SignedInUser.from_claims({"email_verified": "x" * 500})
    assert user.verified_claim is not None
    assert len(user.verified_claim) == 40
    assert user.verified_claim.endswith("…")


def test_a_user_without_an_email_is_named_by_name_or_subject():
    assert SignedInUser.from_claims({"name": "Bo", "sub": "s1"}).label == "Bo"
    assert SignedInUser.from_claims({"sub": "s1"}).key == "sub:s1"
    assert SignedInUser.from_claims({"email": 7, "sub": "s1"}).email is None
