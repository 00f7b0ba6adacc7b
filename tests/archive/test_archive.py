"""The archive layer against the emulator's media over real loopback HTTP, into a folder."""

from __future__ import annotations

import json
import threading
import time

import pytest

from a2e.api.addresses import AddressScope
from a2e.archive.fetcher import NOT_HTTP, NOT_PUBLIC, MediaFetcher, media_scope
from a2e.archive.folder import FolderDestination
from a2e.archive.layout import REMOVED, role_name, task_folder
from a2e.archive.problems import EXPIRED, MediaRefused
from a2e.archive.run import Archiver, ArchiveSettings, Verdict
from a2e.core.model import TaskOutcome
from a2e.sandbox.emulator import DEFAULT_MEDIA_DIR
from tests.archive_support import archive_into, every_file_text, looked_up, manifest, sha256_of

MEDIA_DIR = DEFAULT_MEDIA_DIR


def completed(emulator, count=3):
    ids = emulator.demo_ids()
    tasks = looked_up(emulator, ids)
    return [task for task in tasks if task.outcome is TaskOutcome.COMPLETED][:count]


def test_a_completed_task_keeps_its_result_source_and_task_json(emulator, tmp_path):
    task = completed(emulator, 1)[0]
    report = archive_into(tmp_path, [task])
    folder = tmp_path / task_folder(task.kind, task.id)
    assert [r.verdict for r in report.reports] == [Verdict.SAVED]
    assert sorted(p.name for p in folder.iterdir()) == ["result.mp4", "source.png", "task.json"]
    served = MEDIA_DIR / task.result_url.rsplit("/", 1)[-1]
    assert (folder / "result.mp4").read_bytes() == served.read_bytes()


def test_the_manifest_line_records_each_file_with_its_size_and_sha256(emulator, tmp_path):
    task = completed(emulator, 1)[0]
    archive_into(tmp_path, [task])
    (line,) = manifest(tmp_path)
    folder = tmp_path / task_folder(task.kind, task.id)
    assert (line["id"], line["kind"], line["outcome"]) == (task.id, "image2video", "completed")
    for saved in line["files"]:
        path = folder / saved["name"]
        assert (saved["bytes"], saved["sha256"]) == (path.stat().st_size, sha256_of(path))
    assert line["bytes"] == sum(saved["bytes"] for saved in line["files"])
    assert str(line["saved_at"]).endswith("Z")


def test_a_second_run_fetches_nothing(emulator, tmp_path):
    tasks = completed(emulator)
    first = archive_into(tmp_path, tasks)
    emulator.clear_requests()
    second = archive_into(tmp_path, tasks)
    assert first.summary_line().startswith("3 saved")
    assert second.summary_line() == "0 saved (0 B), 3 already saved"
    assert emulator.media_log() == []


def test_a_saved_file_that_changed_on_disk_is_fetched_again(emulator, tmp_path):
    task = completed(emulator, 1)[0]
    archive_into(tmp_path, [task])
    result = tmp_path / task_folder(task.kind, task.id) / "result.mp4"
    original = result.read_bytes()
    result.write_bytes(b"\0" * len(original))  # same size, other bytes
    emulator.clear_requests()
    report = archive_into(tmp_path, [task])
    assert report.reports[0].verdict is Verdict.SAVED
    assert result.read_bytes() == original
    assert len(emulator.media_log()) == 2  # the result and the source, again


def test_a_kept_part_is_resumed_asking_only_for_the_rest(emulator, tmp_path):
    task = completed(emulator, 1)[0]
    served = (MEDIA_DIR / task.result_url.rsplit("/", 1)[-1]).read_bytes()
    with MediaFetcher(AddressScope.ANY) as fetcher, fetcher.open(task.result_url) as body:
        validator = body.validator
    folder = tmp_path / task_folder(task.kind, task.id)
    folder.mkdir(parents=True)
    # A part whose bytes differ from the file's: only a resumed download keeps them.
    (folder / "result.part").write_bytes(b"\0" * 1000)
    (folder / "result.part.json").write_text(
        json.dumps({"name": "result.mp4", "validator": validator})
    )
    archive_into(tmp_path, [task])
    kept = (folder / "result.mp4").read_bytes()
    assert kept == b"\0" * 1000 + served[1000:]
    assert not (folder / "result.part").exists()
    assert manifest(tmp_path)[0]["files"][0]["sha256"] == sha256_of(folder / "result.mp4")


def test_a_part_without_a_validator_starts_again(emulator, tmp_path):
    task = completed(emulator, 1)[0]
    served = (MEDIA_DIR / task.result_url.rsplit("/", 1)[-1]).read_bytes()
    folder = tmp_path / task_folder(task.kind, task.id)
    folder.mkdir(parents=True)
    (folder / "result.part").write_bytes(b"\0" * 1000)
    archive_into(tmp_path, [task])
    assert (folder / "result.mp4").read_bytes() == served


