"""Turning pasted text into task ids: no I/O, and an invalid id never leaves this module as valid.

A task id is a MongoDB ObjectId: exactly 24 hex characters. People paste them in every shape
(one per line, comma lists, JSON, CSV rows, URLs, file names, log lines), so the parser takes
every run of exactly 24 hex characters that no other hex character touches, and reports back
the pieces that look like an attempt at an id but are not one (a truncated or mistyped id).

Nothing that looks like an id vanishes: a piece is any run of letters and digits of any
script, so an id with a look-alike character (a Cyrillic "а", a Greek "ο", fullwidth digits)
is one piece, listed back as not an id, never looked up. So is every piece of hex digits with
both letters and digits at least ``SHORTEST_FRAGMENT`` long (a cut or over-long id), wherever
it stands: ``id1 id2 67e0df7f`` lists ``67e0df7f`` back. Hashes (32 and 40 hex) and UUIDs are
not attempts at an id. A list that is meant to hold only ids (a share link) goes through
``parse_id_list``, which rejects every other piece. Rejected pieces are shown shortened to
``SHOWN_PIECE_LIMIT`` characters, invisible ones made visible; ``marked_piece`` marks the
characters that make a piece no id though it may look like one (``67e05299b⟦е⟧53…``), and
``why_not_an_id`` says which (``Cyrillic е at position 10``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

TASK_ID_LENGTH = 24
SHOWN_PIECE_LIMIT = 40
SHORTEST_FRAGMENT = 8
MARK_OPEN, MARK_CLOSE = "⟦", "⟧"
_TASK_ID = re.compile(r"[0-9a-fA-F]{24}")
_EMBEDDED_ID = re.compile(r"(?<![0-9a-fA-F])[0-9a-fA-F]{24}(?![0-9a-fA-F])")
# Pieces between separators: letters and digits of any script; "_" and "-" separate too
# (task_<id>, <id>-result.mp4).
_PIECE = re.compile(r"[^\W_]+")
_LIST_SEPARATORS = re.compile(r"[,\s]+")
_UUID = re.compile(
    r"(?<![0-9a-fA-F])[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}(?![0-9a-fA-F])"
)
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
        line = _UUID.sub(" ", line)
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


def marked_piece(piece: str) -> str:
    """``piece`` with each character outside ASCII marked, ``67e05299b⟦е⟧53…``: a look-alike
    letter is drawn exactly like the Latin one, so an invalid id would read as a valid one."""
    return "".join(f"{MARK_OPEN}{c}{MARK_CLOSE}" if not c.isascii() else c for c in piece)


def why_not_an_id(piece: str) -> str:
    """Why ``piece`` (as listed: ``shown_piece``) is not a task id, naming what is wrong."""
    expected = "a task id is 24 hex characters"
    strangers = [(i, c) for i, c in enumerate(piece, 1) if not c.isascii() and c != "…"]
    if strangers:
        position, char = strangers[0]
        more = f" (and {len(strangers) - 1} more)" if len(strangers) > 1 else ""
        return f"not a task id: {_script(char)} {char} at position {position}{more}; {expected}"
    if piece.endswith("…"):
        return f"not a task id: more than {TASK_ID_LENGTH} characters; {expected}"
    if len(piece) != TASK_ID_LENGTH:
        return f"not a task id: {len(piece)} characters, not {TASK_ID_LENGTH}; {expected}"
    wrong = [(i, c) for i, c in enumerate(piece, 1) if c not in _HEX]
    if not wrong:
        return f"not a task id; {expected}"
    return f"not a task id: “{wrong[0][1]}” at position {wrong[0][0]} is no hex digit; {expected}"


def _script(char: str) -> str:
    """``Cyrillic``, ``Greek``, ``fullwidth``…: the first word of the character's Unicode name."""
    if not char.isprintable():
        return "invisible"
    name = unicodedata.name(char, "")
    first = name.split(" ")[0] if name else "unusual"
    return first.lower() if first in ("FULLWIDTH", "HALFWIDTH") else first.capitalize()


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
    """A lone piece with a digit, a piece of hex digits and letters (a cut or over-long id), or
    an id-length piece mostly of hex digits or look-alikes."""
    has_digit = any(char.isdigit() for char in piece)
    if (alone and has_digit) or _is_hex_fragment(piece):
        return True
    if len(piece) not in _ATTEMPT_LENGTHS or len(piece) in _HASH_LENGTHS:
        return False
    hexish = sum(char in _HEX or _LOOK_ALIKE.match(char) is not None for char in piece)
    return has_digit and hexish * 4 >= len(piece) * 3


def _is_hex_fragment(piece: str) -> bool:
    """Hex digits only, letters and digits both, id-like in length and no hash's length."""
    if not SHORTEST_FRAGMENT <= len(piece) < _ATTEMPT_LENGTHS.stop or len(piece) in _HASH_LENGTHS:
        return False
    if any(char not in _HEX for char in piece):
        return False
    return any(char.isdigit() for char in piece) and any(char.isalpha() for char in piece)
