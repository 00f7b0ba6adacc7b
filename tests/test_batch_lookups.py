"""The client's batchDetail calls against the emulator over loopback: every answer shape, every
fault, the sizes, the fallbacks to one id at a time, and what the breaker and the meter count."""

from __future__ import annotations

import logging
import threading
import time

import pytest

from a2e.api.batching import BatchSupport, parse_batch_size
from a2e.api.meter import Meter, not_sent
from a2e.core.kinds import KINDS
from a2e.core.model import LookupCause, TaskOutcome
from a2e.sandbox import Emulator, Fault
from a2e.sandbox.batch_answers import BATCH_SHAPES
from tests.conftest import make_client

UNKNOWN = "0123456789abcdef01234567"
I2V = "/api/v1/userImage2Video/batchDetail"
BATCH_KINDS = [kind.key for kind in KINDS.values() if kind.batch_path is not None]


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 5_000.0

    def __call__(self) -> float:
        return self.now


def completed(
    emulator: Emulator, count: int, kind: str = "image2video", word: str = "completed"
) -> list[str]:
    ids = [emulator.add_task(kind=kind, status=word, name=f"n{n}") for n in range(count)]
    emulator.clear_requests()
    return ids


def detail_calls(emulator: Emulator) -> int:
    return sum(1 for request in emulator.request_log() if request.task_id is not None)


@pytest.mark.parametrize("shape", BATCH_SHAPES)
def test_each_answer_shape_is_read_and_matched_by_id_in_one_call(emulator, client, token, shape):
    ids = completed(emulator, 12)
    emulator.set_batch(shape)

    tasks = client.lookup_many(token, ids)

    assert [task.id for task in tasks] == ids
    assert [task.name for task in tasks] == [f"n{n}" for n in range(12)]  # not by position
    assert emulator.count_requests() == 1
    assert emulator.batch_calls() == [ids]


@pytest.mark.parametrize("kind", BATCH_KINDS)
def test_every_kind_with_a_batch_call_is_asked_in_one(emulator, client, token, kind):
    ids = completed(emulator, 3, kind)

    tasks = client.lookup_many(token, ids, kind)

    assert {task.outcome for task in tasks} == {TaskOutcome.COMPLETED}
    assert emulator.batch_calls(kind) == [ids]
    assert emulator.count_requests() == 1


def test_avatar_video_asks_its_detail_calls_and_no_batch(emulator, client, token):
    ids = completed(emulator, 3, "avatar_video", word="success")

    tasks = client.lookup_many(token, ids, "avatar_video")

    assert {task.outcome for task in tasks} == {TaskOutcome.COMPLETED}
    assert emulator.batch_calls() == []
    assert detail_calls(emulator) == 3


def test_an_id_missing_from_the_answer_is_asked_alone_so_not_found_stays_exact(
    emulator, client, token
):
    ids = completed(emulator, 5)
    emulator.set_batch(missing=[ids[2]])

    tasks = client.lookup_many(token, [*ids, UNKNOWN])

    assert [task.outcome for task in tasks[:5]] == [TaskOutcome.COMPLETED] * 5
    assert tasks[5].error_cause is LookupCause.NOT_FOUND
    assert tasks[5].error == "not found"  # the detail call's own answer
    assert emulator.count_requests(task_id=ids[2]) == 1
    assert emulator.count_requests(task_id=UNKNOWN) == 1
    assert emulator.count_requests() == 3


def test_records_of_ids_not_asked_are_ignored_and_logged_once(emulator, client, token, caplog):
    ids = completed(emulator, 4)
    emulator.set_batch(foreign=3)

    with caplog.at_level(logging.WARNING, logger="a2e.api"):
        first = client.lookup_many(token, ids[:2])
        second = client.lookup_many(token, ids[2:])

    assert [task.id for task in first + second] == ids
    said = [r for r in caplog.records if "not asked" in r.getMessage()]
    assert len(said) == 1
    assert "image2video" in said[0].getMessage()


