"""Which server and token the page uses, decided without Streamlit (so it can be tested)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum

from a2e.api.addresses import AddressScope
from a2e.api.servers import CHINA_SERVER, GLOBAL_SERVER, normalise_base_url
from a2e.core.model import Task


class TokenSource(StrEnum):
    """Where the token in use came from."""

    DEMO = "demo"
    SERVER = "server"
    VIEWER = "viewer"


@dataclass(frozen=True)
class Connection:
    """A server and a token to ask it with; the token never shows in ``repr``."""

    base_url: str
    token: str = field(repr=False)
    source: TokenSource
    media_prefix: str | None = None
    media_replacement: str | None = None
    scope: AddressScope = AddressScope.ANY

    @property
    def is_demo(self) -> bool:
        """True when the built-in emulator answers."""
        return self.source is TokenSource.DEMO

    def as_browser_sees(self, task: Task) -> Task:
        """The task with its media links as the viewer's browser must load them."""
        if not self.media_prefix:
            return task
        results = tuple(url for url in map(self.media_url, task.result_urls) if url)
        return replace(task, image_url=self.media_url(task.image_url), result_urls=results)

    def media_url(self, url: str | None) -> str | None:
        """The URL a browser should load (demo media is served from the dashboard itself)."""
        prefix, replacement = self.media_prefix, self.media_replacement
        if url and prefix and replacement and url.startswith(prefix):
            return replacement + url[len(prefix) :]
        return url


class Missing(StrEnum):
    """What the viewer still has to give before anything can be looked up."""

    URL = "url"
    TOKEN = "token"


@dataclass(frozen=True)
class ConnectionState:
    """What the sidebar settled on: a connection, or what is missing for one and why."""

    choice: str
    base_url: str | None
    connection: Connection | None
    missing: Missing | None = None
    token_note: str = ""


SERVER_CHOICES = {"Global": GLOBAL_SERVER, "China": CHINA_SERVER}
# The names a share link may carry in ``&server=`` (never a custom URL).
LINK_SERVERS = {"global": "Global", "china": "China"}
DEMO_CHOICE = "Demo"
CUSTOM_CHOICE = "Custom"


def default_choice(
    configured_base_url: str | None,
    has_server_token: bool,
    *,
    link_server: str | None = None,
    shared_ids: bool = False,
) -> str:
    """The server option selected when the page opens (a share link never opens on the demo)."""
    if link_server and link_server.strip().lower() in LINK_SERVERS:
        return LINK_SERVERS[link_server.strip().lower()]
    if configured_base_url:
        try:
            url = normalise_base_url(configured_base_url)
        except ValueError:
            return CUSTOM_CHOICE
        named = [name for name, known in SERVER_CHOICES.items() if known == url]
        return named[0] if named else CUSTOM_CHOICE
    return "Global" if has_server_token or shared_ids else DEMO_CHOICE


def server_token_applies(chosen_url: str, server_token_url: str) -> bool:
    """A server-side token is only ever sent to the server it was configured for."""
    return normalise_base_url(chosen_url) == normalise_base_url(server_token_url)
