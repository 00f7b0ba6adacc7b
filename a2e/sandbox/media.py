"""The emulator's media (``/media/…``, no token): the demo files, and stand-ins for real links.

Every media request is logged apart from the API's (``SandboxState.media_requests``), so a test
can tell that nothing was downloaded. Served:

- ``/media/<file>``: a file of the demo folder, with Range support (Starlette's ``FileResponse``);
- ``/media/gone/<name>``: 410, an expired link; ``/media/forbidden/<name>``: 403, an expired
  signature (what A2E's storage answers once a result's link has lived its days);
- ``/media/generated/<bytes>/<name>``: that many bytes made on the fly (never a file on disk),
  typed by the name's extension, for large downloads.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Awaitable, Callable, Iterator

from starlette.requests import Request
from starlette.responses import FileResponse, Response, StreamingResponse

from a2e.sandbox.responses import express_not_found
from a2e.sandbox.state import SandboxState

GENERATED_CHUNK = bytes(range(256)) * 256  # 64 KiB
STAND_INS = {"gone": 410, "forbidden": 403}
MAX_GENERATED_BYTES = 8 * 1024**3


def media_endpoint(state: SandboxState) -> Callable[[Request], Awaitable[Response]]:
    """The ``/media/{filename:path}`` endpoint."""

    async def media(request: Request) -> Response:
        state.media_requests.record(request.method, request.url.path, None)
        head, _, rest = str(request.path_params["filename"]).partition("/")
        if head in STAND_INS and rest:
            return Response("", status_code=STAND_INS[head])
        if head == "generated":
            return _generated(rest)
        root = state.media_dir.resolve()
        target = (root / str(request.path_params["filename"])).resolve()
        if not target.is_relative_to(root) or not target.is_file():
            return express_not_found(request.method, request.url.path)
        return FileResponse(target)

    return media


def _generated(rest: str) -> Response:
    """``<bytes>/<name>``: that many bytes, typed by the name's extension, made as they go."""
    size_text, _, name = rest.partition("/")
    if not size_text.isdigit() or not name or int(size_text) > MAX_GENERATED_BYTES:
        return Response("", status_code=404)
    size = int(size_text)

    def body() -> Iterator[bytes]:
        left = size
        while left > 0:
            chunk = GENERATED_CHUNK[: min(left, len(GENERATED_CHUNK))]
            left -= len(chunk)
            yield chunk

    media_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    headers = {"Content-Length": str(size)}
    return StreamingResponse(body(), media_type=media_type, headers=headers)
