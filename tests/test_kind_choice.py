"""The names a person may choose kinds by, and the kinds seen per token (Auto's order)."""

from __future__ import annotations

import pytest

from a2e.cache.seen_kinds import SeenKinds
from a2e.core.kinds import FAMILIES, KINDS, kinds_in_family
from a2e.views.kind_choice import choice_names, kinds_of_choice, unknown_kind_message


def test_a_kind_a_family_all_and_auto_stand_for_their_kinds():
    assert kinds_of_choice("veo") == ("veo",)
    assert kinds_of_choice("face") == ("face_swap", "head_swap")
    assert kinds_of_choice("all") == kinds_of_choice("auto") == tuple(KINDS)


def test_every_name_is_offered_once_and_auto_only_for_lookups():
    names = choice_names(auto=True)
    assert len(names) == len(set(names)) == 2 + len(FAMILIES) + len(KINDS)
    assert "auto" not in choice_names()


def test_an_unknown_name_is_refused_with_the_known_ones():
    with pytest.raises(ValueError, match="unknown kind 'veo3'") as refused:
        kinds_of_choice("veo3")
    message = str(refused.value)
    assert all(name in message for name in (*FAMILIES, *KINDS))
    assert "auto" in unknown_kind_message("x", auto=True)


def test_the_families_cover_every_kind_once():
    covered = [kind for family in FAMILIES for kind in kinds_in_family(family)]
    assert sorted(covered) == sorted(KINDS)


def test_kinds_seen_come_first_most_recent_first_and_per_token():
    seen = SeenKinds()
    seen.note("alice", ["veo", "sora"])
    seen.note("alice", ["nano_banana", "veo"])
    assert seen.kinds("alice") == ("nano_banana", "veo", "sora")
    assert seen.kinds("bob") == ()


def test_kinds_seen_forget_the_least_recent_token_past_the_bound():
    seen = SeenKinds(max_tokens=2)
    for token in ("a", "b", "c"):
        seen.note(token, ["veo"])
    assert seen.kinds("a") == ()
    assert seen.kinds("c") == ("veo",)
