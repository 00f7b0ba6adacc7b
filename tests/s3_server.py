"""A real S3-compatible server on loopback for the archive tests: moto in server mode."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpx
from moto.moto_server.threaded_moto_server import ThreadedMotoServer

ACCESS_KEY = "AKIAARCHIVETESTS0001"
SECRET_KEY = "archive-tests-secret-key-0123456789abcdef"
REGION = "us-east-1"


@dataclass(frozen=True)
class S3Server:
    """A running moto server: its endpoint, and the ``AWS_*`` variables a client needs."""

    endpoint: str

    def env(self) -> dict[str, str]:
        return {
            "AWS_ACCESS_KEY_ID": ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
            "AWS_REGION": REGION,
        }

    def make_bucket(self, name: str) -> None:
        httpx.put(f"{self.endpoint}/{name}", timeout=10).raise_for_status()


@contextmanager
def running_s3() -> Iterator[S3Server]:
    """moto's S3 on a free loopback port, stopped afterwards."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield S3Server(f"http://{host}:{port}")
    finally:
        server.stop()
