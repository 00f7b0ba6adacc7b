"""Tasks as JSON for the shared cache: every field survives, nothing else gets through."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime

import pytest

from a2e.cache.codec import MAX_VALUE_BYTES, decode, encode
from a2e.core.model import LookupCause, Task, TaskOutcome

TASK_ID = "67d29023dd27a536fdf6e809"
EVERY_FIELD = Task(
    id=TASK_ID,
    kind="face_swap",
    outcome=TaskOutcome.LOOKUP_ERROR,
    status="processing",
    name="Ünïcode name 🎬",
    image_url="https://cdn.example.com/a.png",
    result_urls=("https://cdn.example.com/a.mp4", "https://cdn.example.com/b.png"),
    prompt="a prompt",
    negative_prompt="blurry",
    coins=12.5,
    created_at=datetime(2026, 11, 23, 16, 7, tzinfo=UTC),
    failed_code="E1",
    failed_message="why",
    progress=0.4,
    trace_id="trace-1",
    error="server answered 503",
    error_cause=LookupCause.SERVER,
    http_status=503,
    raw_json='{"a": 1}',
    fetched_at=datetime(2026, 11, 27, 5, 0, tzinfo=UTC),
)


def encoded(task: Task = EVERY_FIELD) -> dict:
    value = encode(task, 1000.0)
    assert value is not None
    return json.loads(value)


def test_every_field_survives_a_round_trip():
    value = encode(EVERY_FIELD, 1234.5)
    assert value is not None
    task, stored_at = decode(value, TASK_ID, "face_swap")
    assert task == EVERY_FIELD
    assert task.result_urls == ("https://cdn.example.com/a.mp4", "https://cdn.example.com/b.png")
    assert task.result_url == "https://cdn.example.com/a.mp4"
    assert task.fetched_at == EVERY_FIELD.fetched_at
    assert stored_at == 1234.5


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", 42),
        ("coins", "12"),
        ("coins", True),
        ("http_status", 503.5),
        ("outcome", "exploded"),
        ("error_cause", "gremlins"),
        ("created_at", "2026-11-23T16:07:00"),
        ("fetched_at", None),
        ("id", None),
        ("result_urls", "https://cdn.example.com/a.mp4"),
        ("result_urls", [1, 2]),
    ],
)
def test_a_value_with_a_wrong_field_counts_as_no_entry(field, value):
    tampered = encoded()
    tampered["task"][field] = value
    assert decode(json.dumps(tampered).encode(), TASK_ID, "face_swap") is None


@pytest.mark.parametrize(
    "raw",
    [b"", b"not json", b"\x80\x04\x95pickle", b"[]", b'{"v": 1}', b"NaN", b'{"v": 3, "task": {}}'],
)
def test_unreadable_values_count_as_no_entry(raw):
    assert decode(raw, TASK_ID, "face_swap") is None


def test_a_value_stored_before_tasks_had_several_results_counts_as_no_entry():
    older = encoded()
    older["v"] = 2
    del older["task"]["result_urls"]
    assert decode(json.dumps(older).encode(), TASK_ID, "face_swap") is None


def test_not_a_number_is_refused():
    value = encode(EVERY_FIELD, 1.0)
    assert value is not None
    assert b'"coins":12.5' in value
    tampered = value.replace(b'"coins":12.5', b'"coins":NaN')
    assert decode(tampered, TASK_ID, "face_swap") is None


def test_a_value_about_another_id_or_kind_counts_as_no_entry():
    value = encode(EVERY_FIELD, 1.0)
    assert value is not None
    assert decode(value, "0123456789abcdef01234567", "face_swap") is None
    assert decode(value, TASK_ID, "image2video") is None


def test_values_larger_than_the_cap_are_neither_stored_nor_read():
    huge = Task(
        id=TASK_ID, kind="face_swap", outcome=TaskOutcome.COMPLETED, raw_json="x" * MAX_VALUE_BYTES
    )
    assert encode(huge, 1.0) is None
    assert decode(b" " * (MAX_VALUE_BYTES + 1), TASK_ID, "face_swap") is None


def test_every_task_field_has_a_codec_so_none_is_dropped_on_the_way_through_a_store():
    from a2e.cache.codec import FIELD_CODECS

    declared = {field.name: str(field.type) for field in dataclasses.fields(Task)}
    assert {name: kind for name, kind in declared.items() if kind not in FIELD_CODECS} == {}


def test_a_task_with_every_field_set_comes_back_whole():
    moment = datetime(2026, 11, 27, 5, 0, tzinfo=UTC)
    values = {
        "str": "x",
        "str | None": "text",
        "float | None": 12.5,
        "int | None": 502,
        "datetime": moment,
        "datetime | None": moment,
        "TaskOutcome": TaskOutcome.FAILED,
        "LookupCause | None": LookupCause.SERVER,
        "tuple[str, ...]": ("a note", "another"),
    }
    fields = {field.name: values[str(field.type)] for field in dataclasses.fields(Task)}
    fields |= {"id": "67d29023dd27a536fdf6e809", "kind": "image2video"}
    task = Task(**fields)

    encoded = encode(task, stored_at=1.5)
    assert encoded is not None
    decoded = decode(encoded, task.id, task.kind)

    assert decoded is not None
    assert decoded[0] == task
    assert decoded[0].fetched_at == task.fetched_at
    assert decoded[1] == 1.5