@pytest.mark.parametrize("refusal", ["not_found", "method_not_allowed", "html"])
def test_a_refused_batch_call_costs_one_request_then_ids_go_alone(emulator, token, refusal):
    ids = completed(emulator, 30)
    emulator.set_batch(refuse=refusal)
    with make_client(emulator.base_url) as client:
        first = client.lookup_many(token, ids)
        emulator.clear_requests()
        again = client.lookup_many(token, ids)

    assert {task.outcome for task in first + again} == {TaskOutcome.COMPLETED}
    assert emulator.count_requests(path=I2V) == 0  # the second lookup sends no batch at all
    assert detail_calls(emulator) == 30


def test_an_unreadable_answer_costs_one_request_per_kind_and_never_a_wrong_answer(
    emulator, client, token
):
    ids = completed(emulator, 250)
    emulator.set_batch("unknown")

    tasks = client.lookup_many(token, ids)

    assert {task.outcome for task in tasks} == {TaskOutcome.COMPLETED}
    assert emulator.count_requests(path=I2V) == 1  # the probe: the other batches waited for it
    assert detail_calls(emulator) == 250


def test_a_refused_kind_is_tried_again_after_ten_minutes(emulator, token):
    ids = completed(emulator, 10)
    emulator.set_batch(refuse="not_found")
    clock = Clock()
    with make_client(emulator.base_url) as client:
        client.batches = BatchSupport(clock)
        client.lookup_many(token, ids)
        clock.now += 599
        client.lookup_many(token, ids)
        emulator.clear_faults()
        assert emulator.count_requests(path=I2V) == 1
        clock.now += 2
        client.lookup_many(token, ids)

    assert emulator.count_requests(path=I2V) == 2
    assert client.batches.mode("image2video").value == "batch"  # the retry worked


def test_one_kind_refusing_leaves_the_others_batched(emulator, client, token):
    sora, veo = completed(emulator, 4, "sora"), completed(emulator, 4, "veo")
    emulator.set_batch(kind="sora", refuse="not_found")

    client.lookup_many(token, sora, "sora")
    client.lookup_many(token, veo, "veo")

    assert emulator.batch_calls("veo") == [veo]
    assert emulator.count_requests(path="/api/v1/veoVideo/batchDetail") == 1


