"""The registry of A2E task kinds: every kind of the catalogue, by key, and its families.

The rows are in ``a2e.core.catalogue`` (from ``shared/A2E_API.md``'s "The whole catalogue"); what
a row holds is drawn in ``a2e.core.taskkind``. The client, the emulator and the dashboard all read
this one table, so a path or a field name is spelled once. A new kind is a new row.
"""

from __future__ import annotations

from a2e.core.catalogue import CATALOGUE
from a2e.core.taskkind import (
    ASSUMED_BATCH_MAX,
    DEFAULT_FAILURE_WORDS,
    DEFAULT_RUNNING_WORDS,
    DEFAULT_SUCCESS_WORDS,
    FAMILIES,
    DetailCall,
    HttpMethod,
    ListCall,
    TaskKind,
)

__all__ = [
    "ASSUMED_BATCH_MAX",
    "DEFAULT_FAILURE_WORDS",
    "DEFAULT_KIND",
    "DEFAULT_RUNNING_WORDS",
    "DEFAULT_SUCCESS_WORDS",
    "FAMILIES",
    "KINDS",
    "DetailCall",
    "HttpMethod",
    "ListCall",
    "TaskKind",
    "UnknownKindError",
    "get_kind",
    "kinds_in_family",
]

KINDS: dict[str, TaskKind] = {kind.key: kind for kind in CATALOGUE}
DEFAULT_KIND = "image2video"


class UnknownKindError(ValueError):
    """Raised when a kind key is not in the registry."""


def get_kind(key: str) -> TaskKind:
    """The registered kind with this key; raises ``UnknownKindError`` naming the known ones."""
    try:
        return KINDS[key]
    except KeyError:
        known = ", ".join(KINDS)
        raise UnknownKindError(f"unknown task kind {key!r}; known kinds: {known}") from None


def kinds_in_family(family: str) -> list[str]:
    """The keys of a family's kinds, in registry order."""
    return [kind.key for kind in KINDS.values() if kind.family == family]
