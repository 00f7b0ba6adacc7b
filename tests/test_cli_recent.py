"""`python -m a2e recent` as a subprocess against the emulator's demo account over loopback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from a2e.core.kinds import get_kind, kinds_in_family
from a2e.sandbox import Emulator, Fault

I2V_LIST = get_kind("image2video").list_path


def run_recent(
    emulator: Emulator, *args: str, token: str | None = "demo"
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("A2E_")}
    env["A2E_BASE_URL"] = emulator.base_url
    if token is not None:
        env["A2E_API_TOKEN"] = emulator.token if token == "demo" else token
    return subprocess.run(
        [sys.executable, "-m", "a2e", "recent", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def json_lines(result: subprocess.CompletedProcess[str]) -> list[dict[str, object]]:
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_the_newest_fifty_image_to_video_tasks_by_default(emu):
    result = run_recent(emu, "--json")
    assert result.returncode == 0, result.stderr
    assert [row["id"] for row in json_lines(result)] == emu.task_ids()[:50]
    assert emu.count_requests(path=I2V_LIST) == 1


def test_the_table_has_the_status_commands_columns_one_line_per_task_and_a_summary(emu):
    result = run_recent(emu, "--limit", "7")
    lines = result.stdout.splitlines()
    assert result.returncode == 0, result.stderr
    assert lines[0].split()[:4] == ["ID", "OUTCOME", "STATUS", "CREATED"]
    assert [line.split()[0] for line in lines[1:-1]] == emu.task_ids()[:7]
    assert lines[-1].startswith("7 tasks: ")


def test_a_limit_past_one_page_pages_as_needed(emu):
    result = run_recent(emu, "--json", "--limit", "45", "--page-size", "20")
    assert [row["id"] for row in json_lines(result)] == emu.task_ids()[:45]
    assert emu.count_requests(path=I2V_LIST) == 3


def test_status_filters_and_pages_until_enough_match(emu):
    result = run_recent(emu, "--json", "--status", "failed", "--limit", "12", "--page-size", "20")
    rows = json_lines(result)
    assert result.returncode == 0, result.stderr
    assert len(rows) == 12
    assert {row["outcome"] for row in rows} == {"failed"}
    assert all(row["failed_code"] for row in rows)
    stamps = [str(row["created_at"]) for row in rows]
    assert stamps == sorted(stamps, reverse=True)


def test_since_keeps_only_recent_tasks_and_stops_paging(emu):
    result = run_recent(emu, "--json", "--since", "24h", "--limit", "500", "--page-size", "20")
    rows = json_lines(result)
    day_ago = datetime.now(UTC) - timedelta(hours=24, minutes=1)
    assert rows
    assert all(datetime.fromisoformat(str(row["created_at"])) >= day_ago for row in rows)
    assert emu.count_requests(path=I2V_LIST) < 3


def test_all_kinds_merges_the_newest_of_every_kind(emu):
    result = run_recent(emu, "--json", "--kind", "all", "--limit", "30")
    rows = json_lines(result)
    assert result.returncode == 0, result.stderr
    assert len(rows) == 30
    assert len({row["kind"] for row in rows}) > 3
    stamps = [str(row["created_at"]) for row in rows]
    assert stamps == sorted(stamps, reverse=True)


def test_a_failed_list_call_exits_1_and_says_why(emu):
    emu.inject(Fault.BAD_GATEWAY_HTML)
    result = run_recent(emu)
    assert result.returncode == 1
    assert "Image to video: HTTP 502 from server (HTML error page)" in result.stderr
    assert emu.token not in result.stderr + result.stdout


def test_a_malformed_list_answer_exits_1(emu):
    emu.set_list_shape("data_text")
    result = run_recent(emu)
    assert result.returncode == 1
    assert "task list could not be read: its data was text" in result.stderr


def test_a_cap_that_cuts_the_reading_short_is_said_but_is_not_a_failure(emu):
    result = run_recent(emu, "--status", "running", "--limit", "2000", "--page-size", "3")
    assert result.returncode == 0, result.stderr
    assert "stopped at the cap of 40 list calls" in result.stderr


def test_fifty_copies_of_one_id_are_said_to_be_duplicates_and_are_not_a_failure(emu):
    first = emu.task_ids("image2video")[0]
    emu.repeat_in_lists(first, 50)
    result = run_recent(emu, "--json", "--page-size", "100", "--limit", "60")
    assert result.returncode == 0, result.stderr
    assert [line["id"] for line in json_lines(result)].count(first) == 1
    assert "49 listed rows had a task id already listed (duplicates)" in result.stderr
    assert "no valid task id" not in result.stderr


def test_a_page_with_more_rows_than_asked_keeps_the_size_asked_and_says_so(emu):
    emu.send_whole_lists()
    result = run_recent(emu, "--json", "--limit", "200", "--page-size", "20")
    assert result.returncode == 0, result.stderr
    assert len(json_lines(result)) == 20
    assert "the server sent more rows than asked" in result.stderr


def test_rows_that_could_not_be_read_exit_1(emu):
    emu.inject(Fault.MISSING_FIELDS)
    result = run_recent(emu, "--limit", "3")
    assert result.returncode == 1
    assert "lookup_error" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--since", "7x"), "use a number and a unit"),
        (("--kind", "nope"), "Invalid value for '--kind'"),
        (("--page-size", "500"), "Invalid value for '--page-size'"),
        (("--status", "done"), "Invalid value for '--status'"),
    ],
)
def test_usage_errors_exit_2(emu, args, message):
    result = run_recent(emu, *args)
    assert result.returncode == 2
    assert message in result.stderr
    assert emu.count_requests() == 0


def test_no_token_is_a_usage_error(emu):
    result = run_recent(emu, token=None)
    assert result.returncode == 2
    assert "set A2E_API_TOKEN" in result.stderr


def test_a_rejected_token_exits_1(emu):
    result = run_recent(emu, token="sk_wrong")
    assert result.returncode == 1
    assert "token rejected" in result.stderr
    assert "sk_wrong" not in result.stderr


def test_a_family_merges_the_newest_tasks_of_its_kinds(emu):
    result = run_recent(emu, "--kind", "image", "--json", "--limit", "200")
    assert result.returncode == 0, result.stderr
    kinds = {record["kind"] for record in json_lines(result)}
    assert kinds == set(kinds_in_family("image"))
