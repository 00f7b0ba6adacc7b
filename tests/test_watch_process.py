"""The watcher as a process of its own: ``kill -9`` mid-delivery, a second watcher, the logs."""

from __future__ import annotations

import signal
from collections.abc import Iterator

import pytest

from a2e.core.kinds import KINDS, kinds_in_family
from a2e.sandbox import Emulator
from tests.watch_support import SECRET, Receiver, state_number, wait_for, watch_process

FAST = ["--interval", "0.3s", "--retry-delays", "0.5s,1s,2s,4s,8s"]


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    """An emulator of our own whose tasks move only when a test says (its clock stands still)."""
    with Emulator(clock=lambda: 0.0) as fresh:
        yield fresh


def delivered(state) -> int:
    return state_number(state, "SELECT COUNT(*) FROM announcements WHERE state = 'delivered'")


def test_kill_9_mid_delivery_then_a_restart_loses_nothing_and_repeats_no_message_id(
    emulator, tmp_path
):
    ids = [emulator.add_task(status="completed", name=f"Clip {n}") for n in range(3)]
    receiver = Receiver(hold=5.0, hold_first=1).start()
    state = tmp_path / "watch.sqlite"
    args = [*ids, "--notify", receiver.webhook_url, "--digest", "0", *FAST]
    first = watch_process(emulator, state, *args)
    try:
        wait_for(lambda: len(receiver.got) == 1, what="the first delivery to start")
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        assert delivered(state) == 0
        second = watch_process(emulator, state, *args, "--until-done")
        assert second.wait(timeout=60) == 0, second.stderr.read()
    finally:
        first.kill()
        receiver.stop()
    verified = receiver.verified()
    tasks_by_message: dict[str, set[str]] = {}
    for message_id, payload in verified:
        tasks_by_message.setdefault(message_id, set()).add(payload["data"]["id"])
    assert sorted(task for tasks in tasks_by_message.values() for task in tasks) == sorted(ids)
    assert all(len(tasks) == 1 for tasks in tasks_by_message.values())
    assert len(verified) <= len(ids) + 1  # only the one cut short is sent again, with its id
    assert delivered(state) == len(ids)


def test_a_second_watcher_on_the_same_state_refuses_with_a_clear_message(emulator, tmp_path):
    receiver = Receiver().start()
    state = tmp_path / "watch.sqlite"
    first = watch_process(emulator, state, "--notify", receiver.json_url, "--interval", "1h")
    try:
        wait_for(lambda: (tmp_path / "watch.sqlite.lock").exists() and delivered(state) == 0)
        wait_for(lambda: (tmp_path / "watch.sqlite.lock").read_text().strip() == str(first.pid))
        second = watch_process(emulator, state, "--notify", receiver.json_url)
        assert second.wait(timeout=30) == 3
        message = second.stderr.read()
        assert (
            f"another watcher (pid {first.pid}) is already using the state watch.sqlite" in message
        )
        assert first.poll() is None
    finally:
        first.terminate()
        first.wait(timeout=30)
        receiver.stop()
    assert first.returncode == 0


def test_target_urls_secrets_and_the_token_never_reach_the_log(emulator, tmp_path):
    task_id = emulator.add_task(status="completed", name="Done")
    refusing = Receiver(status=403).start()
    secret_path_url = f"webhook+http://127.0.0.1:{refusing.port}/hooks/s3cretpath"
    json_url = f"json://alice:hunter2pw@127.0.0.1:{refusing.port}/notify/s3cretjson"
    process = watch_process(
        emulator,
        tmp_path / "w.sqlite",
        task_id,
        "--until-done",
        "--notify",
        secret_path_url,
        "--notify",
        json_url,
        *FAST,
    )
    try:
        assert process.wait(timeout=60) == 1
    finally:
        refusing.stop()
    log = process.stderr.read() + process.stdout.read()
    assert "refused with HTTP 403" in log
    assert "webhook+http://127.0.0.1" in log
    for secret in (
        "s3cretpath",
        "hunter2pw",
        emulator.token,
        SECRET,
        SECRET.removeprefix("whsec_"),
    ):
        assert secret not in log


def test_a_file_that_is_not_a_state_is_refused_and_left_as_it_was(emulator, tmp_path):
    state = tmp_path / "notes.txt"
    state.write_text("my notes, not a database\n" * 100)
    process = watch_process(emulator, state, "--notify", "json://127.0.0.1:9/x")
    assert process.wait(timeout=30) == 2
    assert "cannot be used (file is not a database)" in process.stderr.read()
    assert state.read_text() == "my notes, not a database\n" * 100


def test_a_new_state_is_readable_by_its_owner_only(emulator, tmp_path):
    state = tmp_path / "w.sqlite"
    process = watch_process(
        emulator, state, "--notify", "json://127.0.0.1:9/x", emulator.demo_ids()[0], "--until-done",
        "--retry-delays", "0.1s",
    )  # fmt: skip
    assert process.wait(timeout=60) == 1
    assert state.stat().st_mode & 0o777 == 0o600


def test_following_a_family_reads_the_lists_of_its_kinds_only(emulator, tmp_path):
    state = tmp_path / "watch.sqlite"
    polls = "SELECT COUNT(*) FROM meta WHERE key = 'last_poll'"
    process = watch_process(
        emulator, state, "--kind", "video", "--notify", "json://127.0.0.1:9/x", "--interval", "1h"
    )
    try:
        wait_for(lambda: state.exists() and state_number(state, polls) == 1, what="a poll")
    finally:
        process.terminate()
        process.wait(timeout=30)
    every_list = {kind.list_path for kind in KINDS.values()}
    listed = {path for _, path, _ in emulator.request_log() if path in every_list}
    assert listed == {KINDS[key].list_path for key in kinds_in_family("video")}
