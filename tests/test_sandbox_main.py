"""`python -m a2e.sandbox` on an address it cannot use: one line naming it, exit 2, no traceback."""

from __future__ import annotations

import errno
import socket
import subprocess
import sys

import pytest

from a2e.sandbox.__main__ import bind_problem


def run_sandbox(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "a2e.sandbox", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_port_in_use_is_named_in_one_line_with_exit_status_2():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_sandbox("--port", str(port))
    assert result.returncode == 2
    assert result.stderr == (
        f"python -m a2e.sandbox: port {port} is in use: choose another with --port\n"
    )
    assert result.stdout == ""


def test_a_host_that_is_not_this_machines_is_named_in_one_line():
    result = run_sandbox("--host", "192.0.2.1", "--port", "0")  # TEST-NET-1: never local
    assert result.returncode == 2
    assert result.stderr.startswith("python -m a2e.sandbox: cannot listen on host 192.0.2.1 (")
    assert result.stderr.endswith("): choose another with --host\n")
    assert result.stderr.count("\n") == 1


def test_a_port_out_of_range_is_a_usage_error_without_a_traceback():
    result = run_sandbox("--port", "70000")
    assert result.returncode == 2
    assert "port 70000 is out of range (0 to 65535)" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (
            socket.gaierror(socket.EAI_NONAME, "Name or service not known"),
            "host no-such.invalid is not a known name or address: choose another with --host",
        ),
        (
            PermissionError(errno.EACCES, "Permission denied"),
            "port 80 needs privileges this user lacks: choose another with --port",
        ),
        (
            OSError(errno.EAFNOSUPPORT, "Address family not supported by protocol"),
            "cannot listen on host no-such.invalid (Address family not supported by protocol): "
            "choose another with --host",
        ),
    ],
)
def test_each_bind_error_says_which_option_to_change(error, message):
    assert bind_problem("no-such.invalid", 80, error) == message


def test_a_host_with_control_characters_is_shown_escaped_on_one_line():
    problem = bind_problem("bad\nhost", 8765, OSError(errno.EADDRNOTAVAIL, "Cannot assign"))
    assert problem == (
        "cannot listen on host 'bad\\nhost' (Cannot assign): choose another with --host"
    )
