"""`python -m a2e archive` into a real S3-compatible server on loopback (moto's server mode)."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterator

import pytest

from a2e.archive.background import BackgroundArchiver, Owner
from a2e.archive.destination import destination_from
from a2e.archive.problems import StoreFailed
from tests.archive.test_archive_cli import completed_ids, run_archive
from tests.archive.test_archive_dashboard_parts import wait_idle
from tests.archive_support import looked_up
from tests.s3_server import SECRET_KEY, S3Server, running_s3


@pytest.fixture(scope="module")
def s3() -> Iterator[S3Server]:
    with running_s3() as server:
        yield server


@pytest.fixture
def bucket(s3: S3Server, request: pytest.FixtureRequest) -> str:
    name = f"results-{abs(hash(request.node.name)) % 10**8}"
    s3.make_bucket(name)
    return name


def archive_to_s3(emulator, s3: S3Server, url: str, *args: str):
    return run_archive(emulator, "--to", url, "--endpoint-url", s3.endpoint, *args, env=s3.env())


def read_object(s3: S3Server, url: str, path: str) -> bytes:
    destination = destination_from(url, endpoint_url=s3.endpoint, env=s3.env())
    return b"".join(destination.read_chunks(path))


def manifest_lines(s3: S3Server, url: str) -> int:
    try:
        return read_object(s3, url, "manifest.jsonl").count(b"\n")
    except StoreFailed:  # not written yet
        return 0


def test_results_go_to_s3_under_the_prefix_with_the_manifest(emulator, s3, bucket):
    ids = completed_ids(emulator)
    url = f"s3://{bucket}/team/archive"
    result = archive_to_s3(emulator, s3, url, *ids)
    lines = [json.loads(line) for line in read_object(s3, url, "manifest.jsonl").splitlines()]
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("3 saved (")
    assert sorted(line["id"] for line in lines) == sorted(ids)
    for line in lines:
        for saved in line["files"]:
            body = read_object(s3, url, f"image2video/{line['id']}/{saved['name']}")
            assert (len(body), hashlib.sha256(body).hexdigest()) == (
                saved["bytes"],
                saved["sha256"],
            )


def test_a_second_run_into_s3_fetches_nothing(emulator, s3, bucket):
    ids = completed_ids(emulator)
    archive_to_s3(emulator, s3, f"s3://{bucket}", *ids)
    emulator.clear_requests()
    result = archive_to_s3(emulator, s3, f"s3://{bucket}", *ids)
    assert result.stdout.strip() == "0 saved (0 B), 3 already saved"
    assert emulator.media_log() == []


def test_a_large_result_is_uploaded_in_parts(emulator, s3, bucket):
    url = f"{emulator.base_url}/media/generated/12000000/result.mp4"
    big = emulator.add_task(status="completed", result_url=url, image_url="")
    result = archive_to_s3(emulator, s3, f"s3://{bucket}", big)
    body = read_object(s3, f"s3://{bucket}", f"image2video/{big}/result.mp4")
    assert result.returncode == 0, result.stderr
    assert len(body) == 12_000_000


def test_an_expired_result_leaves_no_object_in_s3(emulator, s3, bucket):
    gone = emulator.add_task(
        status="completed", result_url=f"{emulator.base_url}/media/gone/result.mp4"
    )
    result = archive_to_s3(emulator, s3, f"s3://{bucket}", gone)
    destination = destination_from(f"s3://{bucket}", endpoint_url=s3.endpoint, env=s3.env())
    assert result.returncode == 1
    assert destination.size_of(f"image2video/{gone}/result.mp4") is None


def test_a_missing_bucket_is_a_usage_error_that_shows_no_secret(emulator, s3):
    result = archive_to_s3(emulator, s3, "s3://no-such-bucket-here", *completed_ids(emulator, 1))
    assert result.returncode == 2
    assert "the S3 destination could not be read" in result.stderr
    assert SECRET_KEY not in result.stderr + result.stdout


def test_the_dashboards_background_archiver_writes_the_s3_manifest_once_drained(
    emulator, s3, bucket
):
    tasks = [t for t in looked_up(emulator, emulator.demo_ids()) if t.result_url]
    url = f"s3://{bucket}/dashboard"
    archiver = BackgroundArchiver(destination_from(url, endpoint_url=s3.endpoint, env=s3.env()))
    archiver.offer(Owner(emulator.base_url, "fingerprint"), tasks)
    wait_idle(archiver)
    deadline = time.monotonic() + 30
    while manifest_lines(s3, url) < len(tasks):
        assert time.monotonic() < deadline, "the manifest was never written whole"
        time.sleep(0.05)  # the last worker writes it just after the queue drains
    lines = read_object(s3, url, "manifest.jsonl").splitlines()
    assert sorted(json.loads(line)["id"] for line in lines) == sorted(t.id for t in tasks)
