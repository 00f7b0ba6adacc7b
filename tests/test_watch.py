"""The watcher against the emulator over loopback, announcing to real receivers on loopback."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from standardwebhooks.webhooks import Webhook

from a2e.core.kinds import KINDS
from a2e.notify.send import signer
from a2e.notify.targets import parse_target
from a2e.sandbox import Emulator
from a2e.views.kind_choice import kinds_of_choice
from a2e.watch import ledger
from a2e.watch.db import SCHEMA, open_state
from a2e.watch.loop import Watcher, WatchSettings
from tests.conftest import make_client
from tests.watch_support import (
    SECRET,
    Receiver,
    ThreadedWatcher,
    run_until_done,
    started,
    state_number,
    wait_for,
)

FAST_DELAYS = (0.2, 0.4, 0.8, 1.6, 3.2)


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    """An emulator of our own whose tasks move only when a test says (its clock stands still)."""
    with Emulator(clock=lambda: 0.0) as fresh:
        yield fresh


@pytest.fixture
def json_receiver() -> Iterator[Receiver]:
    receiver = Receiver().start()
    yield receiver
    receiver.stop()


@pytest.fixture
def hook_receiver() -> Iterator[Receiver]:
    receiver = Receiver().start()
    yield receiver
    receiver.stop()


def make_watcher(
    emulator: Emulator,
    state: Path,
    urls: list[str],
    redis_url: str | None = None,
    **settings: object,
) -> Watcher:
    options: dict[str, object] = {"interval": 0.3, "retry_delays": FAST_DELAYS, **settings}
    return Watcher(
        state,
        WatchSettings(**options),  # type: ignore[arg-type]
        make_client(emulator.base_url),
        emulator.token,
        [parse_target(url) for url in urls],
        signer=signer(SECRET),
        redis_url=redis_url,
    )


def fail(emulator: Emulator, task_id: str) -> None:
    emulator.set_task(
        task_id,
        current_status="failed",
        failed_code="face_not_detected",
        failed_message="No face was detected in the source image. Use a clear, front-facing photo.",
    )


def test_each_finish_is_announced_once_to_a_json_receiver_and_a_signed_webhook(
    emulator, tmp_path, json_receiver, hook_receiver
):
    ok = emulator.add_task(status="pending", name="Portrait #11")
    bad = emulator.add_task(status="pending", name="Portrait #12")
    urls = [json_receiver.json_url, hook_receiver.webhook_url]
    state = tmp_path / "s.sqlite"
    watcher = ThreadedWatcher(make_watcher(emulator, state, urls, ids=(ok, bad))).start()
    try:
        emulator.set_task(ok, current_status="completed")
        fail(emulator, bad)
        wait_for(lambda: len(hook_receiver.got) == 2 and len(json_receiver.got) == 2, what="2+2")
    finally:
        watcher.stop()
    with started(make_watcher(emulator, state, urls, ids=(ok, bad), until_done=True)) as again:
        for _ in range(3):
            again.poll()
        assert again.run(threading.Event()) == 0
    assert len(json_receiver.got) == 2
    verified = hook_receiver.verified()
    assert len({message_id for message_id, _ in verified}) == 2
    by_id = {payload["data"]["id"]: payload for _, payload in verified}
    assert by_id[bad]["type"] == "task.failed"
    assert by_id[bad]["data"]["failed_code"] == "face_not_detected"
    assert by_id[ok]["data"]["result_urls"]
    lines = {body["message"] for body in json_receiver.bodies()}
    assert any(
        line.startswith("Failed: Portrait #12 (image to video) — face_not_detected: No face")
        for line in lines
    )
    assert any(line.startswith("Completed: Portrait #11 (image to video)") for line in lines)


def test_an_id_already_final_at_start_is_announced_and_until_done_ends_with_0(
    emulator, tmp_path, json_receiver
):
    done = emulator.add_task(status="completed", name="Old one")
    watcher = make_watcher(
        emulator, tmp_path / "s.sqlite", [json_receiver.json_url], ids=(done,), until_done=True
    )
    assert run_until_done(watcher) == 0
    assert [body["message"].split(" — ")[0] for body in json_receiver.bodies()] == [
        "Completed: Old one (image to video)"
    ]


def test_following_takes_the_first_reading_as_baseline_and_announces_later_finishes(
    emulator, tmp_path, json_receiver
):
    running_before = emulator.add_task(status="pending", name="Running at start")
    watcher = ThreadedWatcher(
        make_watcher(
            emulator, tmp_path / "s.sqlite", [json_receiver.json_url], kinds=("image2video",)
        )
    ).start()
    try:
        wait_for(lambda: emulator.count_requests(path="/api/v1/userImage2Video/allRecords") >= 2)
        assert json_receiver.got == []
        started_later = emulator.add_task(status="pending", name="Started later")
        wait_for(lambda: emulator.count_requests(path="/api/v1/userImage2Video/allRecords") >= 4)
        emulator.set_task(running_before, current_status="completed")
        fail(emulator, started_later)
        emulator.add_task(status="completed", name="Done between polls")
        wait_for(lambda: len(json_receiver.got) == 3, what="three announcements")
    finally:
        watcher.stop()
    names = sorted(
        body["message"].split(":")[1].split("(")[0].strip() for body in json_receiver.bodies()
    )
    assert names == ["Done between polls", "Running at start", "Started later"]


def test_only_failed_leaves_completed_tasks_unannounced(emulator, tmp_path, json_receiver):
    ok = emulator.add_task(status="completed", name="Fine")
    bad = emulator.add_task(status="pending", name="Broken")
    fail(emulator, bad)
    watcher = make_watcher(
        emulator,
        tmp_path / "s.sqlite",
        [json_receiver.json_url],
        ids=(ok, bad),
        only_failed=True,
        until_done=True,
    )
    assert run_until_done(watcher) == 0
    assert [body["type"] for body in json_receiver.bodies()] == ["failure"]


def test_many_finishes_in_one_poll_become_one_digest_per_target_failures_first(
    emulator, tmp_path, json_receiver, hook_receiver
):
    ids = [emulator.add_task(status="pending", name=f"Clip {n}") for n in range(12)]
    urls = [json_receiver.json_url, hook_receiver.webhook_url]
    watcher = make_watcher(emulator, tmp_path / "s.sqlite", urls, ids=tuple(ids), until_done=True)
    with started(watcher):
        watcher.poll()
        for task_id in ids[:10]:
            emulator.set_task(task_id, current_status="completed")
        fail(emulator, ids[10])
        fail(emulator, ids[11])
        watcher.poll()
        wait_for(lambda: len(json_receiver.got) == 1 and len(hook_receiver.got) == 1)
    message = json_receiver.bodies()[0]["message"]
    assert message.startswith("10 completed, 2 failed:\nFailed: Clip")
    ((_, digest),) = hook_receiver.verified()
    assert digest["type"] == "tasks.digest"
    assert len(digest["data"]["tasks"]) == 12


def test_a_4xx_is_given_up_at_once_and_a_5xx_or_429_is_tried_again(emulator, tmp_path):
    refusing, flaky = Receiver(status=404).start(), Receiver(statuses=[500, 429]).start()
    task_id = emulator.add_task(status="completed", name="Done")
    state = tmp_path / "s.sqlite"
    watcher = make_watcher(
        emulator, state, [refusing.json_url, flaky.webhook_url], ids=(task_id,), until_done=True
    )
    try:
        assert run_until_done(watcher) == 1
    finally:
        refusing.stop()
        flaky.stop()
    assert len(refusing.got) == 1
    assert len(flaky.got) == 3
    assert len({request.headers["webhook-id"] for request in flaky.got}) == 1
    rows = (
        open_state(state)
        .execute("SELECT state, attempts, last_error FROM announcements")
        .fetchall()
    )
    assert sorted((r["state"], r["attempts"], r["last_error"]) for r in rows) == [
        (ledger.DELIVERED, 3, None),
        (ledger.GIVEN_UP, 1, "refused with HTTP 404"),
    ]


def attempts_of(state: Path) -> int:
    return state_number(state, "SELECT COALESCE(SUM(attempts), 0) FROM announcements")


def test_a_receiver_down_for_a_while_gets_everything_once_it_is_back(emulator, tmp_path):
    """The real schedule, its waits scaled down: the receiver is down for several retries, for
    a signed webhook and an Apprise target alike, and nothing is given up."""
    receiver = Receiver().start()
    receiver.stop()
    ids = [emulator.add_task(status="pending", name=f"Clip {n}") for n in range(3)]
    state = tmp_path / "s.sqlite"
    delays = (0.5, 1.0, 2.0, 4.0, 8.0, 16.0)
    watcher = make_watcher(
        emulator, state, [receiver.webhook_url, receiver.json_url], ids=tuple(ids), digest=0,
        retry_delays=delays,
    )  # fmt: skip
    threaded = ThreadedWatcher(watcher).start()
    try:
        for task_id in ids:
            emulator.set_task(task_id, current_status="completed")
        wait_for(lambda: attempts_of(state) >= 6 * 3, what="three failed tries each")
        receiver.start()
        wait_for(lambda: len(receiver.got) == 6, what="everything, once back")
    finally:
        threaded.stop()
        receiver.stop()
    assert sorted(payload["data"]["id"] for _, payload in webhooks(receiver)) == sorted(ids)
    messages = [r.json()["message"] for r in receiver.got if r.path == "/notify"]
    assert sorted(message.split(" — ")[0] for message in messages) == [
        f"Completed: Clip {n} (image to video)" for n in range(3)
    ]
    assert state_number(state, "SELECT COUNT(*) FROM announcements WHERE state = 'delivered'") == 6


def webhooks(receiver: Receiver) -> list[tuple[str, object]]:
    """The signed requests a receiver got, each verified."""
    signed = [r for r in receiver.got if r.path == "/hooks"]
    return [(r.headers["webhook-id"], Webhook(SECRET).verify(r.body, r.headers)) for r in signed]


def test_a_poke_makes_the_watcher_ask_at_once_between_polls(emulator, tmp_path, json_receiver):
    from a2e.watch.pokes import poke

    task_id = emulator.add_task(status="pending", name="Poked")
    state = tmp_path / "s.sqlite"
    watcher = make_watcher(emulator, state, [json_receiver.json_url], ids=(task_id,), interval=3600)
    threaded = ThreadedWatcher(watcher).start()
    try:
        wait_for(lambda: emulator.count_requests(task_id=task_id) == 1, what="the first poll")
        emulator.set_task(task_id, current_status="completed")
        assert poke(state, [task_id.upper(), "not-an-id"]) == 1
        wait_for(lambda: len(json_receiver.got) == 1, timeout=10, what="the poked finish")
    finally:
        threaded.stop()
    assert emulator.count_requests(task_id=task_id) == 2
    assert json_receiver.bodies()[0]["message"].startswith("Completed: Poked (image to video)")


def test_a2e_unreachable_is_announced_once_backed_off_and_recovered_and_nothing_is_lost(
    emulator, tmp_path, json_receiver
):
    from a2e.sandbox.faults import Fault

    running = emulator.add_task(status="pending", name="Finished during the outage")
    watcher = make_watcher(
        emulator,
        tmp_path / "s.sqlite",
        [json_receiver.json_url],
        kinds=("image2video",),
        interval=0.2,
    )
    with started(watcher):
        assert watcher.poll().next_in == 0.2
        emulator.inject(Fault.SERVER_ERROR)
        reports = [watcher.poll() for _ in range(4)]
        emulator.set_task(running, current_status="completed")
        emulator.clear_faults()
        back = [watcher.poll(), watcher.poll()]
        wait_for(lambda: len(json_receiver.got) == 3, what="trouble, the finish, recovery")
    assert [report.trouble for report in reports] == ["unreachable"] * 4
    assert [report.next_in for report in reports] == [0.4, 0.8, 1.6, 3.2]
    assert [(report.trouble, report.next_in) for report in back] == [(None, 0.2)] * 2
    trouble, finish, recovery = (body["message"] for body in json_receiver.bodies())
    assert trouble.startswith("A2E unreachable since ")
    assert finish.startswith("Completed: Finished during the outage (image to video)")
    assert recovery.startswith("A2E answers again (unreachable ")


def readme_receiver() -> str:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    section = readme.split("## Notifications", 1)[1]
    return section.split("```python\n", 1)[1].split("```", 1)[0]


def test_the_readmes_receiver_verifies_a_real_announcement_and_drops_its_retry(
    emulator, tmp_path, hook_receiver, monkeypatch
):
    monkeypatch.setenv("A2E_NOTIFY_WEBHOOK_SECRET", SECRET)
    hook_receiver.statuses = [503]
    task_id = emulator.add_task(status="completed", name="Done")
    watcher = make_watcher(
        emulator, tmp_path / "s.sqlite", [hook_receiver.webhook_url], ids=(task_id,),
        until_done=True,
    )  # fmt: skip
    assert run_until_done(watcher) == 0
    namespace: dict[str, object] = {"os": __import__("os")}
    exec(readme_receiver(), namespace)  # the README's own code
    receive = namespace["receive"]
    first, retry = hook_receiver.got
    assert receive(first.body, first.headers) == 200
    assert receive(retry.body, retry.headers) == 200
    assert namespace["seen_ids"] == {first.headers["webhook-id"]}
    assert receive(first.body.replace(b"Done", b"Fake"), first.headers) == 400


def test_a_rejected_token_is_announced_once_even_across_a_restart_and_so_is_the_recovery(
    emulator, tmp_path, json_receiver
):
    from a2e.sandbox.faults import Fault

    state, urls = tmp_path / "s.sqlite", [json_receiver.json_url]
    emulator.inject(Fault.AUTH_FAILURE)
    with started(make_watcher(emulator, state, urls, kinds=("image2video",))) as first:
        troubles = [first.poll().trouble for _ in range(3)]
        wait_for(lambda: len(json_receiver.got) == 1, what="the trouble")
    with started(make_watcher(emulator, state, urls, kinds=("image2video",))) as again:
        troubles += [again.poll().trouble for _ in range(2)]
        emulator.clear_faults()
        troubles.append(again.poll().trouble)
        wait_for(lambda: len(json_receiver.got) == 2, what="the recovery")
    assert troubles == ["token"] * 5 + [None]
    trouble, recovery = (body["message"] for body in json_receiver.bodies())
    assert trouble.startswith("A2E rejects the watcher's token since")
    assert recovery.startswith("A2E answers again (token rejected ")


def test_a_poke_published_on_redis_reaches_a_watcher_listening_there(
    emulator, tmp_path, json_receiver, redis_server
):
    import redis

    from a2e.watch.redis_pokes import POKE_CHANNEL, publish_poke

    task_id = emulator.add_task(status="pending", name="Poked through Redis")
    watcher = make_watcher(
        emulator,
        tmp_path / "s.sqlite",
        [json_receiver.json_url],
        redis_server.url,
        ids=(task_id,),
        interval=3600,
    )
    threaded = ThreadedWatcher(watcher).start()
    listeners = redis.Redis.from_url(redis_server.url)
    try:
        wait_for(lambda: emulator.count_requests(task_id=task_id) == 1, what="the first poll")
        wait_for(lambda: listeners.pubsub_numsub(POKE_CHANNEL)[0][1] == 1, what="a listener")
        emulator.set_task(task_id, current_status="completed")
        assert publish_poke(redis_server.url, [task_id], "image2video") == 1
        wait_for(lambda: len(json_receiver.got) == 1, timeout=10, what="the poked finish")
    finally:
        threaded.stop()
    assert emulator.count_requests(task_id=task_id) == 2


def test_a_state_reused_for_other_ids_asks_only_about_those(emulator, tmp_path, json_receiver):
    followed = emulator.add_task(status="pending", name="Followed before")
    named = emulator.add_task(status="pending", name="Named now")
    state = tmp_path / "s.sqlite"
    urls = [json_receiver.json_url]
    with started(make_watcher(emulator, state, urls, kinds=("image2video",))) as first:
        first.poll()
    emulator.clear_requests()
    with started(make_watcher(emulator, state, urls, ids=(named,))) as second:
        second.poll()
    assert emulator.count_requests(task_id=named) == 1
    assert emulator.count_requests(task_id=followed) == 0


def test_the_history_keeps_when_each_status_was_first_seen(emulator, tmp_path, json_receiver):
    from a2e.watch.history import status_times

    task_id = emulator.add_task(status="sent", name="Moving")
    state = tmp_path / "s.sqlite"
    urls = [json_receiver.json_url]
    with started(make_watcher(emulator, state, urls, ids=(task_id,))) as watcher:
        watcher.poll()
        emulator.set_task(task_id, current_status="pending")
        watcher.poll()
        watcher.poll()
        emulator.set_task(task_id, current_status="completed")
        watcher.poll()
    seen = status_times(state, task_id)
    assert [status for status, _ in seen] == ["sent", "pending", "completed"]
    assert seen[0][1] <= seen[1][1] <= seen[2][1]


def test_ids_asked_as_a_family_are_looked_up_as_its_kinds_only(emulator, tmp_path, json_receiver):
    image_kinds = kinds_of_choice("image")
    nano = emulator.add_task(kind="nano_banana", status="completed", name="Product set")
    veo = emulator.add_task(kind="veo", status="completed", name="Not an image")
    watcher = make_watcher(
        emulator, tmp_path / "s.sqlite", [json_receiver.json_url],
        ids=(nano, veo), id_kinds=image_kinds, until_done=True,
    )  # fmt: skip
    assert run_until_done(watcher) == 0
    lines = sorted(body["message"] for body in json_receiver.bodies())
    assert lines[0].startswith("Completed: Product set (nano banana)")
    tried = len(image_kinds)
    assert lines[1].startswith(f"Not found: {veo} — not found as any of the {tried} kinds tried")
    families = {KINDS[kind].family for kind in kinds_asked(emulator)}
    assert families == {"image"}


def kinds_asked(emulator: Emulator) -> set[str]:
    """The kinds whose calls the emulator received (by each kind's detail path's prefix)."""
    prefixes = {kind.path.split("{")[0]: key for key, kind in KINDS.items()}
    return {
        key for _, path, _ in emulator.request_log()
        for prefix, key in prefixes.items() if path.startswith(prefix)
    }  # fmt: skip


def test_every_result_link_is_announced_signed_and_kept_in_the_history(
    emulator, tmp_path, json_receiver, hook_receiver
):
    from a2e.watch.history import read_history

    nano = emulator.demo_ids("nano_banana")[0]  # three images
    links = make_client(emulator.base_url).lookup(emulator.token, nano, "nano_banana").result_urls
    state = tmp_path / "s.sqlite"
    urls = [json_receiver.json_url, hook_receiver.webhook_url]
    watcher = make_watcher(emulator, state, urls, ids=(nano,), until_done=True)
    assert run_until_done(watcher) == 0
    assert len(links) == 3
    assert json_receiver.bodies()[0]["message"].splitlines()[1:] == list(links)
    ((_, payload),) = hook_receiver.verified()
    assert payload["data"]["result_urls"] == list(links)
    (kept,) = read_history(state, ["nano_banana"]).tasks
    assert kept.result_urls == links


def test_a_followed_kind_this_server_cannot_list_is_a_note_not_trouble(
    emulator, tmp_path, json_receiver, caplog
):
    from a2e.watch.db import get_meta

    emulator.without_call(KINDS["veo"].list_path or "")
    running = emulator.add_task(status="pending", name="Listed kind")
    watcher = make_watcher(
        emulator, tmp_path / "s.sqlite", [json_receiver.json_url], kinds=("image2video", "veo")
    )
    with started(watcher):
        with caplog.at_level(logging.WARNING, logger="a2e.watch"):
            reports = [watcher.poll() for _ in range(3)]
        unlisted = get_meta(watcher.db, "unlisted")
        emulator.set_task(running, current_status="completed")
        emulator.clear_faults()
        watcher.poll()
        wait_for(lambda: len(json_receiver.got) == 1, what="the listed kind's finish")
        listed_again = get_meta(watcher.db, "unlisted")
    assert [report.trouble for report in reports] == [None] * 3
    assert unlisted == ["veo"]
    notes = [r.getMessage() for r in caplog.records if "not available" in r.getMessage()]
    assert notes == ["Veo 3.1: the list call is not available on this server: its tasks are not "
                     "followed (name their ids)"]  # fmt: skip
    assert json_receiver.bodies()[0]["message"].startswith("Completed: Listed kind")
    assert listed_again == []


def test_a_watcher_following_only_kinds_the_server_cannot_list_is_not_in_trouble(
    emulator, tmp_path, json_receiver
):
    emulator.without_call(KINDS["veo"].list_path or "")
    state = tmp_path / "s.sqlite"
    watcher = make_watcher(emulator, state, [json_receiver.json_url], kinds=("veo",))
    with started(watcher):
        troubles = [watcher.poll().trouble for _ in range(3)]
    assert troubles == [None] * 3
    assert state_number(state, "SELECT COUNT(*) FROM announcements") == 0


def test_a_second_watcher_on_the_same_state_by_another_path_refuses(emulator, tmp_path):
    from a2e.watch.db import StateLocked

    state = tmp_path / "s.sqlite"
    (tmp_path / "elsewhere").mkdir()
    link = tmp_path / "elsewhere" / "link.sqlite"
    link.symlink_to(state)
    urls = ["json://127.0.0.1:9/x"]
    with started(make_watcher(emulator, state, urls, kinds=("image2video",))):
        second = make_watcher(emulator, link, urls, kinds=("image2video",))
        with pytest.raises(StateLocked, match=r"already using the state s\.sqlite"):
            second.start()


def test_a_state_written_before_result_links_were_kept_is_read_and_upgraded(tmp_path):
    import sqlite3

    from a2e.watch.history import read_history

    state = tmp_path / "old.sqlite"
    old = sqlite3.connect(state)
    old.executescript(SCHEMA.replace("result_urls TEXT, ", ""))
    old.execute(
        "INSERT INTO tasks (id, kind, outcome, result_url, first_seen, last_seen) VALUES "
        "('0123456789abcdef01234567', 'image2video', 'completed', 'https://cdn.example.com/a.mp4',"
        " 0, 0)"
    )
    old.commit()
    old.close()
    (before,) = read_history(state, ["image2video"]).tasks
    open_state(state).close()
    (after,) = read_history(state, ["image2video"]).tasks
    assert before.result_urls == after.result_urls == ("https://cdn.example.com/a.mp4",)
    columns = {row[1] for row in sqlite3.connect(state).execute("PRAGMA table_info(tasks)")}
    assert "result_urls" in columns


def test_a_courier_survives_an_unexpected_error_and_delivers_on_its_next_try(
    emulator, tmp_path, json_receiver, caplog
):
    from a2e.notify.send import send

    calls = []

    def sender(target, message, webhook_signer):  # a library failing the way no server can
        calls.append(message.message_id)
        if len(calls) == 1:
            raise RuntimeError(f"cannot reach {target.url}")
        return send(target, message, webhook_signer)

    done = emulator.add_task(status="completed", name="Done")
    watcher = Watcher(
        tmp_path / "s.sqlite",
        WatchSettings(ids=(done,), interval=0.3, retry_delays=FAST_DELAYS),
        make_client(emulator.base_url),
        emulator.token,
        [parse_target(json_receiver.json_url)],
        sender=sender,
    )
    with caplog.at_level(logging.ERROR, logger="a2e.watch"):
        threaded = ThreadedWatcher(watcher).start()
        try:
            wait_for(lambda: len(json_receiver.got) == 1, timeout=15, what="the second try")
        finally:
            threaded.stop()
    assert len(calls) == 2
    assert len(set(calls)) == 1
    assert json_receiver.bodies()[0]["message"].startswith("Completed: Done")
    assert f"delivery to {parse_target(json_receiver.json_url).label} " in caplog.text
    assert "failed unexpectedly (RuntimeError)" in caplog.text
    assert "cannot reach" not in caplog.text  # the error's text may hold the URL
