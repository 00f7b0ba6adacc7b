"""A task record's result links, whatever its kind calls them. No I/O.

The reference documents one result field (product avatar's ``result_image_url``); other kinds
answer ``result_url``, ``result`` or anything else, one URL or a list. The results are read from
the record's own fields, never from free text (a message that mentions a link is not a result):

1. the kind's ``result_field``, then every field named ``result…`` and then ``output…``, in
   the record's order;
2. only when those hold no link: fields naming a medium (``video…``, ``…image…``, ``audio…``,
   ``…_url`` of those), except the kind's source image fields and fields named as inputs
   (``source…``, ``input…``, ``origin…``, ``ref…``, ``mask…``), which describe what went in.

A value is an http(s) URL, a list of them, or a list of objects each with a ``url``; anything
else is skipped. Links are kept once each, in that order, at most ``MAX_RESULT_URLS``; a link
longer than ``URL_LIMIT`` is dropped with a note.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from a2e.core.kinds import TaskKind
from a2e.core.model import MAX_RESULT_URLS

URL_LIMIT = 2_048

RESULT_PREFIXES = ("result", "output")
_MEDIUM = re.compile(r"video|image|img|photo|picture|audio|voice|sound", re.IGNORECASE)
_INPUT = re.compile(r"^(source|src|input|origin|ref|mask|face|cover|thumb)", re.IGNORECASE)


def result_urls(kind: TaskKind, record: dict[str, Any], notes: list[str]) -> tuple[str, ...]:
    """The record's result links (see the module docstring), the likeliest first."""
    found = _links(record, _result_fields(kind, record), notes)
    if not found:
        found = _links(record, _medium_fields(kind, record), notes)
    return tuple(dict.fromkeys(found))[:MAX_RESULT_URLS]


def http_url(value: object) -> str | None:
    """``value`` when it is an absolute http(s) URL with a host, else ``None``."""
    if not isinstance(value, str):
        return None
    url = value.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    if len(url) > URL_LIMIT or any(char.isspace() or not char.isprintable() for char in url):
        return None
    return url


def field_url(name: str, value: object, notes: list[str]) -> str | None:
    """``value`` as a URL; one too long is dropped with a note naming the field."""
    if isinstance(value, str) and len(value.strip()) > URL_LIMIT:
        notes.append(f"{name} dropped: longer than {URL_LIMIT:,} characters")
        return None
    return http_url(value)


def _result_fields(kind: TaskKind, record: dict[str, Any]) -> list[str]:
    named = [
        key
        for prefix in RESULT_PREFIXES
        for key in record
        if isinstance(key, str) and key.lower().startswith(prefix)
    ]
    return list(dict.fromkeys([kind.result_field, *named]))


def _medium_fields(kind: TaskKind, record: dict[str, Any]) -> list[str]:
    return [
        key
        for key in record
        if isinstance(key, str)
        and _MEDIUM.search(key)
        and key not in kind.image_fields
        and not _INPUT.match(key)
    ]


def _links(record: dict[str, Any], fields: list[str], notes: list[str]) -> list[str]:
    found: list[str] = []
    for name in fields:
        for value in _values(record.get(name)):
            url = field_url(name, value, notes)
            if url is not None:
                found.append(url)
            if len(found) >= MAX_RESULT_URLS:
                return found
    return found


def _values(value: object) -> Iterator[object]:
    """A field's candidate links: itself, or the items (or items' ``url``) of a list."""
    if not isinstance(value, list):
        yield value
        return
    for item in value[: MAX_RESULT_URLS * 2]:
        yield item.get("url") if isinstance(item, dict) else item
