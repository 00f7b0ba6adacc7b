"""The plain parts behind the dashboard's downloads: tickets, the streamed ZIP, the background
archiver and the routes' byte ranges and browser binding (no Streamlit needed)."""

from __future__ import annotations

import io
import json
import time
import zipfile
from datetime import timedelta

import pytest

from a2e.api.addresses import AddressScope
from a2e.archive.background import BackgroundArchiver, Owner, link_expired
from a2e.archive.fetcher import MediaFetcher
from a2e.archive.folder import FolderDestination
from a2e.archive.manifest import entry_from_line
from a2e.archive.problems import EXPIRED
from a2e.archive.tickets import TicketBook
from a2e.archive.zipper import NOT_INCLUDED, ZipItem, zip_chunks
from a2e.core.model import TaskOutcome, utc_now
from a2e.sandbox.emulator import DEFAULT_MEDIA_DIR
from a2e.ui.zip_route import browser_binding, byte_range
from tests.archive_support import archive_into, looked_up, manifest


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_single_use_ticket_redeems_once_and_only_in_its_browser():
    book: TicketBook[str] = TicketBook(600, single_use=True)
    ticket = book.mint("order", "browser-a")
    assert book.redeem(ticket, "browser-b") is None
    assert book.redeem(ticket, "browser-a") == "order"
    assert book.redeem(ticket, "browser-a") is None


def test_a_ticket_expires():
    clock = Clock()
    book: TicketBook[str] = TicketBook(600, single_use=False, clock=clock)
    ticket = book.mint("file", "browser")
    clock.now = 599
    assert book.redeem(ticket, "browser") == "file"
    assert book.is_live(ticket)
    assert not book.is_live(ticket, for_at_least=60)
    clock.now = 601
    assert book.redeem(ticket, "browser") is None


def test_the_ticket_book_is_bounded_dropping_the_oldest():
    book: TicketBook[int] = TicketBook(600, single_use=False, max_tickets=3)
    tickets = [book.mint(n, "b") for n in range(4)]
    assert book.redeem(tickets[0], "b") is None
    assert [book.redeem(t, "b") for t in tickets[1:]] == [1, 2, 3]


def test_tickets_are_long_random_and_url_safe():
    book: TicketBook[int] = TicketBook(600, single_use=True)
    tickets = {book.mint(n, "b") for n in range(100)}
    assert len(tickets) == 100
    assert all(len(t) == 43 and t.replace("-", "").replace("_", "").isalnum() for t in tickets)


def xsrf_cookie(secret: bytes, mask: bytes, when: int = 1) -> str:
    """Streamlit's XSRF cookie: the same secret masked anew in each answer."""
    masked = bytes(byte ^ mask[index % len(mask)] for index, byte in enumerate(secret))
    return f"2|{mask.hex()}|{masked.hex()}|{when}"


def test_a_browser_is_named_by_its_xsrf_secret_whatever_its_mask():
    secret, other = bytes(range(16)), bytes(range(1, 17))
    first = xsrf_cookie(secret, b"\x01\x02\x03\x04", 1)
    second = xsrf_cookie(secret, b"\xa0\xb0\xc0\xd0", 2)
    assert browser_binding(first, "1.2.3.4") == browser_binding(second, "5.6.7.8")
    assert browser_binding(xsrf_cookie(other, b"\x01\x02\x03\x04"), "1.2.3.4") != (
        browser_binding(first, "1.2.3.4")
    )


def test_without_an_xsrf_cookie_a_browser_is_named_by_its_address():
    assert browser_binding(None, "10.0.0.1") == browser_binding("garbage", "10.0.0.1")
    assert browser_binding(None, "10.0.0.1") != browser_binding(None, "10.0.0.2")


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("bytes=0-99", (0, 100)),
        ("bytes=100-", (100, 1000)),
        ("bytes=-10", (990, 1000)),
        ("bytes=900-5000", (900, 1000)),
        ("bytes=1000-", None),
        ("bytes=5-1", None),
        ("bytes=0-1,5-6", None),
        ("items=0-1", None),
        (None, None),
    ],
)
def test_a_single_byte_range_is_read_within_the_file(header, expected):
    assert byte_range(header, 1000) == expected


def unzipped(chunks) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(chunks)))


def test_the_zip_holds_each_tasks_files_read_from_its_links(emulator):
    tasks = [t for t in looked_up(emulator, emulator.demo_ids()) if t.is_final][:2]
    with MediaFetcher(AddressScope.PUBLIC_AND_LOOPBACK) as fetcher:
        archive = unzipped(zip_chunks([ZipItem(t) for t in tasks], fetcher))
    done = next(t for t in tasks if t.outcome is TaskOutcome.COMPLETED)
    served = DEFAULT_MEDIA_DIR / done.result_url.rsplit("/", 1)[-1]
    assert archive.read(f"image2video/{done.id}/result.mp4") == served.read_bytes()
    assert archive.testzip() is None


