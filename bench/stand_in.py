"""A stand-in A2E server for benchmarks: fast enough never to be the limit.

It answers every ``GET .../{id}`` with A2E's documented record of a completed task (the id
asked, ``shared/fixtures``' fields), and every ``POST .../batchDetail`` with ``{"ids": [...]}``
with those records as a ``data`` list, after ``latency`` seconds, over HTTP/1.1 with
keep-alive, from raw asyncio streams in a process of its own: a request costs it a few
microseconds, so 24 requests arriving at once are all answered ``latency`` later (the
emulator, a full Starlette app with its request log and faults, takes about a millisecond a
request, which stretches each wave of 24 by ~25 ms). It checks no token and serves nothing
else.
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
from multiprocessing.connection import Connection

RECORD = {
    "name": "Bench task",
    "image_url": "https://example.com/source.png",
    "prompt": "the person is speaking",
    "negative_prompt": "",
    "current_status": "completed",
    "coins": 100,
    "createdAt": "2025-03-13T07:58:27.863Z",
    "failed_message": "",
    "failed_code": "",
    "result_url": "https://example.com/result.mp4",
}


def _answer(data: object) -> bytes:
    body = json.dumps({"code": 0, "data": data, "trace_id": "bench"})
    head = (
        f"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body.encode()


def _content_length(head: bytes) -> int:
    for line in head.lower().split(b"\r\n"):
        if line.startswith(b"content-length:"):
            return int(line.split(b":", 1)[1])
    return 0


def _data(path: str, body: bytes) -> object:
    """One record for a detail call; the records of the ids asked for a batch call."""
    if path.endswith("/batchDetail"):
        return [{"_id": task_id, **RECORD} for task_id in json.loads(body)["ids"]]
    return {"_id": path.rsplit("/", 1)[-1], **RECORD}


async def _serve_connection(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, latency: float, counter: list[int]
) -> None:
    try:
        while request := await reader.readuntil(b"\r\n\r\n"):
            path = request.split(b" ", 2)[1].decode()
            body = await reader.readexactly(_content_length(request))
            counter[0] += 1
            await asyncio.sleep(latency)
            writer.write(_answer(_data(path, body)))
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


async def _main(latency: float, pipe: Connection) -> None:
    counter = [0]
    server = await asyncio.start_server(
        lambda r, w: _serve_connection(r, w, latency, counter), "127.0.0.1", 0
    )
    port = server.sockets[0].getsockname()[1]
    pipe.send(f"http://127.0.0.1:{port}")
    await asyncio.get_running_loop().run_in_executor(None, pipe.recv)
    pipe.send(counter[0])
    server.close()


def _run(latency: float, pipe: Connection) -> None:
    asyncio.run(_main(latency, pipe))


class StandIn:
    """The stand-in server in a process of its own; a context manager giving its base URL."""

    def __init__(self, latency: float) -> None:
        self._ours, theirs = multiprocessing.Pipe()
        self._process = multiprocessing.Process(target=_run, args=(latency, theirs))
        self.base_url = ""
        self.requests = 0

    def __enter__(self) -> StandIn:
        self._process.start()
        self.base_url = str(self._ours.recv())
        return self

    def __exit__(self, *_: object) -> None:
        self._ours.send("stop")
        self.requests = int(self._ours.recv())
        self._process.join(timeout=10)
