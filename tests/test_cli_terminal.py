"""`python -m a2e status` on a real pseudo-terminal: lines fit its width, progress on stderr."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time

from wcwidth import width

from a2e.core.kinds import KINDS
from a2e.sandbox import Emulator
from tests.test_cli import cli_environment, run_cli

COLUMNS = 120


def open_terminal(columns: int) -> tuple[int, int]:
    """A pty pair whose window is ``columns`` wide (what ``shutil.get_terminal_size`` asks)."""
    controller, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    return controller, terminal


def read_until_closed(controller: int, timeout: float = 60) -> str:
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([controller], [], [], 0.5)
        if not ready:
            continue
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # Linux: every terminal end closed (the CLI exited)
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(controller)
    return b"".join(chunks).decode().replace("\r\n", "\n")


def run_on_terminal(
    emulator: Emulator,
    *args: str,
    token: str,
    stream: str,
    columns: int = COLUMNS,
    command: str = "status",
) -> tuple[int, str, str]:
    """Exit status, what the terminal showed, and what the other stream (a pipe) got."""
    controller, terminal = open_terminal(columns)
    env = cli_environment(emulator, token)
    env.pop("COLUMNS", None)
    env.pop("LINES", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "a2e", command, *args],
        stdin=subprocess.DEVNULL,
        stdout=terminal if stream == "stdout" else subprocess.PIPE,
        stderr=terminal if stream == "stderr" else subprocess.PIPE,
        env=env,
    )
    os.close(terminal)
    shown = read_until_closed(controller)
    stdout, stderr = process.communicate(timeout=60)
    piped = stderr if stream == "stdout" else stdout
    return process.returncode, shown, piped.decode()


def test_on_a_100_column_terminal_every_line_fits_and_long_reasons_wrap_whole(emulator, token):
    message = "the source image has no face we could use; " * 8
    failed = emulator.add_task(status="failed", failed_code="E7", failed_message=message)
    done = emulator.add_task(status="completed", name="Sneaker")

    status, shown, stderr = run_on_terminal(
        emulator, failed, done, token=token, stream="stdout", columns=100
    )

    lines = shown.splitlines()
    assert status == 0, stderr
    assert max(width(line) for line in lines) <= 100
    assert lines[1].startswith(f"{failed}  failed     failed")
    reason_column = lines[0].index("RESULT / REASON")
    done_row = next(i for i, line in enumerate(lines) if line.startswith(done))
    reason = " ".join(line[reason_column:] for line in lines[1:done_row])
    assert reason == f"E7: {message}".rstrip()
    assert "…" not in shown
    assert lines[-1] == "2 tasks: 1 completed, 1 failed, 0 running, 0 lookup errors"


def test_a_long_batch_shows_its_progress_on_a_terminal_and_clears_it(emulator, token):
    ids = [emulator.add_task(status="completed") for _ in range(60)]

    status, shown, stdout = run_on_terminal(emulator, "--json", *ids, token=token, stream="stderr")

    assert status == 0
    # Auto (the default) names the kind it asks: here the first, which knew every id.
    last = f"looked up 60 of 60… (asking as image2video, kind 1 of {len(KINDS)})"
    assert f"\r{last}" in shown
    assert shown.endswith("\r" + last + "\r" + " " * len(last) + "\r")
    assert len(stdout.splitlines()) == 60


def test_the_same_batch_through_a_pipe_has_no_progress_line(emulator, token):
    ids = [emulator.add_task(status="completed") for _ in range(60)]
    result = run_cli(emulator, "--json", *ids, token=token)
    assert result.returncode == 0
    assert result.stderr == ""