def test_several_results_go_into_the_zip_numbered(emulator):
    tasks = looked_up(emulator, emulator.demo_ids("text2image"), "text2image")
    task = next(t for t in tasks if len(t.result_urls) > 1)
    with MediaFetcher(AddressScope.PUBLIC_AND_LOOPBACK) as fetcher:
        archive = unzipped(zip_chunks([ZipItem(task)], fetcher))
    folder = f"text2image/{task.id}"
    expected = [f"{folder}/result-{n}.png" for n in range(1, len(task.result_urls) + 1)]
    assert [name for name in archive.namelist() if "/result" in name] == expected


def test_an_expired_link_is_named_in_the_zip_and_the_rest_is_kept(emulator):
    gone = emulator.add_task(status="completed", result_url=f"{emulator.base_url}/media/gone/r.mp4")
    (task,) = looked_up(emulator, [gone])
    with MediaFetcher(AddressScope.PUBLIC_AND_LOOPBACK) as fetcher:
        archive = unzipped(zip_chunks([ZipItem(task)], fetcher))
    note = archive.read(f"image2video/{gone}/{NOT_INCLUDED}").decode()
    assert note == f"result: {EXPIRED}\n"
    assert f"image2video/{gone}/source.png" in archive.namelist()


def test_a_kept_task_is_read_from_the_archive_not_from_a2e(emulator, tmp_path):
    (task,) = [t for t in looked_up(emulator, emulator.demo_ids()) if t.result_url][:1]
    archive_into(tmp_path, [task])
    (line,) = manifest(tmp_path)
    entry = FolderDestination(tmp_path)
    kept = entry_from_line(json.dumps(line))
    emulator.clear_requests()
    with MediaFetcher(AddressScope.PUBLIC_AND_LOOPBACK) as fetcher:
        archive = unzipped(zip_chunks([ZipItem(task, kept)], fetcher, entry))
    assert sorted(n.rsplit("/", 1)[-1] for n in archive.namelist()) == [
        "result.mp4",
        "source.png",
        "task.json",
    ]
    assert emulator.media_log() == []


def wait_idle(archiver: BackgroundArchiver) -> None:
    deadline = time.monotonic() + 30
    while not archiver.idle():
        assert time.monotonic() < deadline, "the background archiver never finished"
        time.sleep(0.02)  # a background thread's work: nothing on the page to wait on


def test_the_background_archiver_keeps_tasks_for_the_token_that_saw_them(emulator, tmp_path):
    tasks = [t for t in looked_up(emulator, emulator.demo_ids()) if t.result_url]
    archiver = BackgroundArchiver(FolderDestination(tmp_path))
    owner = Owner(emulator.base_url, "fingerprint-a")
    archiver.offer(owner, tasks)
    wait_idle(archiver)
    assert {line["id"] for line in manifest(tmp_path)} == {t.id for t in tasks}
    assert all(archiver.kept_for(owner, t.id) is not None for t in tasks)
    assert archiver.kept_for(Owner(emulator.base_url, "fingerprint-b"), tasks[0].id) is None
    assert archiver.kept_for(Owner("https://video.a2e.ai", "fingerprint-a"), tasks[0].id) is None


def test_offering_again_fetches_nothing(emulator, tmp_path):
    tasks = [t for t in looked_up(emulator, emulator.demo_ids()) if t.result_url]
    archiver = BackgroundArchiver(FolderDestination(tmp_path))
    owner = Owner(emulator.base_url, "fingerprint")
    archiver.offer(owner, tasks)
    wait_idle(archiver)
    emulator.clear_requests()
    archiver.offer(owner, tasks)
    wait_idle(archiver)
    assert emulator.media_log() == []


def test_a_full_queue_drops_what_it_cannot_hold_and_never_blocks(emulator, tmp_path):
    url = f"{emulator.base_url}/media/generated/2000000/slow.mp4"
    ids = [emulator.add_task(status="completed", result_url=url, image_url="") for _ in range(8)]
    archiver = BackgroundArchiver(FolderDestination(tmp_path), workers=1, queue_cap=2)
    started = time.monotonic()
    archiver.offer(Owner(emulator.base_url, "f"), looked_up(emulator, ids))
    assert time.monotonic() - started < 1.0
    assert archiver.dropped >= 8 - 1 - 2
    wait_idle(archiver)


def test_a_link_counts_as_expired_three_days_after_the_task_finished(emulator):
    (task,) = [t for t in looked_up(emulator, emulator.demo_ids()) if t.result_url][:1]
    finished = task.finished_at or task.created_at
    assert finished is not None
    assert not link_expired(task, finished)
    assert link_expired(task, finished + timedelta(days=3, minutes=1))
    assert utc_now() >= finished
