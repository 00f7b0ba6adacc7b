"""Which server and token the page uses, decided without Streamlit (so it can be tested)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from a2e.api.client import CHINA_SERVER, GLOBAL_SERVER, normalise_base_url


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

    @property
    def is_demo(self) -> bool:
        """True when the built-in emulator answers."""
        return self.source is TokenSource.DEMO

    def media_url(self, url: str | None) -> str | None:
        """The URL a browser should load (demo media is served from the dashboard itself)."""
        prefix, replacement = self.media_prefix, self.media_replacement
        if url and prefix and replacement and url.startswith(prefix):
            return replacement + url[len(prefix) :]
        return url


SERVER_CHOICES = {"Global": GLOBAL_SERVER, "China": CHINA_SERVER}
DEMO_CHOICE = "Demo"
CUSTOM_CHOICE = "Custom"


def default_choice(configured_base_url: str | None, has_server_token: bool) -> str:
    """The server option selected when the page opens."""
    if configured_base_url:
        try:
            url = normalise_base_url(configured_base_url)
        except ValueError:
            return CUSTOM_CHOICE
        named = [name for name, known in SERVER_CHOICES.items() if known == url]
        return named[0] if named else CUSTOM_CHOICE
    return "Global" if has_server_token else DEMO_CHOICE


def server_token_applies(chosen_url: str, server_token_url: str) -> bool:
    """A server-side token is only ever sent to the server it was configured for."""
    return normalise_base_url(chosen_url) == normalise_base_url(server_token_url)
