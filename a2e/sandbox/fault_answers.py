"""What each fault sends: replacements for the real answer, or reshapings of it.

``HANG`` and ``AUTH_FAILURE`` depend on the running server (its shutdown, its auth style), so
the app handles those two itself.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Callable
from datetime import datetime

from starlette.responses import Response, StreamingResponse

from a2e.core.kinds import KINDS
from a2e.sandbox.faults import ArmedFault, Fault
from a2e.sandbox.responses import (
    JSON_TYPE,
    Answer,
    api_error,
    express_not_found,
    json_response,
    maintenance_page,
    nginx_bad_gateway,
    to_json,
)

RecordChange = Callable[[dict[str, object]], dict[str, object]]

_STATUS_FIELDS = frozenset(kind.status_field for kind in KINDS.values())


def replacement(armed: ArmedFault, method: str, path: str) -> Response:
    """The answer a replacing fault sends instead of the real one."""
    fault, params = armed.fault, armed.params
    if fault is Fault.RATE_LIMIT:
        retry = {"Retry-After": str(params["retry_after"])}
        return api_error(429, 429, "Too many requests, please slow down", retry).response()
    if fault is Fault.SERVER_ERROR:
        return api_error(500, 500, "Internal Server Error").response()
    if fault is Fault.API_ERROR_CODE:
        return api_error(200, _as_int(params["code"]), str(params["msg"])).response()
    if fault is Fault.BAD_GATEWAY_HTML:
        return nginx_bad_gateway()
    if fault is Fault.NOT_FOUND_HTML:
        return express_not_found(method, path)
    if fault is Fault.NOT_JSON:
        return maintenance_page()
    if fault is Fault.EMPTY_BODY:
        return json_response(b"")
    raise ValueError(f"{fault.name} is not a replacing fault")


def reshaped(armed: ArmedFault, answer: Answer, stopping: threading.Event) -> Response:
    """The real answer changed by an answer-shaping fault."""
    fault, params = armed.fault, armed.params
    if fault is Fault.SLOW_DRIP:
        return _slow_drip(answer, params["chunk_size"], params["chunk_delay"], stopping)
    if fault is Fault.MALFORMED_JSON:
        body = to_json(answer.payload)
        return json_response(body[: max(1, len(body) // 2)], answer.status_code)
    if isinstance(answer.payload, list):  # a bare list answer: its rows are its data
        changed = _reshaped_data(armed, answer.payload)
        return json_response(to_json(changed), answer.status_code, answer.headers)
    payload = dict(answer.payload)
    payload["data"] = _reshaped_data(armed, payload.get("data"))
    return Answer(payload, answer.status_code, answer.headers).response()


def _reshaped_data(armed: ArmedFault, data: object) -> object:
    fault, params = armed.fault, armed.params
    if fault is Fault.NULL_DATA:
        return None
    if fault is Fault.MISSING_FIELDS:
        return _each_record(data, _only_id)
    if fault is Fault.WRONG_TYPES:
        return _each_record(data, _wrong_types(params["status"]))
    if fault is Fault.OVERSIZED:
        return _each_record(data, _padder(_as_int(params["size_bytes"])), first_only=True)
    return data


def _each_record(data: object, change: RecordChange, first_only: bool = False) -> object:
    if isinstance(data, list):
        return [
            change(item) if isinstance(item, dict) and (i == 0 or not first_only) else item
            for i, item in enumerate(data)
        ]
    if isinstance(data, dict):
        rows_key = next((key for key in ("rows", "list") if isinstance(data.get(key), list)), None)
        if rows_key is not None:
            return {**data, rows_key: _each_record(data[rows_key], change, first_only)}
        return change(data)
    return data


def _only_id(record: dict[str, object]) -> dict[str, object]:
    return {"_id": record["_id"]} if "_id" in record else {}


def _wrong_types(status: object) -> RecordChange:
    def change(record: dict[str, object]) -> dict[str, object]:
        changed = dict(record)
        if "coins" in changed:
            changed["coins"] = str(changed["coins"])
        if isinstance(changed.get("createdAt"), str):
            changed["createdAt"] = _epoch_millis(str(changed["createdAt"]))
        if "name" in changed:
            changed["name"] = 20250313
        for status_field in _STATUS_FIELDS & changed.keys():
            changed[status_field] = status
        return changed

    return change


def _epoch_millis(iso: str) -> object:
    try:
        return int(datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp() * 1000)
    except ValueError:
        return iso


def _padder(size_bytes: int) -> RecordChange:
    filler = "a cinematic slow pan across a misty valley, "
    huge = (filler * (size_bytes // len(filler) + 1))[:size_bytes]

    def pad(record: dict[str, object]) -> dict[str, object]:
        key = "prompt" if "prompt" in record else "padding"
        return {**record, key: huge}

    return pad


def _slow_drip(
    answer: Answer, chunk_size: object, delay: object, stopping: threading.Event
) -> Response:
    body, size, pause = to_json(answer.payload), max(1, _as_int(chunk_size)), _as_float(delay)

    async def drip() -> AsyncIterator[bytes]:
        for start in range(0, len(body), size):
            if stopping.is_set():
                return
            yield body[start : start + size]
            await asyncio.sleep(pause)

    return StreamingResponse(drip(), status_code=answer.status_code, media_type=JSON_TYPE)


def _as_int(value: object) -> int:
    return int(value) if isinstance(value, int | float | str) else 0


def _as_float(value: object) -> float:
    return float(value) if isinstance(value, int | float | str) else 0.0
