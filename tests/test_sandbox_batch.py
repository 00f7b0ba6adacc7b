"""The emulator's batchDetail: every plausible shape, its faults, and its call log."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest

from a2e.core.kinds import KINDS
from a2e.sandbox import DEMO_TOKEN, Emulator
from a2e.sandbox.batch_answers import BATCH_SHAPES

I2V = "/api/v1/userImage2Video/batchDetail"
UNKNOWN = "0123456789abcdef01234567"


@pytest.fixture
def api(emulator: Emulator) -> Iterator[httpx.Client]:
    headers = {"Authorization": f"Bearer {DEMO_TOKEN}"}
    with httpx.Client(base_url=emulator.base_url, headers=headers, timeout=10) as client:
        yield client


def records_in(data: object) -> list[dict[str, object]]:
    """The records of a batch answer in any of the shapes the emulator serves."""
    if isinstance(data, list):
        return data
    assert isinstance(data, dict)
    for container in ("rows", "list"):
        if container in data:
            return data[container]
    return list(data.values())


@pytest.mark.parametrize("shape", BATCH_SHAPES)
def test_each_shape_carries_every_found_record_and_nothing_for_unknown_ids(emulator, api, shape):
    ids = [emulator.add_task(status="completed") for _ in range(5)]
    emulator.set_batch(shape)
    data = api.post(I2V, json={"ids": [*ids, UNKNOWN]}).json()["data"]
    assert sorted(str(r["_id"]) for r in records_in(data)) == sorted(ids)


def test_the_map_shape_is_keyed_by_id(emulator, api):
    task_id = emulator.add_task(status="pending")
    emulator.set_batch("map")
    data = api.post(I2V, json={"ids": [task_id]}).json()["data"]
    assert data[task_id]["_id"] == task_id


def test_records_come_in_no_promised_order(emulator, api):
    ids = [emulator.add_task(status="completed") for _ in range(12)]
    data = api.post(I2V, json={"ids": ids}).json()["data"]
    assert [r["_id"] for r in data] != ids
    assert sorted(r["_id"] for r in data) == sorted(ids)


def test_missing_ids_are_left_out_though_they_exist(emulator, api):
    kept, dropped = emulator.add_task(status="completed"), emulator.add_task(status="completed")
    emulator.set_batch(missing=[dropped])
    data = api.post(I2V, json={"ids": [kept, dropped]}).json()["data"]
    assert [r["_id"] for r in data] == [kept]


def test_foreign_records_are_added_for_ids_not_asked(emulator, api):
    asked = emulator.add_task(status="completed")
    emulator.add_task(status="completed")
    emulator.set_batch(foreign=1)
    data = api.post(I2V, json={"ids": [asked]}).json()["data"]
    assert len(data) == 2
    assert asked in {r["_id"] for r in data}


@pytest.mark.parametrize(
    ("refuse", "status", "content_type"),
    [
        ("not_found", 404, "text/html"),
        ("method_not_allowed", 405, "text/html"),
        ("html", 200, "text/html"),
    ],
)
def test_a_refused_batch_call_answers_html(emulator, api, refuse, status, content_type):
    emulator.set_batch(refuse=refuse)
    answer = api.post(I2V, json={"ids": [emulator.add_task()]})
    assert answer.status_code == status
    assert answer.headers["content-type"].startswith(content_type)


def test_an_unknown_shape_is_served_for_clients_to_refuse(emulator, api):
    emulator.set_batch("unknown")
    assert api.post(I2V, json={"ids": [emulator.add_task()]}).json()["data"] == "ok"


def test_a_slow_batch_call_is_slower_by_its_delay(emulator, api):
    emulator.set_batch(delay=0.4)
    started = time.monotonic()
    api.post(I2V, json={"ids": [emulator.add_task()]})
    assert time.monotonic() - started >= 0.4


def test_batch_calls_are_logged_with_the_ids_each_asked(emulator, api):
    first, second = emulator.add_task(), emulator.add_task()
    api.post(I2V, json={"ids": [first.upper(), second]})
    api.post(I2V, json={"ids": [second]})
    assert emulator.batch_calls("image2video") == [[first, second], [second]]
    assert emulator.count_requests(path=I2V) == 2
    emulator.clear_requests()
    assert emulator.batch_calls() == []


def test_ids_that_are_not_a_list_of_strings_get_400(api):
    assert api.post(I2V, json={"ids": "x"}).status_code == 400
    assert api.post(I2V, json={"ids": [1]}).status_code == 400


def test_clearing_faults_restores_the_default_batch_answer(emulator, api):
    task_id = emulator.add_task(status="completed")
    emulator.set_batch("rows", refuse="not_found")
    emulator.clear_faults()
    assert [r["_id"] for r in api.post(I2V, json={"ids": [task_id]}).json()["data"]] == [task_id]


BATCH_KINDS = [kind for kind in KINDS.values() if kind.batch_path is not None]


@pytest.mark.parametrize("kind", BATCH_KINDS, ids=lambda kind: kind.key)
@pytest.mark.parametrize("shape", BATCH_SHAPES)
def test_every_kind_with_a_batch_call_serves_each_shape(emulator, api, kind, shape):
    ids = [emulator.add_task(kind=kind.key, status="completed") for _ in range(3)]
    other = emulator.add_task(kind="dubbing" if kind.key != "dubbing" else "veo")
    emulator.set_batch(shape, kind=kind.key)
    data = api.post(kind.batch_path, json={"ids": [*ids, other]}).json()["data"]
    assert sorted(str(r["_id"]) for r in records_in(data)) == sorted(ids)
    assert emulator.batch_calls(kind.key) == [[*ids, other]]


@pytest.mark.parametrize("kind", BATCH_KINDS, ids=lambda kind: kind.key)
def test_every_kind_with_a_batch_call_can_refuse_it(emulator, api, kind):
    emulator.set_batch(kind=kind.key, refuse="not_found")
    assert api.post(kind.batch_path, json={"ids": [UNKNOWN]}).status_code == 404


def test_a_call_with_more_ids_than_the_kinds_maximum_gets_400(emulator, api):
    seedance = KINDS["seedance"]
    too_many = [f"{n:024x}" for n in range((seedance.batch_max or 0) + 1)]
    assert api.post(seedance.batch_path, json={"ids": too_many}).status_code == 400
    assert api.post(seedance.batch_path, json={"ids": too_many[:-1]}).status_code == 200


def test_kinds_without_a_batch_call_have_none(emulator, api):
    assert api.post("/api/v1/userDubbing/batchDetail", json={"ids": [UNKNOWN]}).status_code in (
        404,
        405,
    )
