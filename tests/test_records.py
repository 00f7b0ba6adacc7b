"""Reading A2E answers and task records into Tasks, with no I/O."""

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from a2e.api.answers import read_answer
from a2e.api.errors import (
    BadAnswer,
    LookupFailed,
    RateLimited,
    ServerFailed,
    TaskNotFound,
    TokenRejected,
)
from a2e.api.records import http_url, task_from_data, timestamp
from a2e.core.kinds import get_kind
from a2e.core.model import TaskOutcome

# A copy of shared/fixtures/image2video_completed.json, the example answer in A2E's docs.
FIXTURE = Path(__file__).parent / "data" / "image2video_completed.json"
TASK_ID = "67d29023dd27a536fdf6e809"
I2V = get_kind("image2video")


def fixture_payload() -> dict:
    return json.loads(FIXTURE.read_text())


def test_the_documented_completed_answer_becomes_a_completed_task_with_every_field():
    payload = fixture_payload()
    envelope = read_answer(200, json.dumps(payload).encode())
    task = task_from_data(I2V, TASK_ID, envelope.data, envelope.trace_id)
    assert task.outcome is TaskOutcome.COMPLETED
    assert task.status == "completed"
    assert task.name == "Test name"
    assert task.coins == 100
    assert task.created_at == datetime(2025, 3, 13, 7, 58, 27, 863000, tzinfo=UTC)
    assert task.result_url == payload["data"]["result_url"]
    assert task.image_url == payload["data"]["image_url"]
    assert task.prompt.startswith("the person is speaking")
    assert task.failed_code is None
    assert task.failed_message is None
    assert task.trace_id == "f53cfb3c-1a42-4f07-b8e3-5020244b1e04"
    assert '"_id": "67d29023dd27a536fdf6e809"' in task.raw_json


@pytest.mark.parametrize(
    ("word", "outcome"),
    [
        ("completed", TaskOutcome.COMPLETED),
        ("failed", TaskOutcome.FAILED),
        ("fail", TaskOutcome.FAILED),
        ("error", TaskOutcome.FAILED),
        ("FAILED", TaskOutcome.FAILED),
        ("sent", TaskOutcome.IN_PROGRESS),
        ("pending", TaskOutcome.IN_PROGRESS),
        ("initialized", TaskOutcome.IN_PROGRESS),
        ("something_new", TaskOutcome.IN_PROGRESS),
    ],
)
def test_status_words_map_to_outcomes_and_the_raw_word_is_kept(word, outcome):
    task = task_from_data(I2V, TASK_ID, {"_id": TASK_ID, "current_status": word}, None)
    assert (task.outcome, task.status) == (outcome, word)


def test_a_failed_task_keeps_its_code_and_message():
    data = {"current_status": "failed", "failed_code": "E1", "failed_message": "no face"}
    task = task_from_data(I2V, TASK_ID, data, "t")
    assert (task.outcome, task.failed_code, task.failed_message) == (
        TaskOutcome.FAILED,
        "E1",
        "no face",
    )
    assert task.error is None


def test_face_swap_failure_fields_are_read_with_their_odd_spelling():
    data = {"current_status": "failed", "error_code": 7, "faild_message": "bad face"}
    task = task_from_data(get_kind("face_swap"), TASK_ID, data, None)
    assert (task.failed_code, task.failed_message) == ("7", "bad face")


def test_avatar_video_reads_the_first_item_of_its_list():
    data = [{"_id": TASK_ID, "status": "process", "process": 40, "result": "", "msg": ""}]
    task = task_from_data(get_kind("avatar_video"), TASK_ID, data, None)
    assert (task.outcome, task.status, task.progress, task.result_url) == (
        TaskOutcome.IN_PROGRESS,
        "process",
        40,
        None,
    )


def test_avatar_video_success_and_fail_words():
    kind = get_kind("avatar_video")
    done = task_from_data(kind, TASK_ID, [{"status": "success", "result": "https://x/v.mp4"}], None)
    failed = task_from_data(kind, TASK_ID, [{"status": "fail", "msg": "lip sync failed"}], None)
    assert (done.outcome, done.result_url) == (TaskOutcome.COMPLETED, "https://x/v.mp4")
    assert (failed.outcome, failed.failed_message) == (TaskOutcome.FAILED, "lip sync failed")


def test_an_empty_list_or_null_data_means_not_found():
    with pytest.raises(TaskNotFound):
        task_from_data(get_kind("avatar_video"), TASK_ID, [], None)
    with pytest.raises(TaskNotFound):
        task_from_data(I2V, TASK_ID, None, None)


def test_wrong_types_are_coerced_when_clear_and_dropped_otherwise():
    data = {
        "current_status": "completed",
        "coins": "100",
        "createdAt": 1741852707863,
        "name": 123,
        "prompt": {"not": "text"},
        "result_url": "javascript:alert(1)",
        "image_url": ["https://x/y.png"],
        "unknown_extra": True,
    }
    task = task_from_data(I2V, TASK_ID, data, None)
    assert task.coins == 100
    assert task.created_at == datetime(2025, 3, 13, 7, 58, 27, 863000, tzinfo=UTC)
    assert task.name == "123"
    assert task.prompt is None
    assert task.result_url is None
    assert task.image_url is None


def test_a_record_without_a_status_is_a_lookup_error_that_keeps_its_fields():
    task = task_from_data(I2V, TASK_ID, {"_id": TASK_ID, "name": "kept"}, "t")
    assert task.outcome is TaskOutcome.LOOKUP_ERROR
    assert task.error == "answer had no status"
    assert task.name == "kept"


