"""`python -m a2e archive` as a subprocess against the emulator over loopback, into a folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from a2e.core.kinds import get_kind, kinds_in_family
from a2e.core.model import TaskOutcome
from tests.archive_support import every_file_text, looked_up, manifest
from tests.test_cli_terminal import run_on_terminal

I2V = get_kind("image2video")
MARK = I2V.mark_downloaded_path or ""


def run_archive(
    emulator, *args: str, token: str | None = "demo", stdin: str | None = None, env=None
) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("A2E_", "AWS_"))}
    environment["A2E_BASE_URL"] = emulator.base_url
    if token is not None:
        environment["A2E_API_TOKEN"] = emulator.token if token == "demo" else token
    environment |= env or {}
    return subprocess.run(
        [sys.executable, "-m", "a2e", "archive", *args],
        capture_output=True,
        text=True,
        env=environment,
        input=stdin,
        timeout=120,
        check=False,
    )


def completed_ids(emulator, count=3):
    tasks = looked_up(emulator, emulator.demo_ids())
    return [t.id for t in tasks if t.outcome is TaskOutcome.COMPLETED][:count]


def test_without_ids_the_accounts_recent_completed_tasks_are_archived(emu, tmp_path):
    result = run_archive(emu, "--to", str(tmp_path), "--kind", "image2video")
    saved = {line["id"] for line in manifest(tmp_path)}
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"{len(saved)} saved (")
    assert saved, "the demo account has completed tasks in the last 3 days"
    assert all(line["outcome"] == "completed" for line in manifest(tmp_path))


def test_a_second_run_fetches_nothing(emu, tmp_path):
    run_archive(emu, "--to", str(tmp_path), "--kind", "image2video")
    count = len(manifest(tmp_path))
    emu.clear_requests()
    result = run_archive(emu, "--to", str(tmp_path), "--kind", "image2video")
    assert result.stdout.strip() == f"0 saved (0 B), {count} already saved"
    assert emu.media_log() == []
    assert {entry.path for entry in emu.request_log()} == {I2V.list_path}


def test_since_reaches_further_back_and_status_all_keeps_failed_tasks_too(emu, tmp_path):
    run_archive(emu, "--to", str(tmp_path), "--kind", "image2video")
    recent = len(manifest(tmp_path))
    result = run_archive(
        emu, "--to", str(tmp_path), "--kind", "image2video", "--since", "30d", "--status", "all"
    )
    outcomes = {line["outcome"] for line in manifest(tmp_path)}
    assert result.returncode == 0, result.stderr
    assert f", {recent} already saved" in result.stdout
    assert outcomes == {"completed", "failed"}


def test_ids_from_arguments_stdin_and_a_file_are_archived_once(emulator, tmp_path):
    first, second, third = completed_ids(emulator)
    ids_file = tmp_path / "ids.txt"
    ids_file.write_text(f"log line: task {third} finished\n")
    result = run_archive(
        emulator,
        "--to",
        str(tmp_path / "archive"),
        "--ids",
        str(ids_file),
        first,
        "-",
        stdin=f'{{"ids": ["{second}", "{first}"]}}',
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("3 saved (")
    assert sorted(line["id"] for line in manifest(tmp_path / "archive")) == sorted(
        [first, second, third]
    )


def test_an_expired_result_is_listed_on_stderr_and_the_exit_status_is_1(emulator, tmp_path):
    gone = emulator.add_task(
        status="completed", result_url=f"{emulator.base_url}/media/gone/result.mp4"
    )
    (kept,) = completed_ids(emulator, 1)
    result = run_archive(emulator, "--to", str(tmp_path), gone, kept, "--kind", "image2video")
    assert result.returncode == 1
    assert result.stdout.strip().endswith("1 expired")
    assert f"{gone} image2video: expired: A2E no longer serves this result" in result.stderr
    assert [line["id"] for line in manifest(tmp_path)] == [kept]


def test_a_failed_task_asked_by_id_is_skipped_by_the_default_status_without_failing(
    emulator, tmp_path
):
    tasks = looked_up(emulator, emulator.demo_ids())
    failed = next(t.id for t in tasks if t.outcome is TaskOutcome.FAILED)
    (kept,) = completed_ids(emulator, 1)
    result = run_archive(emulator, "--to", str(tmp_path), failed, kept)
    assert result.returncode == 0, result.stderr
    assert f"{failed}: failed, not archived (see --status)" in result.stderr


def test_mark_downloaded_tells_a2e_about_each_image_to_video_task_saved(emulator, tmp_path):
    ids = completed_ids(emulator)
    result = run_archive(emulator, "--to", str(tmp_path), "--mark-downloaded", *ids)
    marked = [e.task_id for e in emulator.request_log() if e.path.endswith("/markDownloaded")]
    assert result.returncode == 0, result.stderr
    assert sorted(marked) == sorted(ids)
    assert emulator.count_requests(path=MARK.format(id=ids[0])) == 1


def test_nothing_is_marked_downloaded_unless_asked(emulator, tmp_path):
    run_archive(emulator, "--to", str(tmp_path), *completed_ids(emulator))
    assert not [e for e in emulator.request_log() if e.path.endswith("/markDownloaded")]


def test_the_token_is_never_in_the_archive_nor_the_output(emulator, tmp_path):
    result = run_archive(emulator, "--to", str(tmp_path), *completed_ids(emulator))
    assert emulator.token not in every_file_text(tmp_path)
    assert emulator.token not in result.stdout + result.stderr


def test_a_pipe_never_gets_a_progress_bar(emulator, tmp_path):
    result = run_archive(emulator, "--to", str(tmp_path), *completed_ids(emulator))
    assert "archiving [" not in result.stderr
    assert result.stderr == ""


def test_usage_errors_exit_2_and_say_what_is_wrong(emulator, tmp_path):
    cases = {
        ("--to", "ftp://host/folder"): "only a folder or s3://bucket/prefix",
        ("--to", str(tmp_path), "--since", "yesterday"): "use a number and a unit",
        ("--to", str(tmp_path), "--max-file-size", "big"): "use a size such as 2GiB",
        ("--to", str(tmp_path), "not-an-id"): "no task ids given",
    }
    for args, message in cases.items():
        result = run_archive(emulator, *args)
        assert (result.returncode, message in result.stderr) == (2, True), args
    assert run_archive(emulator, "--to", str(tmp_path), token=None).returncode == 2


def test_a_file_over_the_size_option_is_refused(emulator, tmp_path):
    url = f"{emulator.base_url}/media/generated/3000000/result.mp4"
    big = emulator.add_task(status="completed", result_url=url, image_url="")
    result = run_archive(emulator, "--to", str(tmp_path), "--max-file-size", "1MB", big)
    assert result.returncode == 1
    assert f"{big} image2video: refused: larger than the cap of 1.0 MB" in result.stderr


def test_task_json_is_the_record_as_read(emulator, tmp_path):
    (task_id,) = completed_ids(emulator, 1)
    run_archive(emulator, "--to", str(tmp_path), task_id)
    document = json.loads((tmp_path / "image2video" / task_id / "task.json").read_text())
    assert (document["id"], document["outcome"]) == (task_id, "completed")
    assert document["record"]["_id"] == task_id
    assert Path(tmp_path / "manifest.jsonl").exists()


def test_a_long_run_draws_a_progress_bar_on_a_terminal_and_clears_it(emu, tmp_path):
    status, shown, stdout = run_on_terminal(
        emu,
        "--to",
        str(tmp_path),
        "--since",
        "30d",
        "--status",
        "all",
        token=emu.token,
        stream="stderr",
        command="archive",
    )
    assert status == 0
    assert "archiving [" in shown
    assert shown.endswith("\r")  # the bar is erased before the summary
    assert stdout.startswith(f"{len(manifest(tmp_path))} saved (")


def test_a_family_archives_only_its_kinds(emu, tmp_path):
    result = run_archive(emu, "--to", str(tmp_path), "--kind", "image", "--since", "30d")
    kinds = {line["kind"] for line in manifest(tmp_path)}
    assert result.returncode == 0, result.stderr
    assert kinds
    assert kinds <= set(kinds_in_family("image"))
