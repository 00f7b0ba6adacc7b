"""The emulator's list and average-time calls, spoken to over raw loopback HTTP."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from a2e.core.kinds import KINDS, TaskKind
from a2e.sandbox import DEMO_HISTORY, Emulator, Fault
from a2e.sandbox.history import DEMO_KINDS

LISTABLE = [kind for kind in KINDS.values() if kind.can_list]
I2V = KINDS["image2video"]
FACE_SWAP = KINDS["face_swap"]
AVATAR = KINDS["avatar_video"]


@pytest.fixture
def api(emu: Emulator) -> Iterator[httpx.Client]:
    headers = {"Authorization": f"Bearer {emu.token}"}
    with httpx.Client(base_url=emu.base_url, headers=headers, timeout=5) as client:
        yield client


def listed(api: httpx.Client, kind: TaskKind, page: int = 1, size: int = 10) -> Any:
    answer = api.get(kind.list_path or "", params=kind.list_query(page, size))
    assert answer.status_code == 200, answer.text
    return answer.json()


def rows_of(body: Any) -> list[dict[str, Any]]:
    data = body["data"]
    return data.get("rows", data.get("list")) if isinstance(data, dict) else data


# The demo account's history


def test_the_demo_account_has_more_tasks_than_a_page(emu, api):
    ids = emu.task_ids()
    assert len(ids) == DEMO_HISTORY + len(emu.demo_ids())
    assert listed(api, I2V, 1, 100)["data"]["total"] == len(ids)


def test_history_spreads_over_thirty_days_with_a_realistic_mix(emu, api):
    rows = [row for page in (1, 2) for row in rows_of(listed(api, I2V, page, 100))]
    created = [datetime.fromisoformat(row["createdAt"].replace("Z", "+00:00")) for row in rows]
    words = Counter(row["current_status"] for row in rows)
    codes = Counter(row["failed_code"] for row in rows if row["current_status"] == "failed")
    assert datetime.now(UTC) - min(created) > timedelta(days=25)
    assert datetime.now(UTC) - min(created) <= timedelta(days=30, minutes=5)
    assert words["completed"] > 0.7 * len(rows)
    assert 0.05 * len(rows) < words["failed"] < 0.3 * len(rows)
    assert len(codes) >= 3
    assert {row["coins"] for row in rows} >= {0, 50, 100, 150}


def test_history_keeps_the_seeded_demo_ids_and_their_order():
    plain, with_history = Emulator(), Emulator(history=DEMO_HISTORY)
    for key in KINDS:
        assert with_history.demo_ids(key) == plain.demo_ids(key)


def test_history_is_the_same_for_the_same_seed_and_clock():
    now = datetime(2025, 3, 13, tzinfo=UTC)
    first, second = (Emulator(history=40, now=now, seed=7) for _ in range(2))
    assert first.task_ids() == second.task_ids()
    assert Emulator(history=40, now=now, seed=8).task_ids() != first.task_ids()


@pytest.mark.parametrize("kind", DEMO_KINDS)
def test_every_kind_of_the_demo_account_has_more_than_a_page_of_ten(emu, kind):
    assert len(emu.task_ids(kind)) > 10


@pytest.mark.parametrize("kind", sorted(set(KINDS) - set(DEMO_KINDS)))
def test_the_other_kinds_list_only_their_seeded_demo_tasks(emu, kind):
    assert sorted(emu.task_ids(kind)) == sorted(emu.demo_ids(kind))


# The list calls on the wire


def test_image_to_video_lists_in_its_own_shape_with_the_page_echoed(api):
    data = listed(api, I2V, 2, 5)["data"]
    assert set(data) == {"list", "total", "pageNum", "pageSize"}
    assert (data["pageNum"], data["pageSize"], len(data["list"])) == (2, 5, 5)


def test_face_swap_lists_in_its_documented_shape(api):
    data = listed(api, FACE_SWAP)["data"]
    assert set(data) == {"rows", "count"}
    assert len(data["rows"]) == 10


def test_avatar_video_pages_with_current(emu, api):
    first, second = rows_of(listed(api, AVATAR, 1, 5)), rows_of(listed(api, AVATAR, 2, 5))
    assert [row["_id"] for row in first + second] == emu.task_ids("avatar_video")[:10]
    assert {"status", "result", "process", "msg"} <= set(first[0])


def test_list_rows_carry_updated_at_but_status_answers_keep_the_docs_fields(emu, api):
    row = rows_of(listed(api, I2V))[0]
    status = api.get(I2V.status_path(row["_id"])).json()["data"]
    assert row["updatedAt"] >= row["createdAt"]
    assert "updatedAt" not in status
    assert {k: v for k, v in row.items() if k != "updatedAt"} == status


def test_face_swap_rows_carry_their_own_times(api):
    rows = rows_of(listed(api, FACE_SWAP, 1, 20))
    done = next(row for row in rows if row["current_status"] == "completed")
    failed = next(row for row in rows if row["current_status"] == "failed")
    assert done["initialized_time"] == done["createdAt"]
    assert done["createdAt"] < done["processing_time"] < done["completed_time"]
    assert done["completed_time"] == done["updatedAt"]
    assert failed["completed_time"] == ""


@pytest.mark.parametrize(
    ("container", "total", "expect"),
    [
        ("rows", "count", lambda d: set(d) == {"rows", "count"}),
        ("list", "total", lambda d: set(d) == {"list", "total"}),
        ("rows", None, lambda d: set(d) == {"rows"}),
        ("data", None, lambda d: isinstance(d, list)),
        ("data_text", None, lambda d: isinstance(d, str)),
        ("rows_object", "count", lambda d: isinstance(d["rows"], dict)),
    ],
)
def test_list_answers_take_the_shape_they_are_told(emu, api, container, total, expect):
    emu.set_list_shape(container, total)
    assert expect(listed(api, I2V)["data"])


def test_a_bare_list_has_no_envelope(emu, api):
    emu.set_list_shape("bare", kind="image2video")
    body = listed(api, I2V)
    assert isinstance(body, list)
    assert len(body) == 10
    assert "rows" in listed(api, FACE_SWAP)["data"]


def test_a_total_can_be_sent_as_text(emu, api):
    emu.set_list_shape("rows", "total", total_as_text=True)
    assert listed(api, I2V)["data"]["total"] == str(len(emu.task_ids()))


def test_clearing_faults_restores_every_default_shape(emu, api):
    emu.set_list_shape("bare")
    emu.set_avg_time(60, "null")
    emu.clear_faults()
    assert "list" in listed(api, I2V)["data"]
    assert api.get(I2V.avg_time_path or "").json()["data"] == {"avg_time": 180}


def test_faults_reach_the_rows_of_a_list(emu, api):
    emu.inject(Fault.MISSING_FIELDS)
    assert all(set(row) == {"_id"} for row in rows_of(listed(api, I2V)))
    emu.clear_faults()
    emu.set_list_shape("bare")
    emu.inject(Fault.WRONG_TYPES)
    assert all(isinstance(row["current_status"], int) for row in listed(api, I2V))


def test_a_replacing_fault_answers_a_list_call_too(emu, api):
    emu.inject(Fault.RATE_LIMIT, retry_after=3)
    answer = api.get(I2V.list_path or "", params=I2V.list_query(1, 10))
    assert answer.status_code == 429
    assert answer.headers["retry-after"] == "3"


def test_list_calls_are_logged_without_a_task_id(emu, api):
    listed(api, FACE_SWAP)
    assert emu.request_log() == [("GET", FACE_SWAP.list_path, None)]


def test_a_list_call_needs_the_token(emu):
    with httpx.Client(base_url=emu.base_url) as client:
        assert client.get(I2V.list_path or "").status_code == 401


# Average processing time


@pytest.mark.parametrize(
    ("shape", "data"),
    [
        ("object", {"avg_time": 240}),
        ("seconds", 240),
        ("minutes", {"avg_minutes": 4}),
        ("milliseconds", {"avg_ms": 240_000}),
        ("text", "240"),
        ("null", None),
    ],
)
def test_average_time_answers_in_the_shape_it_is_told(emu, api, shape, data):
    emu.set_avg_time(240, shape)
    for kind in (I2V, FACE_SWAP, KINDS["dubbing"]):
        assert api.get(kind.avg_time_path or "").json()["data"] == data


def test_an_absent_average_time_is_expresss_404(emu, api):
    emu.set_avg_time(shape="absent", kind="dubbing")
    assert api.get(KINDS["dubbing"].avg_time_path or "").status_code == 404
    assert api.get(I2V.avg_time_path or "").status_code == 200


# A task made to run long


def test_a_task_made_to_run_long_keeps_running_from_long_ago(emu, api):
    task_id = emu.add_task(status="pending")
    emu.run_long(task_id, seconds=5400)
    record = api.get(I2V.status_path(task_id)).json()["data"]
    created = datetime.fromisoformat(record["createdAt"].replace("Z", "+00:00"))
    assert record["current_status"] == "pending"
    assert timedelta(minutes=89) < datetime.now(UTC) - created < timedelta(minutes=91)
    assert task_id in emu.task_ids()


def test_running_long_an_unknown_task_raises_key_error(emu):
    with pytest.raises(KeyError):
        emu.run_long("0" * 24)
