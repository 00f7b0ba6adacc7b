"""Turning pasted text into task ids: no I/O, and an invalid id never leaves this module as valid.

A task id is a MongoDB ObjectId: exactly 24 hex characters. People paste them in every shape
(one per line, comma lists, JSON, CSV rows, URLs, file names, log lines), so the parser takes
every run of exactly 24 hex characters that no other hex character touches, and reports back
the pieces that look like an attempt at an id but are not one (a truncated or mistyped id).

Nothing that looks like an id vanishes: a piece is any run of letters and digits of any
script, so an id with a look-alike character (a Cyrillic "а", a Greek "ο", fullwidth digits)
is one piece, listed back as not an id, never looked up. A list that is meant to hold only
ids (a share link) goes through ``parse_id_list``, which rejects every other piece. Rejected
pieces are shown shortened to ``SHOWN_PIECE_LIMIT`` characters, invisible ones made visible.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

TASK_ID_LENGTH = 24
SHOWN_PIECE_LIMIT = 40
_TASK_ID = re.compile(r"[0-9a-fA-F]{24}")
_EMBEDDED_ID = re.compile(r"(?<![0-9a-fA-F])[0-9a-fA-F]{24}(?![0-9a-fA-F])")
# Pieces between separators: letters and digits of any script; "_" and "-" separate too
# (task_<id>, <id>-result.mp4).
_PIECE = re.compile(r"[^\W_]+")
_LIST_SEPARATORS = re.compile(r"[,\s]+")
# A near miss is about an id's length; hashes (32, 40, 64 hex) and UUID parts are not.
_ATTEMPT_LENGTHS = range(16, 51)
_HASH_LENGTHS = frozenset({32, 40})
# Compatibility forms can spell two characters in one ("ﬀ"): a shorter piece is no attempt.
_SHORTEST_ATTEMPT = _ATTEMPT_LENGTHS.start // 2
_HEX = frozenset("0123456789abcdefABCDEF")
# Greek and Cyrillic letters: many are drawn exactly like Latin ones (а, е, с, ο, В).
_LOOK_ALIKE = re.compile("[\u0370-\u03ff\u0400-\u052f]")
_INVISIBLE = "\ufffd"


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
            if _is_rejected(piece, alone=alone):
                rejected.setdefault(piece, None)
    return ParsedIds(ids=tuple(ids), rejected=tuple(shown_piece(piece) for piece in rejected))


def parse_id_list(text: str) -> ParsedIds:
    """The ids of a list meant to hold only ids (``?ids=``): every other piece is rejected."""
    ids: dict[str, None] = {}
    rejected: dict[str, None] = {}
    for piece in _LIST_SEPARATORS.split(text):
        if is_task_id(piece):
            ids.setdefault(piece.lower(), None)
        elif piece:
            rejected.setdefault(piece, None)
    return ParsedIds(ids=tuple(ids), rejected=tuple(shown_piece(piece) for piece in rejected))


def shown_piece(piece: str) -> str:
    """A rejected piece as it may be listed: invisible characters shown, at most 40 long."""
    visible = "".join(char if char.isprintable() else _INVISIBLE for char in piece)
    if len(visible) <= SHOWN_PIECE_LIMIT:
        return visible
    return visible[: SHOWN_PIECE_LIMIT - 1] + "…"


def _is_rejected(piece: str, *, alone: bool) -> bool:
    if not alone and len(piece) < _SHORTEST_ATTEMPT:
        return False  # (quick exit: most pieces of a log line are short words)
    if _EMBEDDED_ID.search(piece):
        return False  # the id inside it is taken
    if piece.isascii():
        return _looks_like_an_id_attempt(piece, alone=alone)
    # Fullwidth and other compatibility forms normalise to ASCII: an id written in them is
    # listed back, never looked up.
    skeleton = unicodedata.normalize("NFKC", piece)
    return bool(_EMBEDDED_ID.search(skeleton)) or _looks_like_an_id_attempt(skeleton, alone=alone)


def _looks_like_an_id_attempt(piece: str, *, alone: bool) -> bool:
    """A lone piece with a digit, or an id-length piece mostly of hex digits or look-alikes."""
    has_digit = any(char.isdigit() for char in piece)
    if alone and has_digit:
        return True
    if len(piece) not in _ATTEMPT_LENGTHS or len(piece) in _HASH_LENGTHS:
        return False
    hexish = sum(char in _HEX or _LOOK_ALIKE.match(char) is not None for char in piece)
    return has_digit and hexish * 4 >= len(piece) * 3
