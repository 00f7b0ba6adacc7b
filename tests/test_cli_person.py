"""The command line as a person meets it (issue 13): a fast start, the server named, every
piece of the input accounted for, ``recent`` shaped like ``status``."""

from __future__ import annotations

import json
import socket
import subprocess
import sys

from wcwidth import width

from a2e.sandbox import Fault
from tests.test_cli import cli_environment, run_cli
from tests.test_cli_terminal import run_on_terminal

A = "67e05299be53654994ccc58d"


def imported_by(*argv: str, env: dict[str, str] | None = None) -> set[str]:
    """Which of pandas and httpx a run of ``python -m a2e *argv`` imported."""
    script = (
        "import sys\n"
        "from a2e.cli import main\n"
        "try:\n"
        f"    main({list(argv)!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in ('pandas', 'httpx') if m in sys.modules), file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=60
    )
    return set(json.loads(done.stderr.strip().splitlines()[-1].replace("'", '"')))


def test_the_commands_are_listed_without_importing_what_they_use():
    assert imported_by("--help") == set()


def test_status_as_text_or_json_never_imports_pandas(emulator, token):
    task_id = emulator.add_task(status="completed")
    env = cli_environment(emulator, token)
    assert imported_by("status", task_id, env=env) == {"httpx"}
    assert imported_by("status", "--json", task_id, env=env) == {"httpx"}


def test_the_group_lists_each_commands_own_help():
    from a2e.cli.main import COMMANDS, LazyGroup, main

    assert isinstance(main, LazyGroup)
    for name, (_, short) in COMMANDS.items():
        command = main.get_command(None, name)  # type: ignore[arg-type]
        assert command is not None
        assert command.get_short_help_str(limit=200) == short


def test_help_names_the_server_in_effect_from_the_environment(emulator):
    env = cli_environment(emulator, None)
    for command in ("status", "recent"):
        done = subprocess.run(
            [sys.executable, "-m", "a2e", command, "--help"],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )
        flat = " ".join(done.stdout.split())
        assert f"in effect: {emulator.base_url}, from $A2E_BASE_URL" in flat
        assert "https://video.a2e.ai" not in flat


def test_a_server_that_cannot_be_reached_is_named(emulator, token):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = cli_environment(emulator, token) | {"A2E_BASE_URL": f"http://127.0.0.1:{port}"}
    result = subprocess.run(
        [sys.executable, "-m", "a2e", "status", "--json", A],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 1
    error = json.loads(result.stdout)["error"]
    assert error == f"could not connect to server http://127.0.0.1:{port}"


def test_a_cut_id_beside_ids_on_one_line_is_listed_back_never_dropped(emulator, token):
    first = emulator.add_task(status="completed")
    second = emulator.add_task(status="completed")
    result = run_cli(emulator, "-", token=token, stdin=f"{first} {second} 67e0df7f\n")
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines[1:4]] == [first, second, "67e0df7f"]
    assert "not a task id: 8 characters, not 24" in lines[3]
    assert lines[-1] == (
        "2 tasks: 2 completed, 0 failed, 0 running, 0 lookup errors; "
        "and 1 piece that is not a task id"
    )
    assert result.returncode == 1


def test_a_look_alike_letter_is_marked_where_it_stands(emulator, token):
    disguised = A[:9] + "\u0435" + A[10:]  # a Cyrillic е at position 10
    result = run_cli(emulator, "--json", disguised, token=token)
    (record,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert record["error"].startswith("not a task id: Cyrillic \u0435 at position 10")
    table = run_cli(emulator, disguised, token=token).stdout
    assert f"{A[:9]}⟦\u0435⟧{A[10:]}" in table
    assert emulator.count_requests() == 0 or A not in str(emulator.requests)


def test_recent_on_a_terminal_fits_its_width_and_closes_with_a_summary(emu):
    status, shown, stderr = run_on_terminal(
        emu, "--limit", "8", token=emu.token, stream="stdout", columns=100, command="recent"
    )
    lines = shown.splitlines()
    assert status == 0, stderr
    assert max(width(line) for line in lines) <= 100
    assert "…" not in shown
    assert lines[-1].startswith("8 tasks: ")


def test_a_failed_list_call_prints_no_empty_table(emu):
    emu.inject(Fault.BAD_GATEWAY_HTML)
    status, shown, stderr = run_on_terminal(emu, token=emu.token, stream="stdout", command="recent")
    assert status == 1
    assert "HTTP 502" in stderr
    assert shown.strip() == ""
