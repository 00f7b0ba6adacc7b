"""Turning pasted text into task ids: no I/O, and an invalid id never leaves this module as valid.

A task id is a MongoDB ObjectId: exactly 24 hex characters. People paste them in every shape
(one per line, comma lists, JSON, CSV rows, URLs, file names, log lines), so the parser takes
every run of exactly 24 hex characters that no other hex character touches, and reports back
the pieces that look like an attempt at an id but are not one (a truncated or mistyped id).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TASK_ID_LENGTH = 24
_TASK_ID = re.compile(r"[0-9a-fA-F]{24}")
_EMBEDDED_ID = re.compile(r"(?<![0-9a-fA-F])[0-9a-fA-F]{24}(?![0-9a-fA-F])")
# Pieces between separators; "_" and "-" separate too (task_<id>, <id>-result.mp4).
_PIECE = re.compile(r"[0-9A-Za-z]+")
# A near miss is about an id's length; hashes (32, 40, 64 hex) and UUID parts are not.
_ATTEMPT_LENGTHS = range(16, 51)
_HASH_LENGTHS = frozenset({32, 40})
_HEX = frozenset("0123456789abcdefABCDEF")


@dataclass(frozen=True)
class ParsedIds:
    """The result of parsing pasted text: valid ids in first-seen order, and rejected pieces."""

    ids: tuple[str, ...]
    rejected: tuple[str, ...]


def is_task_id(text: str) -> bool:
    """True when ``text`` is exactly one task id (24 hex characters, any case)."""
    return _TASK_ID.fullmatch(text) is not None


def parse_task_ids(text: str) -> ParsedIds:
    """Every task id in ``text``, lower-cased and de-duplicated, plus the pieces rejected."""
    ids = dict.fromkeys(match.lower() for match in _EMBEDDED_ID.findall(text))
    rejected: dict[str, None] = {}
    for line in text.splitlines():
        pieces = _PIECE.findall(line)
        alone = len(pieces) == 1 and pieces[0] == line.strip(" \t,;\"'")
        for piece in pieces:
            if not _EMBEDDED_ID.search(piece) and _looks_like_an_id_attempt(piece, alone=alone):
                rejected.setdefault(piece, None)
    return ParsedIds(ids=tuple(ids), rejected=tuple(rejected))


def _looks_like_an_id_attempt(piece: str, *, alone: bool) -> bool:
    """A lone piece with a digit, or an id-length piece mostly of hex digits (not a hash)."""
    has_digit = any(char.isdigit() for char in piece)
    if alone and has_digit:
        return True
    if len(piece) not in _ATTEMPT_LENGTHS or len(piece) in _HASH_LENGTHS:
        return False
    hex_digits = sum(char in _HEX for char in piece)
    return has_digit and hex_digits * 4 >= len(piece) * 3