def test_a_server_that_ignores_the_range_sends_the_whole_file_again(emulator, tmp_path):
    url = f"{emulator.base_url}/media/generated/300000/result.mp4"  # no Range support
    task_id = emulator.add_task(status="completed", result_url=url, image_url="")
    (task,) = looked_up(emulator, [task_id])
    folder = tmp_path / task_folder(task.kind, task.id)
    folder.mkdir(parents=True)
    (folder / "result.part").write_bytes(b"\1" * 5000)
    (folder / "result.part.json").write_text(json.dumps({"name": "r.mp4", "validator": '"x"'}))
    archive_into(tmp_path, [task])
    kept = (folder / "result.mp4").read_bytes()
    assert len(kept) == 300000
    assert kept[:5000] != b"\1" * 5000


def test_stopping_a_run_keeps_the_part_for_the_next_one(emulator, tmp_path):
    url = f"{emulator.base_url}/media/generated/400000000/result.mp4"
    task_id = emulator.add_task(status="completed", result_url=url, image_url="")
    (task,) = looked_up(emulator, [task_id])
    part = tmp_path / task_folder(task.kind, task.id) / "result.part"
    with MediaFetcher(AddressScope.PUBLIC_AND_LOOPBACK) as fetcher:
        archiver = Archiver(FolderDestination(tmp_path), fetcher)
        reports = []
        worker = threading.Thread(target=lambda: reports.append(archiver.run([task])))
        worker.start()
        deadline = time.monotonic() + 30
        while not (part.exists() and part.stat().st_size > 0) and time.monotonic() < deadline:
            time.sleep(0.01)  # waiting for the download to start writing; nothing to wait on
        archiver.stop()
        worker.join(timeout=30)
    (report,) = reports[0].reports
    assert (report.verdict, report.reason) == (Verdict.FAILED, "not saved: the run stopped")
    assert 0 < part.stat().st_size < 400000000
    assert manifest(tmp_path) == []


@pytest.mark.parametrize("where", ["gone", "forbidden"])
def test_an_expired_result_is_reported_and_the_other_tasks_are_saved(emulator, tmp_path, where):
    expired_id = emulator.add_task(
        status="completed", result_url=f"{emulator.base_url}/media/{where}/result.mp4"
    )
    tasks = [*completed(emulator, 2), *looked_up(emulator, [expired_id])]
    report = archive_into(tmp_path, tasks)
    verdicts = {r.task_id: (r.verdict, r.reason) for r in report.reports}
    assert verdicts[expired_id] == (Verdict.EXPIRED, EXPIRED)
    assert report.summary_line().endswith(", 1 expired")
    assert not report.all_kept
    assert {line["id"] for line in manifest(tmp_path)} == {t.id for t in tasks[:2]}


def test_an_expired_source_image_is_a_note_and_the_task_is_saved(emulator, tmp_path):
    task_id = emulator.add_task(
        status="completed", image_url=f"{emulator.base_url}/media/gone/source.png"
    )
    report = archive_into(tmp_path, looked_up(emulator, [task_id]))
    (line,) = manifest(tmp_path)
    assert report.reports[0].verdict is Verdict.SAVED
    assert [saved["name"] for saved in line["files"]] == ["result.mp4", "task.json"]
    assert line["notes"] == [f"source not kept: {EXPIRED}"]


def test_a_link_that_is_not_media_is_refused(emulator, tmp_path):
    url = f"{emulator.base_url}/media/generated/2000/page.html"
    task_id = emulator.add_task(status="completed", result_url=url)
    report = archive_into(tmp_path, looked_up(emulator, [task_id]))
    (only,) = report.reports
    assert only.verdict is Verdict.REFUSED
    assert only.reason == "refused: the server sent text/html, not an image, video or audio"
    assert not list(tmp_path.rglob("*.part"))


def test_a_file_past_the_cap_is_refused_before_it_is_read(emulator, tmp_path):
    url = f"{emulator.base_url}/media/generated/3000000/result.mp4"
    task_id = emulator.add_task(status="completed", result_url=url, image_url="")
    report = archive_into(tmp_path, looked_up(emulator, [task_id]), max_bytes=1_000_000)
    (only,) = report.reports
    assert (only.verdict, only.reason) == (
        Verdict.REFUSED,
        "refused: larger than the cap of 1.0 MB",
    )
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]


def test_the_run_cap_stops_fetching_once_reached(emulator, tmp_path):
    urls = [f"{emulator.base_url}/media/generated/600000/r{i}.mp4" for i in range(3)]
    ids = [emulator.add_task(status="completed", result_url=u, image_url="") for u in urls]
    report = archive_into(tmp_path, looked_up(emulator, ids), max_run_bytes=1_000_000)
    verdicts = sorted(r.verdict.value for r in report.reports)
    assert verdicts.count("saved") == 1
    assert "refused: the run reached its cap of 1.0 MB" in {r.reason for r in report.reports}


