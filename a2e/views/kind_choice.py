"""What a person may name when choosing kinds, and which kinds each name stands for. No I/O.

Everywhere a kind is chosen (``--kind``, ``?kind=``, the pickers) the same names are valid: a
kind's key (``veo``), a family's key (``video``, ``image``, ``face``, ``voice``, ``editing``,
``training``: its kinds, in registry order), ``all`` (every kind) and, for lookups, ``auto``
(every kind, the likeliest first). A family and ``all`` never share a name with a kind (a test
keeps it so). An unknown name gets a message that names the known ones.
"""

from __future__ import annotations

from a2e.core.kinds import FAMILIES, KINDS, kinds_in_family

ALL_KINDS = "all"
AUTO = "auto"


def kinds_of_choice(choice: str) -> tuple[str, ...]:
    """The kinds a valid choice stands for (``ValueError`` naming the known ones otherwise)."""
    if choice in KINDS:
        return (choice,)
    if choice in FAMILIES:
        return tuple(kinds_in_family(choice))
    if choice in (ALL_KINDS, AUTO):
        return tuple(KINDS)
    raise ValueError(unknown_kind_message(choice))


def is_kind_choice(choice: str, *, auto: bool = False) -> bool:
    """True for a kind, a family, ``all`` (and ``auto`` when lookups may use it)."""
    return choice in KINDS or choice in FAMILIES or choice == ALL_KINDS or (auto and choice == AUTO)


def choice_names(*, auto: bool = False) -> list[str]:
    """Every valid name: ``auto`` (if allowed), ``all``, the families, then every kind."""
    return [*([AUTO] if auto else []), ALL_KINDS, *FAMILIES, *KINDS]


def unknown_kind_message(choice: str, *, auto: bool = False) -> str:
    """Why ``choice`` is not a kind, naming what is."""
    shown = choice if len(choice) <= 40 else choice[:39] + "…"
    words = f"{AUTO}, {ALL_KINDS}" if auto else ALL_KINDS
    return (
        f"unknown kind {shown!r}: use {words}, a family ({', '.join(FAMILIES)}) "
        f"or a kind ({', '.join(KINDS)})"
    )
