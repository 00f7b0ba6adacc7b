"""The access policy: who sees the dashboard, and who may use the server token."""

from __future__ import annotations

import pytest

from a2e.access.policy import (
    NO_EMAIL,
    NOT_ON_THIS_MACHINE,
    SHARED_WITH_ANYONE,
    SIGN_IN_NEEDED,
    SIGNED_OUT,
    AccessSettings,
    ServerTokenFor,
    Verdict,
    admission,
    server_token_verdict,
)
from a2e.access.users import AllowList, SignedInUser
from a2e.access.viewer import Viewer

LOCAL = Viewer("127.0.0.1", forwarded=False, named_locally=True)
LOCAL_MAPPED = Viewer("::ffff:127.0.0.1", forwarded=False, named_locally=True)
LOCAL_BEHIND_PROXY = Viewer("127.0.0.1", forwarded=True, named_locally=True)
LOCAL_UNDER_ANOTHER_NAME = Viewer("127.0.0.1", forwarded=False, named_locally=False)
REMOTE = Viewer("192.0.2.2", forwarded=False, named_locally=True)
UNKNOWN = Viewer(None, forwarded=False, named_locally=True)

SIGN_IN = AccessSettings(sign_in=True)
TEAM_ONLY = AccessSettings(sign_in=True, allowed_users=AllowList.parse("@team.example"))
ALICE = SignedInUser(email="alice@team.example", email_verified=True)


@pytest.mark.parametrize("viewer", [LOCAL, LOCAL_MAPPED])
def test_without_sign_in_a_viewer_on_this_machine_gets_the_server_token(viewer):
    assert server_token_verdict(AccessSettings(), viewer) == Verdict(True)


@pytest.mark.parametrize("viewer", [LOCAL_BEHIND_PROXY, LOCAL_UNDER_ANOTHER_NAME, REMOTE, UNKNOWN])
def test_without_sign_in_any_other_viewer_is_told_to_use_their_own(viewer):
    assert server_token_verdict(AccessSettings(), viewer) == Verdict(False, NOT_ON_THIS_MACHINE)


@pytest.mark.parametrize("viewer", [LOCAL, REMOTE, UNKNOWN])
def test_shared_with_anyone_serves_every_viewer_and_says_so(viewer):
    settings = AccessSettings(server_token_for=ServerTokenFor.ANYONE)
    assert server_token_verdict(settings, viewer) == Verdict(True, SHARED_WITH_ANYONE)


@pytest.mark.parametrize("viewer", [LOCAL, REMOTE])
def test_with_sign_in_only_admitted_users_get_the_server_token_wherever_they_are(viewer):
    assert server_token_verdict(SIGN_IN, viewer, signed_in_allowed=True) == Verdict(True)
    assert server_token_verdict(SIGN_IN, viewer) == Verdict(False, SIGN_IN_NEEDED)


def test_with_sign_in_even_anyone_does_not_share_it_with_the_signed_out():
    settings = AccessSettings(sign_in=True, server_token_for=ServerTokenFor.ANYONE)
    assert not server_token_verdict(settings, LOCAL).allowed


def test_without_sign_in_everyone_is_admitted():
    assert admission(AccessSettings(), None) == Verdict(True)


def test_with_sign_in_a_signed_out_viewer_is_not_admitted():
    assert admission(SIGN_IN, None) == Verdict(False, SIGNED_OUT)
    assert admission(TEAM_ONLY, None) == Verdict(False, SIGNED_OUT)


def test_with_sign_in_and_no_list_any_signed_in_user_is_admitted():
    assert admission(SIGN_IN, SignedInUser(subject="someone")).allowed
    assert admission(SIGN_IN, SignedInUser("x@elsewhere.example", False)).allowed


def test_a_listed_user_is_admitted():
    assert admission(TEAM_ONLY, ALICE) == Verdict(True)
    assert admission(TEAM_ONLY, SignedInUser("alice@team.example", None)).allowed


def test_an_unlisted_user_is_refused_by_name():
    verdict = admission(TEAM_ONLY, SignedInUser("mallory@elsewhere.example", True))
    assert not verdict.allowed
    assert verdict.reason.startswith(
        "mallory@elsewhere.example is not on this dashboard's list of allowed users."
    )


def test_an_unverified_email_is_refused_even_when_listed():
    verdict = admission(TEAM_ONLY, SignedInUser("alice@team.example", False))
    assert verdict == Verdict(
        False, "Your identity provider says alice@team.example is not verified."
    )


@pytest.mark.parametrize("claim", [0, "no", "false", "true", None, 1, "yes"])
def test_a_listed_user_whose_email_verified_is_not_a_real_true_is_refused_with_the_reason(claim):
    user = SignedInUser.from_claims({"email": "alice@team.example", "email_verified": claim})
    verdict = admission(TEAM_ONLY, user)
    assert not verdict.allowed
    assert verdict.reason == (
        "Your identity provider says alice@team.example is not verified (email_verified is "
        f"{user.verified_claim}; only true verifies an email)."
    )


def test_a_listed_user_whose_email_verified_is_true_or_absent_is_admitted():
    for claims in ({"email_verified": True}, {}):
        user = SignedInUser.from_claims({"email": "alice@team.example", **claims})
        assert admission(TEAM_ONLY, user) == Verdict(True)


def test_a_user_without_an_email_is_refused_when_there_is_a_list():
    assert admission(TEAM_ONLY, SignedInUser(subject="s1")) == Verdict(False, NO_EMAIL)
