"""The emulator's answers: the JSON envelope, and the HTML pages servers and proxies send.

``Answer`` is a JSON answer not yet sent, so a fault can reshape it first.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from html import escape

from starlette.responses import HTMLResponse, Response

JSON_TYPE = "application/json; charset=utf-8"
_EXPRESS_ERROR_HEADERS = {
    "Content-Security-Policy": "default-src 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Powered-By": "Express",
}


def new_trace_id() -> str:
    """A fresh trace id, shaped like A2E's (a UUID4)."""
    return str(uuid.uuid4())


def to_json(payload: object) -> bytes:
    """Compact UTF-8 JSON, as Express sends it."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


@dataclass(frozen=True)
class Answer:
    """A JSON answer before it is sent (a list only for a bare list answer, with no envelope)."""

    payload: dict[str, object] | list[object]
    status_code: int = 200
    headers: dict[str, str] = field(default_factory=dict)

    def response(self) -> Response:
        """The answer as a Starlette response."""
        return json_response(to_json(self.payload), self.status_code, self.headers)


def json_response(
    body: bytes, status_code: int = 200, headers: dict[str, str] | None = None
) -> Response:
    """``body`` sent as JSON, whether or not it parses."""
    return Response(body, status_code=status_code, headers=headers, media_type=JSON_TYPE)


def success(data: object) -> Answer:
    """The success envelope: ``{"code": 0, "data": ..., "trace_id": ...}``."""
    return Answer({"code": 0, "data": data, "trace_id": new_trace_id()})


def api_error(
    status_code: int, code: int, msg: str, headers: dict[str, str] | None = None
) -> Answer:
    """An error envelope with a non-zero ``code`` and a ``msg``."""
    payload: dict[str, object] = {"code": code, "msg": msg, "trace_id": new_trace_id()}
    return Answer(payload, status_code, headers or {})


def express_not_found(method: str, path: str) -> Response:
    """Express's default 404 page, as A2E sends for unknown ids."""
    body = (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        "<title>Error</title>\n</head>\n<body>\n"
        f"<pre>Cannot {escape(method)} {escape(path)}</pre>\n</body>\n</html>\n"
    )
    return HTMLResponse(body, status_code=404, headers=_EXPRESS_ERROR_HEADERS)


def nginx_bad_gateway() -> Response:
    """The page nginx sends when the app behind it is down."""
    body = (
        "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
        "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
        "</body>\r\n</html>\r\n"
    )
    return HTMLResponse(body, status_code=502, headers={"Server": "nginx"})


def maintenance_page() -> Response:
    """An HTML page answered with HTTP 200, as a captive portal or maintenance page does."""
    body = (
        "<!DOCTYPE html><html><head><title>A2E – Scheduled maintenance</title></head>"
        "<body><h1>We'll be right back</h1><p>A2E is down for scheduled maintenance.</p>"
        "</body></html>"
    )
    return HTMLResponse(body, status_code=200)
