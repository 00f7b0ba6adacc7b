"""The support bundle and the CSV / JSON exports: exact text, safe cells, no token (no I/O)."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

import pytest

from a2e.core.model import LookupCause, Task, TaskOutcome
from a2e.ui.connection_model import Connection, TokenSource
from a2e.views.export import (
    RECORD_FIELDS,
    task_record,
    tasks_to_csv,
    tasks_to_json,
    tasks_to_json_lines,
)
from a2e.views.support import support_bundle

TOKEN = "sk_live_4f9c2b7e1a3d5f6a8b0c9d2e4f6a8b0c"
CREATED = datetime(2025, 3, 13, 7, 58, 27, 863000, tzinfo=UTC)
FETCHED = datetime(2025, 3, 13, 8, 0, 0, tzinfo=UTC)

FAILED = Task(
    id="67d29023dd27a536fdf6e809",
    kind="image2video",
    outcome=TaskOutcome.FAILED,
    status="failed",
    name="Beach walk",
    image_url="https://cdn.example.com/in.png",
    prompt="the person is speaking",
    coins=100.0,
    created_at=CREATED,
    failed_code="E1001",
    failed_message="face not detected",
    trace_id="f53cfb3c-1a42-4f07-b8e3-5020244b1e04",
    raw_json='{"_id": "67d29023dd27a536fdf6e809"}',
    fetched_at=FETCHED,
)
LOOKUP = Task(
    id="67d29023dd27a536fdf6e80a",
    kind="image2video",
    outcome=TaskOutcome.LOOKUP_ERROR,
    status="processing",
    error="server answered HTTP 502",
    error_cause=LookupCause.SERVER,
    http_status=502,
    trace_id="trace-502",
    fetched_at=FETCHED,
)
COMPLETED = Task(
    id="67d29023dd27a536fdf6e80b",
    kind="image2video",
    outcome=TaskOutcome.COMPLETED,
    status="completed",
    name="Café au lait",
    coins=20.5,
    progress=1.0,
    result_url="https://cdn.example.com/out.mp4",
    created_at=CREATED,
    fetched_at=FETCHED,
)


def test_the_support_bundle_of_a_failed_task_lists_what_support_needs_exactly():
    assert support_bundle(FAILED, "https://video.a2e.ai") == (
        "A2E task support bundle\n"
        "task id:        67d29023dd27a536fdf6e809\n"
        "kind:           Image to video (image2video)\n"
        "server:         https://video.a2e.ai\n"
        "status:         failed\n"
        "outcome:        failed\n"
        "failed_code:    E1001\n"
        "failed_message: face not detected\n"
        "trace_id:       f53cfb3c-1a42-4f07-b8e3-5020244b1e04\n"
        "created at:     2025-03-13 07:58:27 UTC\n"
        "looked up at:   2025-03-13 08:00:00 UTC\n"
    )


def test_the_support_bundle_of_a_failed_lookup_gives_the_error_and_http_status():
    assert support_bundle(LOOKUP, "https://video.a2e.ai") == (
        "A2E task support bundle\n"
        "task id:        67d29023dd27a536fdf6e80a\n"
        "kind:           Image to video (image2video)\n"
        "server:         https://video.a2e.ai\n"
        "status:         processing\n"
        "outcome:        lookup_error\n"
        "trace_id:       trace-502\n"
        "looked up at:   2025-03-13 08:00:00 UTC\n"
        "lookup error:   server answered HTTP 502\n"
        "HTTP status:    502\n"
    )


def test_the_support_bundle_of_a_completed_task_gives_its_result_url():
    bundle = support_bundle(COMPLETED, "https://video.a2e.com.cn")
    assert bundle.splitlines()[-1] == "result_url:     https://cdn.example.com/out.mp4"


def test_an_unknown_kind_is_named_by_its_key_alone():
    task = Task(id=FAILED.id, kind="mystery", outcome=TaskOutcome.IN_PROGRESS, status="sent")
    assert "kind:           mystery\n" in support_bundle(task, "https://video.a2e.ai")


def test_the_support_bundle_never_contains_the_token_nor_private_task_fields():
    connection = Connection("https://video.a2e.ai", TOKEN, TokenSource.VIEWER)
    task = Task(
        id=FAILED.id,
        kind="image2video",
        outcome=TaskOutcome.FAILED,
        status="failed",
        name=f"name {TOKEN}",
        prompt=f"prompt {TOKEN}",
        negative_prompt=f"negative {TOKEN}",
        image_url=f"https://cdn.example.com/{TOKEN}.png",
        raw_json=f'{{"token": "{TOKEN}"}}',
        fetched_at=FETCHED,
    )
    bundle = support_bundle(task, connection.base_url)
    assert TOKEN not in bundle
    assert bundle == (
        "A2E task support bundle\n"
        "task id:        67d29023dd27a536fdf6e809\n"
        "kind:           Image to video (image2video)\n"
        "server:         https://video.a2e.ai\n"
        "status:         failed\n"
        "outcome:        failed\n"
        "looked up at:   2025-03-13 08:00:00 UTC\n"
    )


def test_a_task_record_has_every_field_in_record_fields_order():
    assert list(task_record(FAILED)) == list(RECORD_FIELDS)


def test_a_task_record_holds_json_safe_values():
    assert task_record(LOOKUP) == {
        "id": "67d29023dd27a536fdf6e80a",
        "kind": "image2video",
        "outcome": "lookup_error",
        "status": "processing",
        "error": "server answered HTTP 502",
        "error_cause": "server",
        "name": None,
        "created_at": None,
        "updated_at": None,
        "finished_at": None,
        "coins": None,
        "progress": None,
        "image_url": None,
        "result_url": None,
        "result_urls": [],
        "failed_code": None,
        "failed_message": None,
        "trace_id": "trace-502",
        "http_status": 502,
        "prompt": None,
        "negative_prompt": None,
        "fetched_at": "2025-03-13T08:00:00+00:00",
    }


def test_a_task_record_writes_times_as_iso_text_and_whole_coins_as_integers():
    record = task_record(FAILED)
    assert record["created_at"] == "2025-03-13T07:58:27.863000+00:00"
    assert record["coins"] == 100
    assert type(record["coins"]) is int
    assert task_record(COMPLETED)["coins"] == 20.5


def test_a_task_record_accepts_coins_given_as_an_int():
    task = Task(id=FAILED.id, kind="image2video", outcome=TaskOutcome.FAILED, coins=100)
    assert task_record(task)["coins"] == 100


def test_json_export_parses_and_keeps_the_order_given():
    parsed = json.loads(tasks_to_json([COMPLETED, FAILED, LOOKUP]))
    assert [record["id"] for record in parsed] == [COMPLETED.id, FAILED.id, LOOKUP.id]
    assert parsed[0] == task_record(COMPLETED)


def test_json_export_keeps_non_ascii_text_as_written():
    assert '"name": "Café au lait"' in tasks_to_json([COMPLETED])


def test_json_lines_export_has_one_object_per_line_in_order():
    lines = tasks_to_json_lines([LOOKUP, FAILED]).splitlines()
    assert [json.loads(line)["id"] for line in lines] == [LOOKUP.id, FAILED.id]


def test_exporting_nothing_gives_an_empty_array_and_a_header_only_csv():
    assert json.loads(tasks_to_json([])) == []
    assert tasks_to_json_lines([]) == ""
    assert tasks_to_csv([]) == ",".join(RECORD_FIELDS) + "\n"


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_export_round_trips_through_a_csv_reader_in_order():
    rows = read_csv(tasks_to_csv([COMPLETED, FAILED, LOOKUP]))
    assert [row["id"] for row in rows] == [COMPLETED.id, FAILED.id, LOOKUP.id]
    assert rows[1]["failed_code"] == "E1001"
    assert rows[1]["coins"] == "100"
    assert rows[0]["coins"] == "20.5"
    assert rows[2]["http_status"] == "502"
    assert rows[2]["name"] == ""


def test_csv_export_keeps_commas_quotes_and_newlines_inside_one_cell():
    task = Task(
        id=FAILED.id,
        kind="image2video",
        outcome=TaskOutcome.FAILED,
        failed_message='bad input, "face"\nsecond line',
    )
    (row,) = read_csv(tasks_to_csv([task]))
    assert row["failed_message"] == 'bad input, "face"\nsecond line'


@pytest.mark.parametrize(
    ("text", "cell"),
    [
        ('=HYPERLINK("https://evil.example","x")', '\'=HYPERLINK("https://evil.example","x")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("plain name", "plain name"),
        ("a=1", "a=1"),
    ],
)
def test_csv_export_defuses_cells_a_spreadsheet_would_run_as_formulas(text, cell):
    task = Task(id=FAILED.id, kind="image2video", outcome=TaskOutcome.COMPLETED, name=text)
    (row,) = read_csv(tasks_to_csv([task]))
    assert row["name"] == cell


def test_csv_export_defuses_formulas_in_every_text_column():
    task = Task(
        id=FAILED.id,
        kind="image2video",
        outcome=TaskOutcome.FAILED,
        status="=status",
        failed_code="-1",
        failed_message="+message",
        prompt="@prompt",
        fetched_at=FETCHED,
    )
    (row,) = read_csv(tasks_to_csv([task]))
    assert [row[name] for name in ("status", "failed_code", "failed_message", "prompt")] == [
        "'=status",
        "'-1",
        "'+message",
        "'@prompt",
    ]


def test_csv_export_leaves_negative_numbers_as_numbers():
    task = Task(id=FAILED.id, kind="image2video", outcome=TaskOutcome.COMPLETED, coins=-5.0)
    (row,) = read_csv(tasks_to_csv([task]))
    assert row["coins"] == "-5"


def test_a_multi_line_message_stays_on_one_line_of_the_support_bundle():
    task = Task(
        id=FAILED.id,
        kind="image2video",
        outcome=TaskOutcome.FAILED,
        failed_message="boom\ntrace_id: forged",
    )
    bundle = support_bundle(task, "https://video.a2e.ai")
    assert "failed_message: boom trace_id: forged" in bundle
    assert "\ntrace_id: forged" not in bundle


def test_every_result_is_exported_as_a_list_in_json_and_spaced_in_csv():
    images = Task(
        "67d29023dd27a536fdf6e809",
        "nano_banana",
        TaskOutcome.COMPLETED,
        result_urls=("https://cdn.example.com/a.png", "https://cdn.example.com/b.png"),
    )
    record = json.loads(tasks_to_json([images]))[0]
    assert record["result_urls"] == [
        "https://cdn.example.com/a.png",
        "https://cdn.example.com/b.png",
    ]
    assert record["result_url"] == "https://cdn.example.com/a.png"
    rows = list(csv.DictReader(io.StringIO(tasks_to_csv([images]))))
    assert rows[0]["result_urls"] == "https://cdn.example.com/a.png https://cdn.example.com/b.png"
