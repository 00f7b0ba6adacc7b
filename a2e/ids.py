"""Turning pasted text into task ids: no I/O, and an invalid id never leaves this module as valid.

A task id is a MongoDB ObjectId: exactly 24 hex characters. People paste them in every shape
(one per line, comma lists, JSON, CSV rows, URLs, log lines), so the parser splits the text
into tokens on anything that cannot be part of an id, keeps tokens that *are* ids, and
reports back the tokens that look like an attempt at one but are not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TASK_ID_LENGTH = 24
_TASK_ID = re.compile(r"[0-9a-fA-F]{24}")
# Runs of letters, digits, and the characters people type inside ids by mistake (-, _).
_TOKEN = re.compile(r"[0-9A-Za-z_\-]+")
_UUID = re.compile(r"[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}")
# A token with at least this many hex digits is an attempt at an id, not a word like "status".
_MIN_HEX_DIGITS_FOR_ATTEMPT = 8


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
    ids: dict[str, None] = {}
    rejected: dict[str, None] = {}
    for line in text.splitlines():
        tokens = _TOKEN.findall(line)
        alone = len(tokens) == 1 and tokens[0] == line.strip(" \t,;\"'")
        for token in tokens:
            if is_task_id(token):
                ids.setdefault(token.lower(), None)
            elif _looks_like_an_id_attempt(token, alone=alone):
                rejected.setdefault(token, None)
    return ParsedIds(ids=tuple(ids), rejected=tuple(rejected))


def _looks_like_an_id_attempt(token: str, *, alone: bool) -> bool:
    """A mistyped id: a lone token with a digit, or one mostly of hex digits (not a UUID)."""
    if _UUID.fullmatch(token):
        return False
    if alone and any(char.isdigit() for char in token):
        return True
    hex_digits = sum(char in "0123456789abcdefABCDEF" for char in token)
    if hex_digits < _MIN_HEX_DIGITS_FOR_ATTEMPT:
        return False
    has_digit = any(char.isdigit() for char in token)
    return has_digit and hex_digits * 4 >= len(token) * 3
