"""Showing API text as plain text in Streamlit elements that would read it as Markdown."""

from __future__ import annotations

import re

# Every ASCII punctuation character may be backslash-escaped in CommonMark; escaping them all
# also disarms Streamlit's own extensions (:color[...], :emoji:, $math$).
_MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
# GitHub-flavoured autolinks (scheme://, www., user@host) survive escaping; a zero-width space
# breaks each pattern so API text never becomes a link (or a mailto:) inside an alert.
_AUTOLINK_STARTS = re.compile(r"(?i)(?<=:)(?=//)|(?<=www)(?=\.)|(?=@)")
_ZERO_WIDTH_SPACE = "\u200b"


def plain(text: object, limit: int = 500) -> str:
    """``text`` escaped so that Markdown renders it literally, shortened to ``limit``."""
    value = str(text)
    if len(value) > limit:
        value = value[: limit - 1] + "…"
    value = "".join(char if char.isprintable() else " " for char in value)
    value = _AUTOLINK_STARTS.sub(_ZERO_WIDTH_SPACE, value)
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", value)
