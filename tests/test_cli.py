"""`python -m a2e status` as a subprocess against the emulator over loopback."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from a2e.sandbox import Emulator

RESULT = "https://cdn.example.com/result.mp4"
UNKNOWN = "0123456789abcdef01234567"


def cli_environment(emulator: Emulator, token: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("A2E_")}
    env["A2E_BASE_URL"] = emulator.base_url
    if token is not None:
        env["A2E_API_TOKEN"] = token
    return env


def run_cli(
    emulator: Emulator, *args: str, token: str | None = None, stdin: str = "", **settings: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "a2e", "status", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=cli_environment(emulator, token) | settings,
        timeout=60,
        check=False,
    )


@pytest.fixture
def three_tasks(emulator):
    return (
        emulator.add_task(status="completed", result_url=RESULT, name="Sneaker"),
        emulator.add_task(status="failed", failed_code="E1", failed_message="no face"),
        emulator.add_task(status="pending", name="Cat"),
    )


def test_the_table_shows_each_task_and_exits_0_when_every_lookup_worked(
    emulator, token, three_tasks
):
    result = run_cli(emulator, *three_tasks, token=token)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0].split() == [
        "ID",
        "OUTCOME",
        "STATUS",
        "CREATED",
        "(UTC)",
        "COINS",
        "NAME",
        "RESULT",
        "/",
        "REASON",
    ]
    assert [line.split()[:3] for line in lines[1:4]] == [
        [three_tasks[0], "completed", "completed"],
        [three_tasks[1], "failed", "failed"],
        [three_tasks[2], "in_progress", "pending"],
    ]
    assert "E1: no face" in lines[2]
    assert RESULT in lines[1]
    assert lines[4:] == ["3 tasks: 1 completed, 1 failed, 1 running, 0 lookup errors"]


def test_json_lines_keep_input_order_with_the_promised_fields(emulator, token, three_tasks):
    ordered = [three_tasks[2], three_tasks[0], three_tasks[1]]
    result = run_cli(emulator, "--json", *ordered, token=token)
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in records] == ordered
    assert [(r["outcome"], r["status"], r["error"]) for r in records] == [
        ("in_progress", "pending", None),
        ("completed", "completed", None),
        ("failed", "failed", None),
    ]
    assert records[1]["result_url"] == RESULT
    assert records[2]["failed_code"] == "E1"


def test_a_failed_lookup_or_an_invalid_id_exits_1(emulator, token, three_tasks):
    args = ["--kind", "image2video", three_tasks[0], UNKNOWN, "bad-id-123"]
    result = run_cli(emulator, "--json", *args, token=token)
    assert result.returncode == 1
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["outcome"], r["error"]) for r in records] == [
        ("completed", None),
        ("lookup_error", "not found"),
        ("invalid_id", "not a task id: 10 characters, not 24; a task id is 24 hex characters"),
    ]


def test_the_summary_line_counts_lookup_errors_and_invalid_ids(emulator, token, three_tasks):
    result = run_cli(emulator, three_tasks[0], UNKNOWN, "bad-id-123", token=token)
    assert result.returncode == 1
    assert result.stdout.splitlines()[-1] == (
        "2 tasks: 1 completed, 0 failed, 0 running, 1 lookup error; "
        "and 1 piece that is not a task id"
    )


def test_a_dash_reads_ids_from_any_text_on_stdin(emulator, token, three_tasks):
    log = f"INFO started {three_tasks[0]}\nGET /api/v1/userImage2Video/{three_tasks[1]} 200\n"
    result = run_cli(emulator, "--json", "-", token=token, stdin=log)
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == list(three_tasks[:2])
    assert result.returncode == 0


def test_no_ids_is_a_usage_error(emulator, token):
    result = run_cli(emulator, token=token)
    assert result.returncode == 2
    assert "no task ids given" in result.stderr


def test_no_token_is_a_usage_error_naming_the_variable(emulator, three_tasks):
    result = run_cli(emulator, three_tasks[0])
    assert result.returncode == 2
    assert "A2E_API_TOKEN" in result.stderr
    assert result.stdout == ""


def test_a_rejected_token_stops_the_batch_after_one_request_with_one_message(emulator):
    ids = [emulator.add_task(status="completed") for _ in range(30)]
    emulator.clear_requests()
    secret = "sk_live_do_not_print_me"

    result = run_cli(emulator, "--json", *ids, token=secret)

    assert result.returncode == 1
    assert emulator.count_requests() == 1
    assert result.stderr == "the server rejected the token (HTTP 401): check A2E_API_TOKEN\n"
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in records] == ids
    assert {r["outcome"] for r in records} == {"lookup_error"}
    assert [r["error"] for r in records] == ["token rejected (HTTP 401)"] + [
        "not asked: the token was rejected"
    ] * 29
    assert secret not in result.stdout + result.stderr


def test_a_rejected_token_table_still_lists_every_id_and_sums_them_up(emulator):
    ids = [emulator.add_task(status="completed") for _ in range(3)]
    result = run_cli(emulator, *ids, "not-an-id-00", token="sk_wrong")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert [line.split()[:2] for line in lines[1:4]] == [[i, "lookup_error"] for i in ids]
    assert lines[-1] == (
        "3 tasks: 0 completed, 0 failed, 0 running, 3 lookup errors; "
        "and 1 piece that is not a task id"
    )
    assert result.stderr.count("\n") == 1


def test_a_token_rejected_in_a_200_answer_stops_the_batch_naming_the_a2e_code():
    with Emulator(auth_failure="code_200") as server:
        ids = [server.add_task(status="completed") for _ in range(5)]
        result = run_cli(server, *ids, token="sk_wrong")
        assert server.count_requests() == 1
    assert result.returncode == 1
    assert result.stderr == (
        "the server rejected the token (A2E code 1001: Invalid token: the API token is missing, "
        "wrong or revoked): check A2E_API_TOKEN\n"
    )


def test_an_unusable_token_is_refused_without_echoing_it(emulator, three_tasks):
    result = run_cli(emulator, three_tasks[0], token="sk_has space")
    assert result.returncode == 2
    assert "sk_has" not in result.stderr


def test_the_kind_option_asks_that_kinds_endpoint(emulator, token):
    task_id = emulator.add_task(kind="avatar_video", status="success", result=RESULT)
    result = run_cli(emulator, "--kind", "avatar_video", "--json", task_id, token=token)
    record = json.loads(result.stdout)
    assert (record["kind"], record["outcome"], record["status"]) == (
        "avatar_video",
        "completed",
        "success",
    )
    assert emulator.count_requests(path="/api/v1/video/detail") == 1
    assert emulator.count_requests(path="/api/v1/video/awsResult") == 0


def test_an_unknown_kind_is_a_usage_error(emulator, token):
    assert run_cli(emulator, "--kind", "nope", UNKNOWN, token=token).returncode == 2


def test_a_base_url_that_is_not_http_is_a_usage_error(emulator, token):
    result = run_cli(emulator, "--base-url", "ftp://x", UNKNOWN, token=token)
    assert result.returncode == 2
    assert "http" in result.stderr


def test_reasons_are_never_cut_in_a_pipe_even_with_a_narrow_columns_setting(emulator, token):
    message = "the source image has no face we could use; " * 8
    task_id = emulator.add_task(status="failed", failed_code="E7", failed_message=message)
    env_columns = {"COLUMNS": "60"}
    result = subprocess.run(
        [sys.executable, "-m", "a2e", "status", task_id],
        capture_output=True,
        text=True,
        env=cli_environment(emulator, token) | env_columns,
        timeout=60,
        check=False,
    )
    assert f"E7: {message.strip()}" in result.stdout
    assert "…" not in result.stdout


def test_auto_is_the_default_kind_and_each_row_says_the_kind_it_was_found_as(emulator, token):
    face = emulator.add_task(kind="face_swap", status="completed", result_url=RESULT)
    video = emulator.add_task(status="pending")
    result = run_cli(emulator, "--json", face, video, token=token)
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["id"], r["kind"], r["outcome"]) for r in records] == [
        (face, "face_swap", "completed"),
        (video, "image2video", "in_progress"),
    ]
    assert result.returncode == 0


def test_the_text_table_shows_a_kind_column_only_when_kinds_differ(emulator, token, three_tasks):
    face = emulator.add_task(kind="face_swap", status="completed", result_url=RESULT)
    mixed = run_cli(emulator, face, three_tasks[0], token=token).stdout.splitlines()
    assert mixed[0].split()[:4] == ["ID", "OUTCOME", "STATUS", "KIND"]
    assert [line.split()[3] for line in mixed[1:3]] == ["face_swap", "image2video"]
    same = run_cli(emulator, *three_tasks, token=token).stdout
    assert "KIND" not in same


def test_an_id_no_kind_knows_says_how_many_kinds_were_tried(emulator, token):
    result = run_cli(emulator, "--json", UNKNOWN, token=token)
    error = json.loads(result.stdout)["error"]
    assert error.startswith("not found as any of the ")
    assert error.endswith(" kinds tried")
    assert result.returncode == 1


def test_many_ids_of_one_kind_are_asked_in_batch_calls(emulator, token):
    ids = [emulator.add_task(kind="veo", status="completed") for _ in range(150)]
    emulator.clear_requests()

    result = run_cli(emulator, "--kind", "veo", "--json", *ids, token=token)

    assert result.returncode == 0, result.stderr
    assert [json.loads(line)["outcome"] for line in result.stdout.splitlines()] == [
        "completed"
    ] * 150
    # The first id alone (to stop at once if the token is rejected), then two batches.
    assert emulator.count_requests() == 3
    assert sorted(map(len, emulator.batch_calls("veo"))) == [49, 100]


def test_a_batch_size_the_command_cannot_use_is_a_usage_error(emulator, token, three_tasks):
    result = run_cli(emulator, *three_tasks, token=token, A2E_BATCH_SIZE="500")
    assert result.returncode == 2
    assert "A2E_BATCH_SIZE must be a whole number from 1 (batches off) to 200" in result.stderr
    assert emulator.count_requests() == 0