def test_concurrent_lookups_of_an_unknown_kind_send_one_probe(emulator, token):
    ids = completed(emulator, 80)
    emulator.set_batch(refuse="not_found", delay=0.3)
    with make_client(emulator.base_url) as client:
        threads = [
            threading.Thread(target=client.lookup_many, args=(token, ids[n::4])) for n in range(4)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert emulator.count_requests(path=I2V) == 1
    assert detail_calls(emulator) == 80


def test_batches_carry_at_most_the_batch_size_and_the_kinds_maximum(emulator, token):
    i2v, qwen = completed(emulator, 250), completed(emulator, 250, "qwen_image")
    with make_client(emulator.base_url, batch_size=200) as client:
        client.lookup_many(token, i2v)  # image to video states no maximum: 100 assumed
        client.lookup_many(token, qwen, "qwen_image")  # documented: up to 200
    with make_client(emulator.base_url, batch_size=60) as client:
        client.lookup_many(token, qwen[:130], "qwen_image")

    assert sorted(len(ids) for ids in emulator.batch_calls("image2video")) == [50, 100, 100]
    assert [len(ids) for ids in emulator.batch_calls("qwen_image")][:2] in ([200, 50], [50, 200])
    assert sorted(len(ids) for ids in emulator.batch_calls("qwen_image")[2:]) == [10, 60, 60]


def test_a_batch_size_of_one_asks_every_id_alone(emulator, token):
    ids = completed(emulator, 5)
    with make_client(emulator.base_url, batch_size=1) as client:
        client.lookup_many(token, ids)
    assert emulator.batch_calls() == []
    assert detail_calls(emulator) == 5


def test_several_batches_are_asked_at_once(emulator, client, token):
    ids = completed(emulator, 500)
    client.lookup_many(token, ids[:2])  # the kind's call is known to work: no probe
    emulator.set_batch(delay=0.6)
    started = time.monotonic()

    tasks = client.lookup_many(token, ids)

    elapsed = time.monotonic() - started
    assert {task.outcome for task in tasks} == {TaskOutcome.COMPLETED}
    assert len(emulator.batch_calls()) == 1 + 5
    assert elapsed < 5 * 0.6 / 2  # one after another: 3 s


def test_a_failed_batch_is_the_failure_of_each_id_and_opens_the_breaker(emulator, client, token):
    ids = completed(emulator, 500)
    emulator.inject(Fault.SERVER_ERROR)

    tasks = client.lookup_many(token, ids)

    assert all(task.error_cause is LookupCause.SERVER for task in tasks)
    asked = [task for task in tasks if not (task.error or "").startswith("not asked")]
    assert len(asked) == 100  # the first batch: each of its ids failed
    assert emulator.count_requests() == 3  # that one batch, tried three times
    assert client.batches.mode("image2video").value == "probe"  # a failing server taught nothing


def test_a_batch_that_times_out_fails_each_id_within_one_timeout(emulator, token):
    ids = completed(emulator, 40)
    emulator.inject(Fault.HANG)
    started = time.monotonic()
    with make_client(emulator.base_url, timeout=1.0) as client:
        tasks = client.lookup_many(token, ids)

    assert {task.error for task in tasks} == {"timed out after 1 s"}
    assert emulator.count_requests() == 1
    assert time.monotonic() - started < 4


def test_a_rejected_token_is_checked_once_alone_then_rejects_every_id(emulator, client):
    ids = completed(emulator, 20)

    tasks = client.lookup_many("sk_wrong", ids)

    assert {task.error_cause for task in tasks} == {LookupCause.TOKEN}
    assert emulator.count_requests() == 2  # the batch call, then its first id alone
    assert client.batches.mode("image2video").value == "probe"


def test_a_batch_call_that_rejects_a_token_the_detail_call_takes_is_refused(
    emulator, client, token
):
    ids = completed(emulator, 6)
    emulator.inject(Fault.AUTH_FAILURE, times=1)  # only the batch call is rejected

    tasks = client.lookup_many(token, ids)

    assert {task.outcome for task in tasks} == {TaskOutcome.COMPLETED}
    assert client.batches.mode("image2video").value == "single"


def test_a_batch_is_charged_to_the_meter_once(emulator, client, token):
    ids = completed(emulator, 150)
    meter = Meter()

    client.lookup_many(token, ids, meter=meter)

    assert meter.calls == emulator.count_requests() == 2


def test_a_budget_that_refuses_the_batch_sends_nothing_and_says_not_asked(emulator, client, token):
    ids = completed(emulator, 10)
    meter = Meter(lambda: "the budget is spent")

    tasks = client.lookup_many(token, ids, meter=meter)

    assert all(not_sent(task) for task in tasks)
    assert emulator.count_requests() == 0
    assert client.batches.mode("image2video").value == "probe"


def test_searching_leaves_ids_a_batch_left_out_unconfirmed_and_asks_nothing_more(
    emulator, client, token
):
    ids = completed(emulator, 3)

    found = dict(client.iter_lookups(token, [*ids, UNKNOWN], exact=False))

    assert found[UNKNOWN].error_cause is LookupCause.NOT_FOUND
    assert "batch answer" in (found[UNKNOWN].error or "")
    assert emulator.count_requests() == 1


@pytest.mark.parametrize(
    ("text", "size"), [(None, 100), ("", 100), ("1", 1), ("200", 200), (" 150 ", 150)]
)
def test_the_batch_size_setting_reads_whole_numbers_from_1_to_200(text, size):
    assert parse_batch_size(text) == size


@pytest.mark.parametrize("text", ["0", "201", "ten", "-5", "1.5"])
def test_a_batch_size_it_cannot_use_says_what_it_takes(text):
    with pytest.raises(ValueError, match="A2E_BATCH_SIZE must be a whole number from 1"):
        parse_batch_size(text)
