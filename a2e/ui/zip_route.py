"""The dashboard's download routes, on its own port beside Streamlit's (``st.App``):

    /a2e/zip/{ticket}    a ZIP of tasks' results, streamed as it is read (single use, 10 min)
    /a2e/kept/{ticket}   one archived file, with Range, for the players (reusable, 1 hour)

A link carries a ticket and nothing else (``a2e.archive.tickets``): the server, the token and
the tasks stay in this process's memory. A ticket is redeemed only by the browser it was
minted for (Streamlit's XSRF cookie, a secret that browser holds, hashed with a per-process
key; a browser without one is named by its address), and a ZIP's only while the session that
asked for it is still connected. The ZIP spends the viewer's lookup budget for its tasks when
it starts (refused: 429 with the budget's message). An unusable ticket answers 410, saying to
ask the dashboard for a new link; no answer here ever holds a token or a server's text.
"""

from __future__ import annotations

import binascii
import hashlib
import hmac
import re
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response, StreamingResponse
from starlette.routing import BaseRoute, Route

from a2e.api.addresses import AddressScope
from a2e.archive.destination import Destination
from a2e.archive.fetcher import MediaFetcher, viewer_media_scope
from a2e.archive.tickets import TicketBook
from a2e.archive.zipper import ZipItem, zip_chunks

ZIP_PATH = "/a2e/zip/{ticket}"
KEPT_PATH = "/a2e/kept/{ticket}"
ZIP_SECONDS = 600.0
KEPT_SECONDS = 3600.0
XSRF_COOKIE = "_streamlit_xsrf"
ZIP_NAME = "a2e-results.zip"
GONE = (
    "This download link has expired, was used already, or belongs to another browser: "
    "go back to the dashboard for a new one."
)
_KEY = secrets.token_bytes(32)
_RANGE = re.compile(r"bytes=(\d*)-(\d*)")


@dataclass(frozen=True)
class ZipOrder:
    """What one ZIP link downloads, held in memory under its ticket."""

    items: tuple[ZipItem, ...]
    server: str
    viewer_scope: AddressScope
    session_id: str | None
    spend: Callable[[], str | None]
    archive: Destination | None = None


@dataclass(frozen=True)
class KeptFile:
    """One archived file a player may load."""

    destination: Destination
    path: str
    size: int
    media_type: str


ZIP_TICKETS: TicketBook[ZipOrder] = TicketBook(ZIP_SECONDS, single_use=True)
KEPT_TICKETS: TicketBook[KeptFile] = TicketBook(KEPT_SECONDS, single_use=False)


def browser_binding(xsrf_cookie: str | None, address: str | None) -> str:
    """A keyed hash naming one browser: its XSRF secret, else its address."""
    secret = _xsrf_secret(xsrf_cookie)
    material = b"xsrf:" + secret if secret else b"address:" + (address or "").encode()
    return hmac.new(_KEY, material, hashlib.sha256).hexdigest()


def _xsrf_secret(cookie: str | None) -> bytes | None:
    """The secret bytes of Streamlit's XSRF cookie (``2|mask|masked|time``), if readable."""
    parts = (cookie or "").strip("\"'").split("|")
    if len(parts) != 4 or parts[0] != "2":
        return None
    try:
        mask, masked = binascii.a2b_hex(parts[1]), binascii.a2b_hex(parts[2])
    except (binascii.Error, ValueError):
        return None
    if not mask or not masked:
        return None
    return bytes(byte ^ mask[index % len(mask)] for index, byte in enumerate(masked))


def _request_binding(request: Request) -> str:
    address = request.client.host if request.client else None
    return browser_binding(request.cookies.get(XSRF_COOKIE), address)


def download_routes() -> list[BaseRoute]:
    """The ZIP and archived-file routes."""
    return [
        Route(ZIP_PATH, zip_endpoint, methods=["GET"]),
        Route(KEPT_PATH, kept_endpoint, methods=["GET", "HEAD"]),
    ]


async def zip_endpoint(request: Request) -> Response:
    """Stream the ZIP a live ticket names (once)."""
    order = ZIP_TICKETS.redeem(str(request.path_params["ticket"]), _request_binding(request))
    if order is None or not _session_connected(order.session_id):
        return _gone()
    refusal = await run_in_threadpool(order.spend)
    if refusal is not None:
        return PlainTextResponse(refusal, status_code=429, headers=_private())
    headers = _private() | {"Content-Disposition": f'attachment; filename="{ZIP_NAME}"'}
    return StreamingResponse(_zip_body(order), media_type="application/zip", headers=headers)


def _zip_body(order: ZipOrder) -> Iterator[bytes]:
    fetcher = MediaFetcher(viewer_media_scope(order.server, order.viewer_scope))
    try:
        yield from zip_chunks(order.items, fetcher, order.archive)
    finally:
        fetcher.close()


async def kept_endpoint(request: Request) -> Response:
    """One archived file (a part of it for a ``Range`` request)."""
    kept = KEPT_TICKETS.redeem(str(request.path_params["ticket"]), _request_binding(request))
    if kept is None:
        return _gone()
    wanted = byte_range(request.headers.get("range"), kept.size)
    start, end = wanted or (0, kept.size)
    headers = _private() | {"Accept-Ranges": "bytes", "Content-Length": str(end - start)}
    if wanted is not None:
        headers["Content-Range"] = f"bytes {start}-{end - 1}/{kept.size}"
    body = (
        iter(())
        if request.method == "HEAD"
        else kept.destination.read_chunks(kept.path, start, end)
    )
    status = 206 if wanted is not None else 200
    return StreamingResponse(body, status_code=status, media_type=kept.media_type, headers=headers)


def byte_range(header: str | None, size: int) -> tuple[int, int] | None:
    """``(start, end)`` (end exclusive) of a single ``bytes=`` range within ``size``, if one."""
    found = _RANGE.fullmatch((header or "").strip())
    if found is None or size <= 0 or not (found[1] or found[2]):
        return None
    if not found[1]:  # the last N bytes
        return max(0, size - int(found[2])), size
    start = int(found[1])
    end = min(size, int(found[2]) + 1) if found[2] else size
    return (start, end) if start < end else None


def _session_connected(session_id: str | None) -> bool:
    from streamlit import runtime

    if session_id is None or not runtime.exists():
        return False
    return bool(runtime.get_instance().is_active_session(session_id))


def _gone() -> Response:
    return PlainTextResponse(GONE, status_code=410, headers=_private())


def _private() -> dict[str, str]:
    return {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}