def test_an_answer_for_another_task_is_not_believed():
    other = "ffffffffffffffffffffffff"
    with pytest.raises(BadAnswer, match="another task"):
        task_from_data(I2V, TASK_ID, {"_id": other, "current_status": "completed"}, None)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-03-13T07:58:27.863Z", datetime(2025, 3, 13, 7, 58, 27, 863000, tzinfo=UTC)),
        ("2025-03-13T08:58:27+01:00", datetime(2025, 3, 13, 7, 58, 27, tzinfo=UTC)),
        ("2025-03-13T07:58:27", datetime(2025, 3, 13, 7, 58, 27, tzinfo=UTC)),
        (1741852707, datetime(2025, 3, 13, 7, 58, 27, tzinfo=UTC)),
        ("1741852707", datetime(2025, 3, 13, 7, 58, 27, tzinfo=UTC)),
        ("yesterday", None),
        (None, None),
        (True, None),
        (1e300, None),
    ],
)
def test_created_at_is_read_from_iso_text_or_epoch_numbers(value, expected):
    assert timestamp(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://cdn.example.com/v.mp4", "https://cdn.example.com/v.mp4"),
        ("http://127.0.0.1:8000/media/a.png", "http://127.0.0.1:8000/media/a.png"),
        ("javascript:alert(1)", None),
        ("data:text/html,<script>", None),
        ("//evil.example/x", None),
        ("https://", None),
        ("https://x.example/a b", None),
        (42, None),
    ],
)
def test_only_absolute_http_urls_are_kept(value, expected):
    assert http_url(value) == expected


def test_http_401_and_403_are_token_rejections():
    with pytest.raises(TokenRejected, match=r"token rejected \(HTTP 401\)"):
        read_answer(401, b'{"code": 401, "msg": "invalid token"}')
    with pytest.raises(TokenRejected, match=r"HTTP 403"):
        read_answer(403, b"<html>Forbidden</html>")


def test_http_200_with_a_token_error_code_is_a_token_rejection():
    with pytest.raises(TokenRejected, match="token rejected") as caught:
        read_answer(200, b'{"code": 1001, "msg": "Token is invalid", "trace_id": "t1"}')
    assert caught.value.trace_id == "t1"


def test_http_404_with_an_html_body_is_not_found():
    with pytest.raises(TaskNotFound, match=r"^not found$"):
        read_answer(404, b"<!DOCTYPE html><pre>Cannot GET /api/v1/userImage2Video/x</pre>")


def test_http_502_html_page_is_a_server_failure_naming_the_status():
    with pytest.raises(ServerFailed, match=r"^HTTP 502 from server \(HTML error page\)$"):
        read_answer(502, b"<html><body><h1>502 Bad Gateway</h1></body></html>")


def test_http_429_carries_the_retry_after():
    with pytest.raises(RateLimited) as caught:
        read_answer(429, b"{}", retry_after=3)
    assert caught.value.retry_after == 3


def test_a_non_json_200_answer_is_a_bad_answer():
    with pytest.raises(BadAnswer, match=r"^answer was not valid JSON$"):
        read_answer(200, b"<html>maintenance</html>")


def test_a_json_answer_without_a_code_is_not_a2es_envelope():
    with pytest.raises(BadAnswer, match="not in A2E's format"):
        read_answer(200, b'["a", "b"]')


def test_a_non_zero_code_keeps_the_message_and_trace_id():
    with pytest.raises(ServerFailed, match="A2E code 1003: task query failed") as caught:
        read_answer(200, b'{"code": 1003, "message": "task query failed", "trace_id": "t9"}')
    assert caught.value.trace_id == "t9"


def test_a_number_too_large_for_a_float_is_dropped_not_a_crash():
    huge = 10**400
    data = {"current_status": "completed", "coins": huge, "name": huge, "createdAt": huge}
    task = task_from_data(I2V, TASK_ID, data, None)
    assert (task.coins, task.name, task.created_at) == (None, None, None)


def test_a_date_at_the_edge_of_the_calendar_is_dropped_not_a_crash():
    assert timestamp("0001-01-01T00:00:00+01:00") is None
    assert timestamp("9999-12-31T23:59:59-01:00") is None


def test_numeric_text_must_be_a_plain_decimal_number():
    data = {"current_status": "completed", "coins": "1_000", "createdAt": "١٢٣"}
    task = task_from_data(I2V, TASK_ID, data, None)
    assert (task.coins, task.created_at) == (None, None)


def test_very_long_text_fields_are_shortened():
    task = task_from_data(I2V, TASK_ID, {"current_status": "sent", "name": "n" * 100_000}, None)
    assert len(task.name) == 4_000
    assert task.name.endswith("…")


def test_deeply_nested_json_is_not_valid_json_rather_than_a_crash():
    with pytest.raises(BadAnswer, match="not valid JSON"):
        read_answer(200, b"[" * 100_000)


@pytest.mark.parametrize("code", [False, 0.0, None, "ok"])
def test_only_the_number_zero_means_success(code):
    with pytest.raises(LookupFailed):
        read_answer(200, json.dumps({"code": code, "msg": "?", "data": {}}).encode())


def test_a_message_merely_mentioning_an_author_is_not_a_token_rejection():
    with pytest.raises(ServerFailed):
        read_answer(200, b'{"code": 1003, "msg": "author field missing"}')