def test_a_failed_task_keeps_only_its_task_json(emulator, tmp_path):
    tasks = looked_up(emulator, emulator.demo_ids())
    failed = next(task for task in tasks if task.outcome is TaskOutcome.FAILED)
    archive_into(tmp_path, [failed])
    folder = tmp_path / task_folder(failed.kind, failed.id)
    assert [p.name for p in folder.iterdir()] == ["task.json"]
    assert failed.failed_message in (folder / "task.json").read_text()
    assert emulator.media_log() == []


def test_a_running_task_is_not_saved_and_says_so(emulator, tmp_path):
    running = next(t for t in looked_up(emulator, emulator.demo_ids()) if not t.is_final)
    (report,) = archive_into(tmp_path, [running]).reports
    assert (report.verdict, report.reason) == (
        Verdict.NOT_FINAL,
        "not saved: the task is still running",
    )


def test_task_json_never_holds_a_secret_field_nor_the_token(emulator, tmp_path):
    task_id = emulator.add_task(status="completed", webhook_token="whk_secret_123")
    archive_into(tmp_path, looked_up(emulator, [task_id]))
    document = (tmp_path / task_folder("image2video", task_id) / "task.json").read_text()
    assert f'"webhook_token": "{REMOVED}"' in document
    assert "whk_secret_123" not in every_file_text(tmp_path)
    assert emulator.token not in every_file_text(tmp_path)


def test_media_on_loopback_is_refused_when_the_api_server_is_public(emulator, tmp_path):
    task = completed(emulator, 1)[0]
    report = archive_into(tmp_path, [task], scope=AddressScope.PUBLIC_ONLY)
    assert (report.reports[0].verdict, report.reports[0].reason) == (Verdict.REFUSED, NOT_PUBLIC)
    assert emulator.media_log() == []


def test_a_link_that_is_not_http_is_refused_unasked():
    with MediaFetcher(AddressScope.ANY) as fetcher, pytest.raises(MediaRefused) as refused:
        fetcher.open("file:///etc/passwd").__enter__()
    assert refused.value.reason == NOT_HTTP


def _resolving_to(*addresses):
    return lambda host, port: [(2, 1, 6, "", (address, port)) for address in addresses]


@pytest.mark.parametrize(
    ("addresses", "scope"),
    [
        (["127.0.0.1"], AddressScope.PUBLIC_AND_LOOPBACK),
        (["::1", "127.0.0.1"], AddressScope.PUBLIC_AND_LOOPBACK),
        (["93.184.216.34"], AddressScope.PUBLIC_ONLY),
        (["127.0.0.1", "10.0.0.5"], AddressScope.PUBLIC_ONLY),
        (["10.0.0.5"], AddressScope.PUBLIC_ONLY),
    ],
)
def test_media_may_reach_loopback_only_when_the_api_server_is_on_loopback(addresses, scope):
    assert media_scope("https://api.example", _resolving_to(*addresses)) is scope


def kept_task(emulator, kind: str, found):
    tasks = looked_up(emulator, emulator.demo_ids(kind), kind)
    return next(task for task in tasks if found(task))


def test_several_results_are_kept_as_numbered_files_in_their_order(emulator, tmp_path):
    task = kept_task(emulator, "text2image", lambda t: len(t.result_urls) > 1)
    archive_into(tmp_path, [task])
    folder = tmp_path / task_folder(task.kind, task.id)
    names = [f"result-{n}.png" for n in range(1, len(task.result_urls) + 1)]
    assert sorted(p.name for p in folder.iterdir()) == sorted([*names, "task.json"])
    for name, url in zip(names, task.result_urls, strict=True):
        assert (folder / name).read_bytes() == (MEDIA_DIR / url.rsplit("/", 1)[-1]).read_bytes()


def test_an_audio_result_is_kept_by_its_media_type(emulator, tmp_path):
    task = kept_task(emulator, "voice_clone", lambda t: bool(t.result_urls))
    archive_into(tmp_path, [task])
    folder = tmp_path / task_folder(task.kind, task.id)
    assert "result.wav" in {p.name for p in folder.iterdir()}


def test_several_results_are_numbered():
    assert [role_name("result", i, 1) for i in range(1)] == ["result"]
    assert [role_name("result", i, 3) for i in range(3)] == ["result-1", "result-2", "result-3"]


def test_a_folder_destination_refuses_paths_leaving_the_archive(tmp_path):
    with pytest.raises(ValueError, match="inside the archive"):
        FolderDestination(tmp_path).put_bytes("../escape.txt", b"x")


def test_archive_settings_default_to_four_downloads():
    assert ArchiveSettings().downloads == 4
