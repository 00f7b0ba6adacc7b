"""A stand-in media server for the archive benchmarks: fast enough never to be the limit.

Every ``GET /media/<anything>`` answers, after ``--latency`` seconds, the same file of
``--size`` bytes (random bytes made once in a temporary folder, so the page cache holds it),
sent with the kernel's ``sendfile`` over HTTP/1.1 keep-alive, as ``video/mp4``. Run it in a
process of its own; it prints ``serving at http://127.0.0.1:PORT`` once it listens.

    .venv/bin/python -m bench.media_server [--size 20000000] [--latency 0.05]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
from pathlib import Path

HEAD_END = b"\r\n\r\n"


async def serve_connection(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, media: Path, latency: float
) -> None:
    """Answer the requests of one keep-alive connection."""
    size = media.stat().st_size
    loop = asyncio.get_running_loop()
    try:
        while True:
            head = await reader.readuntil(HEAD_END)
            path = head.split(b" ", 2)[1] if head.count(b" ") >= 2 else b""
            await asyncio.sleep(latency)
            if not path.startswith(b"/media/"):
                writer.write(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
                continue
            writer.write(
                b"HTTP/1.1 200 OK\r\nContent-Type: video/mp4\r\n"
                + f'Content-Length: {size}\r\nETag: "bench"\r\n\r\n'.encode()
            )
            await writer.drain()
            with media.open("rb") as body:
                await loop.sendfile(writer.transport, body)
    except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
        pass
    finally:
        writer.close()


async def main_async(size: int, latency: float) -> None:
    """Make the file, listen on a free loopback port, say where, serve until killed."""
    folder = Path(tempfile.mkdtemp(prefix="a2e-bench-media-"))
    media = folder / "media.mp4"
    with media.open("wb") as out:
        left = size
        while left:
            chunk = os.urandom(min(left, 1 << 20))
            out.write(chunk)
            left -= len(chunk)
    server = await asyncio.start_server(
        lambda r, w: serve_connection(r, w, media, latency), "127.0.0.1", 0, backlog=256
    )
    port = server.sockets[0].getsockname()[1]
    print(f"serving at http://127.0.0.1:{port}", flush=True)
    try:
        async with server:
            await server.serve_forever()
    finally:
        media.unlink(missing_ok=True)
        folder.rmdir()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=20_000_000)
    parser.add_argument("--latency", type=float, default=0.05)
    args = parser.parse_args()
    asyncio.run(main_async(args.size, args.latency))


if __name__ == "__main__":
    main()
