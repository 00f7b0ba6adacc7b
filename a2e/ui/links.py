"""URLs as the viewer's browser sees them: the dashboard's own base, and share links."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

import streamlit as st

from a2e.ui.connection_model import SERVER_CHOICES, Connection
from a2e.views.auto_kind import AUTO_KIND

_FALLBACK_URL = "http://localhost:8501/"


def app_base_url() -> str:
    """The dashboard's root URL without a trailing slash, e.g. ``http://host:8501/base``."""
    parts = urlsplit(st.context.url or _FALLBACK_URL)
    base_path = str(st.get_option("server.baseUrlPath") or "").strip("/")
    prefix = f"/{base_path}" if base_path else ""
    return f"{parts.scheme}://{parts.netloc}{prefix}"


def share_link(connection: Connection, ids: tuple[str, ...], kind: str) -> str:
    """The Lookup page's URL for these ids (and kind, and a named server); never the token."""
    query = {"ids": ",".join(ids)}
    if kind != AUTO_KIND:
        query["kind"] = kind
    named = [name for name, url in SERVER_CHOICES.items() if url == connection.base_url]
    if named:
        query["server"] = named[0].lower()
    return f"{app_base_url()}/?{urlencode(query, safe=',')}"
