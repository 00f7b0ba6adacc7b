"""Where and with what a request may be sent: A2E's servers, a base URL's canonical form, a token.

No I/O. A base URL is normalised once (lower-case scheme and host, no default port, no trailing
slash) so that it can key caches; a text that is not an http(s) server URL is refused without
being echoed. A token is sent only if a header can carry it as given.
"""

from __future__ import annotations

import httpx

from a2e.api.errors import TokenRejected

GLOBAL_SERVER = "https://video.a2e.ai"
CHINA_SERVER = "https://video.a2e.com.cn"
SERVERS = {"Global": GLOBAL_SERVER, "China": CHINA_SERVER}
USER_AGENT = "a2e-task-dashboard/1.0"


def check_token(token: str) -> str:
    """The token, stripped, if it can be sent in a header; raises ``TokenRejected`` otherwise."""
    cleaned = token.strip() if isinstance(token, str) else ""
    if not cleaned:
        raise TokenRejected("no API token given")
    if not cleaned.isascii() or any(not char.isprintable() or char.isspace() for char in cleaned):
        raise TokenRejected("token has characters that cannot be sent (spaces or non-ASCII)")
    return cleaned


BASE_URL_RULE = "a server URL is http:// or https:// and a host, with no user, query or fragment"


def normalise_base_url(base_url: str) -> str:
    """The canonical base URL (lower-case scheme and host, no default port, no trailing slash).

    Raises ``ValueError`` (never echoing the text) when it is not an http(s) server URL.
    """
    cleaned = base_url.strip().rstrip("/")
    try:
        url = httpx.URL(cleaned)
        url.host.encode("idna")
        host = url.raw_host.decode("ascii").lower()
    except (httpx.InvalidURL, UnicodeError, ValueError):
        raise ValueError(BASE_URL_RULE) from None
    unfit = url.scheme not in ("http", "https") or not host or url.userinfo
    if unfit or url.query or url.fragment or "?" in cleaned or "#" in cleaned:
        raise ValueError(BASE_URL_RULE)
    return _canonical_url(url, host)


_DEFAULT_PORTS = {"http": 80, "https": 443}


def _canonical_url(url: httpx.URL, host: str) -> str:
    port = "" if url.port in (None, _DEFAULT_PORTS[url.scheme]) else f":{url.port}"
    host = f"[{host}]" if ":" in host else host
    return f"{url.scheme}://{host}{port}{url.raw_path.decode('ascii')}".rstrip("/")
