"""The A2E emulator, spoken to over real loopback HTTP, as a client would."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from a2e.core.kinds import KINDS, TaskKind
from a2e.sandbox import DEMO_TOKEN, Emulator, Fault
from a2e.sandbox.__main__ import banner
from a2e.sandbox.emulator import DEFAULT_MEDIA_DIR
from tests.listing_support import reset

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = Path("/work/shared/fixtures/image2video_completed.json")
AUTH = {"Authorization": f"Bearer {DEMO_TOKEN}"}
ISO_MILLIS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
I2V = "/api/v1/userImage2Video"
GET_KINDS = [kind for kind in KINDS.values() if not kind.data_is_list]
# The fields some image kinds' demo tasks give their several results in (the reference is open).
OTHER_RESULT_FIELDS = {"image_urls", "result_urls", "output", "images", "result_images"}
VIDEO_BYTES = bytes(range(256)) * 40
AVATAR = KINDS["avatar_video"]
AWS_RESULT = AVATAR.older_details[0].path

# Demo ids by their place in demo_ids("image2video"): see a2e/sandbox/seeds.py.
WATCH_AD, WEDDING, SKYLINE, CAT_FAILS, BAKERY = 5, 6, 7, 8, 9


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture(scope="module")
def media_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("sandbox")
    (root / "secret.txt").write_text("not for the web")
    media = root / "media"
    media.mkdir()
    for image in ("source-1.png", "source-2.png"):
        (media / image).write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    (media / "result-1.mp4").write_bytes(VIDEO_BYTES)
    return media


@pytest.fixture(scope="module")
def shared(media_dir: Path) -> Iterator[Emulator]:
    with Emulator(clock=FakeClock(), media_dir=media_dir) as emulator:
        yield emulator


@pytest.fixture
def emu(shared: Emulator) -> Iterator[Emulator]:
    """The module's emulator, with no faults, latency or logged requests left from others."""
    yield reset(shared)
    reset(shared)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def fresh(clock: FakeClock, media_dir: Path) -> Iterator[Emulator]:
    """An emulator of this test's own, on this test's clock."""
    with Emulator(clock=clock, media_dir=media_dir) as emulator:
        yield emulator


def client_for(emulator: Emulator, token: str | None = DEMO_TOKEN, **options: Any) -> httpx.Client:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    options.setdefault("timeout", 5.0)
    return httpx.Client(base_url=emulator.base_url, headers=headers, **options)


@pytest.fixture
def api(emu: Emulator) -> Iterator[httpx.Client]:
    with client_for(emu) as client:
        yield client


def status_of(emulator: Emulator, kind: TaskKind, task_id: str) -> dict[str, Any]:
    """The one record a status call answers for ``task_id``."""
    call = kind.detail
    with client_for(emulator) as client:
        answer = client.request(call.method, call.target(task_id), json=call.body(task_id))
    assert answer.status_code == 200, answer.text
    data = answer.json()["data"]
    record: dict[str, Any] = data[0] if isinstance(data, list) else data
    return record


def i2v(emulator: Emulator, place: int) -> str:
    return emulator.demo_ids()[place]


def assert_express_404(answer: httpx.Response, path: str) -> None:
    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("text/html")
    assert answer.text.startswith("<!DOCTYPE html>")
    assert f"<pre>Cannot {answer.request.method} {path}</pre>" in answer.text


# The envelope and the documented shape


def test_status_answer_is_the_documented_envelope(emu: Emulator, api: httpx.Client) -> None:
    answer = api.get(f"{I2V}/{emu.demo_ids()[0]}")
    body = answer.json()
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/json")
    assert set(body) == {"code", "data", "trace_id"}
    assert body["code"] == 0
    assert uuid.UUID(body["trace_id"]).version == 4


def test_every_answer_carries_a_fresh_trace_id(emu: Emulator, api: httpx.Client) -> None:
    path = f"{I2V}/{emu.demo_ids()[0]}"
    assert api.get(path).json()["trace_id"] != api.get(path).json()["trace_id"]


def test_image_to_video_record_mirrors_the_docs_fixture(emu: Emulator) -> None:
    expected = json.loads(FIXTURE.read_text())["data"]
    record = status_of(emu, KINDS["image2video"], emu.demo_ids()[0])
    assert list(record) == list(expected)
    assert {k: type(v) for k, v in record.items()} == {k: type(v) for k, v in expected.items()}
    assert ISO_MILLIS.match(record["createdAt"])
    assert record["current_status"] == "completed"
    assert record["failed_code"] == record["failed_message"] == ""


# Authentication


def test_wrong_token_is_rejected_with_http_401(emu: Emulator) -> None:
    with client_for(emu, token="sk_wrong") as client:
        answer = client.get(f"{I2V}/{emu.demo_ids()[0]}")
    body = answer.json()
    assert answer.status_code == 401
    assert body["code"] == 401
    assert "invalid token" in body["msg"]
    assert uuid.UUID(body["trace_id"])


def test_missing_token_is_rejected_with_http_401(emu: Emulator) -> None:
    with client_for(emu, token=None) as client:
        assert client.get("/api/v1/user/remainingCoins").status_code == 401


def test_wrong_token_can_be_answered_with_http_200_and_a_nonzero_code(media_dir: Path) -> None:
    emulator = Emulator(auth_failure="code_200", media_dir=media_dir)
    with emulator, client_for(emulator, token="sk_wrong") as client:
        answer = client.get("/api/v1/user/remainingCoins")
    assert answer.status_code == 200
    assert answer.json()["code"] != 0
    assert "token" in answer.json()["msg"].lower()


def test_a_different_token_can_be_configured(media_dir: Path) -> None:
    with Emulator(token="sk_other", media_dir=media_dir) as emulator:
        with client_for(emulator, token="sk_other") as client:
            assert client.get("/api/v1/user/remainingCoins").json()["code"] == 0
        with client_for(emulator) as client:
            assert client.get("/api/v1/user/remainingCoins").status_code == 401


# Unknown and malformed ids


def test_unknown_id_gets_an_express_style_html_404(api: httpx.Client) -> None:
    path = f"{I2V}/{'0' * 24}"
    assert_express_404(api.get(path), path)


@pytest.mark.parametrize(
    "bad_id", ["not-an-id", "67d29023dd27a536fdf6e8", "67d29023dd27a536fdf6e8zz"]
)
def test_malformed_id_gets_the_same_html_404(api: httpx.Client, bad_id: str) -> None:
    path = f"{I2V}/{bad_id}"
    assert_express_404(api.get(path), path)


def test_an_id_of_another_kind_is_unknown_here(emu: Emulator, api: httpx.Client) -> None:
    path = KINDS["talking_photo"].status_path(emu.demo_ids()[0])
    assert_express_404(api.get(path), path)


def test_unrouted_api_calls_get_the_html_404(emu: Emulator, api: httpx.Client) -> None:
    assert_express_404(api.get("/api/v1/nothingHere"), "/api/v1/nothingHere")
    assert_express_404(api.post(f"{I2V}/{emu.demo_ids()[0]}"), f"{I2V}/{emu.demo_ids()[0]}")


# Every kind


def expected_fields(kind: TaskKind) -> set[str]:
    fields = {"_id", "name", "prompt", "negative_prompt", "coins", "createdAt"}
    fields |= {kind.status_field, kind.result_field}
    fields |= {names[0] for names in (kind.image_fields, kind.failure_code_fields) if names}
    return fields | {kind.failure_message_fields[0]}


@pytest.mark.parametrize("kind", GET_KINDS, ids=lambda kind: kind.key)
def test_every_kind_answers_its_seeded_ids_with_its_own_field_names(
    emu: Emulator, kind: TaskKind
) -> None:
    for task_id in emu.demo_ids(kind.key):
        record = status_of(emu, kind, task_id)
        assert expected_fields(kind) - set(record) <= {kind.result_field}
        assert set(record) - expected_fields(kind) <= OTHER_RESULT_FIELDS
        assert record["_id"] == task_id
        assert ISO_MILLIS.match(record["createdAt"])


@pytest.mark.parametrize("kind", list(KINDS.values()), ids=lambda kind: kind.key)
def test_every_kind_has_a_finished_and_a_failed_demo_task(emu: Emulator, kind: TaskKind) -> None:
    words = {status_of(emu, kind, task_id)[kind.status_field] for task_id in emu.demo_ids(kind.key)}
    assert words & kind.success_words
    assert words & kind.failure_words
    assert words - kind.success_words - kind.failure_words, "no running task"


def test_face_swap_spells_its_failure_fields_error_code_and_faild_message(emu: Emulator) -> None:
    kind = KINDS["face_swap"]
    records = [status_of(emu, kind, task_id) for task_id in emu.demo_ids(kind.key)]
    failed = next(r for r in records if r["current_status"] == "failed")
    assert failed["error_code"] == "multiple_faces"
    assert "one face" in failed["faild_message"]
    assert "failed_code" not in failed
    assert "failed_message" not in failed


def test_talking_video_shows_its_image_as_cover_url(emu: Emulator) -> None:
    record = status_of(emu, KINDS["talking_video"], emu.demo_ids("talking_video")[0])
    assert record["cover_url"].endswith(".png")
    assert "image_url" not in record


def test_avatar_video_answers_a_list_with_one_record(emu: Emulator, api: httpx.Client) -> None:
    task_id = emu.demo_ids("avatar_video")[0]
    data = api.post(AWS_RESULT, json={"_id": task_id}).json()["data"]
    assert len(data) == 1
    assert {"_id", "status", "result", "process", "msg", "createdAt"} <= set(data[0])
    assert data[0]["status"] == "success"
    assert data[0]["process"] == 100
    assert data[0]["result"].endswith(".mp4")


def test_avatar_video_answers_an_empty_list_for_an_unknown_id(api: httpx.Client) -> None:
    answer = api.post(AWS_RESULT, json={"_id": "0" * 24})
    assert answer.status_code == 200
    assert answer.json()["data"] == []


def test_demo_ids_are_lowercase_object_ids_and_the_same_in_every_emulator() -> None:
    first, second = Emulator(seed=1), Emulator(seed=2)
    for key in KINDS:
        assert first.demo_ids(key) == second.demo_ids(key)
        assert all(re.fullmatch(r"[0-9a-f]{24}", task_id) for task_id in first.demo_ids(key))
    every_id = [task_id for key in KINDS for task_id in first.demo_ids(key)]
    assert len(set(every_id)) == len(every_id)


def test_image_to_video_demo_tasks_cover_every_state(emu: Emulator) -> None:
    kind = KINDS["image2video"]
    words = [status_of(emu, kind, task_id)["current_status"] for task_id in emu.demo_ids()]
    assert len(words) >= 12
    assert words.count("completed") >= 5
    assert words.count("failed") >= 2
    assert len([w for w in words if w in ("sent", "pending")]) >= 4


# The lifecycle, on a fake clock


def test_running_tasks_advance_with_the_injected_clock(fresh: Emulator, clock: FakeClock) -> None:
    kind, task_id = KINDS["image2video"], i2v(fresh, WATCH_AD)
    assert status_of(fresh, kind, task_id)["current_status"] == "sent"
    clock.advance(6)
    assert status_of(fresh, kind, task_id)["current_status"] == "pending"
    assert status_of(fresh, kind, task_id)["result_url"] == ""
    clock.advance(15)
    record = status_of(fresh, kind, task_id)
    assert record["current_status"] == "completed"
    assert record["result_url"] == f"{fresh.base_url}/media/result-3.mp4"


def test_one_running_task_fails_at_about_a_minute(fresh: Emulator, clock: FakeClock) -> None:
    kind, task_id = KINDS["image2video"], i2v(fresh, CAT_FAILS)
    clock.advance(59)
    assert status_of(fresh, kind, task_id)["current_status"] == "pending"
    clock.advance(2)
    record = status_of(fresh, kind, task_id)
    assert record["current_status"] == "failed"
    # A minute's run cannot have timed out after 10 minutes: the worker failed.
    assert record["failed_code"] == "generation_failed"
    assert "refunded" in record["failed_message"]
    assert record["result_url"] == ""


def test_one_task_stays_pending_for_many_minutes(fresh: Emulator, clock: FakeClock) -> None:
    clock.advance(20 * 60)
    assert status_of(fresh, KINDS["image2video"], i2v(fresh, BAKERY))["current_status"] == "pending"


def test_avatar_video_progress_rises_as_it_advances(fresh: Emulator, clock: FakeClock) -> None:
    task_id = fresh.demo_ids("avatar_video")[1]
    seen = []
    for _ in range(8):
        record = status_of(fresh, AVATAR, task_id)
        seen.append((record["status"], record["process"]))
        clock.advance(8)
    progress = [process for _, process in seen]
    assert progress == sorted(progress)
    assert progress[0] < progress[-1] == 100
    assert seen[0][0] == "init"
    assert seen[-1][0] == "success"
    assert "process" in [status for status, _ in seen]


# Controls: add_task and set_task


def test_added_task_answers_its_fields_exactly(emu: Emulator) -> None:
    hostile = "<img src=x onerror=alert(1)>"
    task_id = emu.add_task(name=hostile, coins=150)
    record = status_of(emu, KINDS["image2video"], task_id)
    assert record["name"] == hostile
    assert record["coins"] == 150
    assert record["current_status"] == "pending"


def test_added_task_of_another_kind_uses_that_kinds_words(emu: Emulator) -> None:
    task_id = emu.add_task("face_swap", "failed", faild_message="Swap failed.")
    record = status_of(emu, KINDS["face_swap"], task_id)
    assert record["faild_message"] == "Swap failed."
    assert record["error_code"] != ""


def test_added_task_moves_along_its_steps(fresh: Emulator, clock: FakeClock) -> None:
    task_id = fresh.add_task(status="pending", advance=[(10, "completed")])
    clock.advance(11)
    record = status_of(fresh, KINDS["image2video"], task_id)
    assert record["current_status"] == "completed"
    assert record["result_url"].endswith(".mp4")


def test_setting_a_task_completed_fills_in_a_result_url(fresh: Emulator) -> None:
    task_id = fresh.add_task(status="pending")
    fresh.set_task(task_id, current_status="completed")
    record = status_of(fresh, KINDS["image2video"], task_id)
    assert record["current_status"] == "completed"
    assert record["result_url"].startswith(f"{fresh.base_url}/media/")


def test_setting_a_task_freezes_its_progression(fresh: Emulator, clock: FakeClock) -> None:
    task_id = i2v(fresh, WATCH_AD)
    fresh.set_task(task_id, name="Renamed")
    clock.advance(600)
    record = status_of(fresh, KINDS["image2video"], task_id)
    assert record["current_status"] == "sent"
    assert record["name"] == "Renamed"


def test_a_status_can_be_set_to_null_and_back(emu: Emulator) -> None:
    kind, task_id = KINDS["image2video"], emu.add_task(status="pending")
    emu.set_task(task_id, current_status=None)
    assert status_of(emu, kind, task_id)["current_status"] is None
    emu.set_task(task_id, current_status="failed")
    assert status_of(emu, kind, task_id)["failed_code"] == "generation_failed"


def test_setting_an_unknown_task_raises_key_error(emu: Emulator) -> None:
    with pytest.raises(KeyError):
        emu.set_task("0" * 24, current_status="completed")


# Request accounting


def test_requests_are_counted_per_task_and_per_path(emu: Emulator, api: httpx.Client) -> None:
    first, second = emu.demo_ids()[:2]
    api.get(f"{I2V}/{first}")
    api.get(f"{I2V}/{first}")
    api.post(AWS_RESULT, json={"_id": second})
    api.get("/media/source-1.png")
    assert emu.count_requests(task_id=first) == 2
    assert emu.count_requests(task_id=second, path=AWS_RESULT) == 1
    assert emu.count_requests() == 3
    assert emu.request_log()[0] == ("GET", f"{I2V}/{first}", first)


def test_cleared_requests_are_forgotten(emu: Emulator, api: httpx.Client) -> None:
    api.get("/api/v1/user/remainingCoins")
    emu.clear_requests()
    assert emu.count_requests() == 0
    assert emu.requests == []


def test_request_log_never_holds_the_token(emu: Emulator, api: httpx.Client) -> None:
    api.get(f"{I2V}/{emu.demo_ids()[0]}")
    assert DEMO_TOKEN not in repr(emu.requests)


# Faults


def test_rate_limit_fault_answers_429_with_retry_after(emu: Emulator, api: httpx.Client) -> None:
    emu.inject(Fault.RATE_LIMIT, retry_after=7)
    answer = api.get("/api/v1/user/remainingCoins")
    assert answer.status_code == 429
    assert answer.headers["retry-after"] == "7"
    assert answer.json()["code"] != 0


def test_server_error_fault_answers_500_json(emu: Emulator, api: httpx.Client) -> None:
    emu.inject(Fault.SERVER_ERROR)
    answer = api.get(f"{I2V}/{emu.demo_ids()[0]}")
    assert answer.status_code == 500
    assert answer.json()["msg"] == "Internal Server Error"
    assert answer.json()["trace_id"]


def test_bad_gateway_fault_answers_an_nginx_html_page(emu: Emulator, api: httpx.Client) -> None:
    emu.inject(Fault.BAD_GATEWAY_HTML)
    answer = api.get(f"{I2V}/{emu.demo_ids()[0]}")
    assert answer.status_code == 502
    assert answer.headers["content-type"].startswith("text/html")
    assert "<h1>502 Bad Gateway</h1>" in answer.text
    assert "nginx" in answer.text


def test_not_json_fault_answers_200_with_html(emu: Emulator, api: httpx.Client) -> None:
    emu.inject(Fault.NOT_JSON)
    answer = api.get(f"{I2V}/{emu.demo_ids()[0]}")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/html")
    assert answer.text.startswith("<!DOCTYPE html>")


def test_malformed_json_fault_answers_truncated_json(emu: Emulator, api: httpx.Client) -> None:
    emu.inject(Fault.MALFORMED_JSON)
    answer = api.get(f"{I2V}/{emu.demo_ids()[0]}")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/json")
    assert answer.text.startswith('{"code":0')
    with pytest.raises(json.JSONDecodeError):
        json.loads(answer.text)


def test_empty_body_fault_answers_200_with_nothing(emu: Emulator, api: httpx.Client) -> None:
    emu.inject(Fault.EMPTY_BODY)
    answer = api.get(f"{I2V}/{emu.demo_ids()[0]}")
    assert answer.status_code == 200
    assert answer.content == b""


def test_missing_fields_fault_keeps_only_the_id(emu: Emulator, api: httpx.Client) -> None:
    task_id = emu.demo_ids()[0]
    emu.inject(Fault.MISSING_FIELDS)
    body = api.get(f"{I2V}/{task_id}").json()
    assert body["code"] == 0
    assert body["data"] == {"_id": task_id}


def test_missing_fields_fault_reaches_inside_avatar_videos_list(
    emu: Emulator, api: httpx.Client
) -> None:
    task_id = emu.demo_ids("avatar_video")[0]
    emu.inject(Fault.MISSING_FIELDS)
    assert api.post(AWS_RESULT, json={"_id": task_id}).json()["data"] == [{"_id": task_id}]


def test_null_data_fault_answers_null_data(emu: Emulator, api: httpx.Client) -> None:
    emu.inject(Fault.NULL_DATA)
    body = api.get(f"{I2V}/{emu.demo_ids()[0]}").json()
    assert body["code"] == 0
    assert body["data"] is None


def test_wrong_types_fault_changes_field_types(emu: Emulator, api: httpx.Client) -> None:
    emu.inject(Fault.WRONG_TYPES)
    data = api.get(f"{I2V}/{emu.demo_ids()[0]}").json()["data"]
    assert data["coins"] == "100"
    assert isinstance(data["createdAt"], int)
    assert data["createdAt"] > 10**12
    assert isinstance(data["name"], int)
    assert isinstance(data["current_status"], int)


def test_wrong_types_fault_can_null_the_status(emu: Emulator, api: httpx.Client) -> None:
    emu.inject(Fault.WRONG_TYPES, status=None)
    assert api.get(f"{I2V}/{emu.demo_ids()[0]}").json()["data"]["current_status"] is None


def test_oversized_fault_answers_megabytes_of_valid_json(emu: Emulator, api: httpx.Client) -> None:
    emu.inject(Fault.OVERSIZED)
    answer = api.get(f"{I2V}/{emu.demo_ids()[0]}")
    assert len(answer.content) > 3_000_000
    assert len(answer.json()["data"]["prompt"]) == 3_000_000


def test_api_error_code_fault_answers_200_with_a_nonzero_code(
    emu: Emulator, api: httpx.Client
) -> None:
    emu.inject(Fault.API_ERROR_CODE)
    answer = api.get(f"{I2V}/{emu.demo_ids()[0]}")
    assert answer.status_code == 200
    assert answer.json()["code"] == 1003
    assert answer.json()["msg"] == "task query failed"


def test_not_found_html_fault_hides_a_known_task(emu: Emulator, api: httpx.Client) -> None:
    path = f"{I2V}/{emu.demo_ids()[0]}"
    emu.inject(Fault.NOT_FOUND_HTML)
    assert_express_404(api.get(path), path)


def test_auth_failure_fault_rejects_the_right_token(emu: Emulator, api: httpx.Client) -> None:
    emu.inject(Fault.AUTH_FAILURE)
    assert api.get("/api/v1/user/remainingCoins").status_code == 401


def test_hang_fault_holds_the_request_until_the_client_gives_up(
    emu: Emulator, api: httpx.Client
) -> None:
    emu.inject(Fault.HANG, times=1)
    started = time.monotonic()
    with pytest.raises(httpx.ReadTimeout):
        api.get("/api/v1/user/remainingCoins", timeout=0.3)
    assert time.monotonic() - started >= 0.3


def test_stopping_is_quick_while_a_request_hangs(media_dir: Path) -> None:
    emulator = Emulator(media_dir=media_dir).start()
    emulator.inject(Fault.HANG)
    outcome: list[object] = []

    def ask() -> None:
        with client_for(emulator, timeout=10) as client:
            try:
                outcome.append(client.get("/api/v1/user/remainingCoins").status_code)
            except httpx.TransportError as error:
                outcome.append(error)

    asker = threading.Thread(target=ask)
    asker.start()
    time.sleep(0.2)
    started = time.monotonic()
    emulator.stop()
    asker.join(timeout=5)
    assert time.monotonic() - started < 2
    assert outcome
    assert not asker.is_alive()


def test_slow_drip_fault_sends_the_body_in_slow_pieces(emu: Emulator, api: httpx.Client) -> None:
    emu.inject(Fault.SLOW_DRIP, chunk_size=100, chunk_delay=0.05)
    started = time.monotonic()
    answer = api.get(f"{I2V}/{emu.demo_ids()[0]}", timeout=0.5)
    assert time.monotonic() - started > 0.15
    assert answer.json()["code"] == 0


def test_fault_scoped_to_one_task_leaves_others_alone(emu: Emulator, api: httpx.Client) -> None:
    broken, fine = emu.demo_ids()[:2]
    emu.inject(Fault.SERVER_ERROR, task_id=broken)
    assert api.get(f"{I2V}/{broken}").status_code == 500
    assert api.get(f"{I2V}/{fine}").status_code == 200


def test_fault_with_times_applies_only_to_the_next_requests(
    emu: Emulator, api: httpx.Client
) -> None:
    emu.inject(Fault.RATE_LIMIT, times=2)
    codes = [api.get("/api/v1/user/remainingCoins").status_code for _ in range(3)]
    assert codes == [429, 429, 200]


def test_cleared_faults_stop_applying(emu: Emulator, api: httpx.Client) -> None:
    emu.inject(Fault.SERVER_ERROR)
    emu.clear_faults()
    assert api.get("/api/v1/user/remainingCoins").status_code == 200


def test_a_fault_parameter_it_does_not_take_is_refused(emu: Emulator) -> None:
    with pytest.raises(TypeError, match="retry_after"):
        emu.inject(Fault.SERVER_ERROR, retry_after=3)


def test_latency_delays_every_call_but_calls_overlap(emu: Emulator) -> None:
    emu.latency = 0.5

    def ask() -> int:
        answer = httpx.get(f"{emu.base_url}/api/v1/user/remainingCoins", headers=AUTH)
        return answer.status_code

    started = time.monotonic()
    # Threads, not asyncio.run: the browser tests leave Playwright's event loop running.
    with ThreadPoolExecutor(max_workers=5) as pool:
        assert list(pool.map(lambda _: ask(), range(5))) == [200] * 5
    # One after another would take 2.5 s; overlapping, one delay and some slack.
    assert 0.5 <= time.monotonic() - started < 2.0


# Media


def test_media_is_served_without_a_token_with_its_content_type(emu: Emulator) -> None:
    answer = httpx.get(f"{emu.base_url}/media/result-1.mp4")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "video/mp4"
    assert answer.content == VIDEO_BYTES


def test_range_request_returns_206_with_the_asked_bytes(emu: Emulator) -> None:
    answer = httpx.get(f"{emu.base_url}/media/result-1.mp4", headers={"Range": "bytes=100-199"})
    assert answer.status_code == 206
    assert answer.headers["content-range"] == f"bytes 100-199/{len(VIDEO_BYTES)}"
    assert answer.content == VIDEO_BYTES[100:200]


@pytest.mark.parametrize("path", ["/media/..%2Fsecret.txt", "/media/%2Fetc%2Fpasswd"])
def test_paths_out_of_the_media_folder_are_refused(emu: Emulator, path: str) -> None:
    answer = httpx.get(emu.base_url + path)
    assert answer.status_code == 404
    assert "not for the web" not in answer.text
    assert "root:" not in answer.text


def test_seeded_urls_point_at_the_emulators_media(emu: Emulator, api: httpx.Client) -> None:
    record = status_of(emu, KINDS["image2video"], emu.demo_ids()[0])
    assert api.get(record["image_url"]).status_code == 200
    assert record["result_url"] == f"{emu.base_url}/media/result-2.mp4"


def test_media_base_url_option_overrides_the_url_prefix(media_dir: Path) -> None:
    with Emulator(media_dir=media_dir, media_base_url="https://cdn.example.com/x/") as emulator:
        record = status_of(emulator, KINDS["image2video"], emulator.demo_ids()[0])
    assert record["image_url"] == "https://cdn.example.com/x/source-2.png"


def test_default_media_folder_is_the_projects_static_demo() -> None:
    assert DEFAULT_MEDIA_DIR == ROOT / "static" / "demo"


# The other image-to-video calls


def test_all_records_pages_newest_first(emu: Emulator, api: httpx.Client) -> None:
    path = f"{I2V}/allRecords"
    first = api.get(path, params={"pageNum": 1, "pageSize": 5}).json()["data"]
    last = api.get(path, params={"pageNum": 3, "pageSize": 5}).json()["data"]
    total = first["total"]
    assert total >= 12
    assert (first["pageNum"], first["pageSize"]) == (1, 5)
    assert len(first["list"]) == 5
    assert len(last["list"]) == total - 10
    stamps = [r["createdAt"] for r in first["list"] + last["list"]]
    assert stamps == sorted(stamps, reverse=True)


def test_batch_detail_answers_the_found_records(emu: Emulator, api: httpx.Client) -> None:
    first, second = emu.demo_ids()[:2]
    body = {"ids": [first, "0" * 24, second]}
    data = api.post(f"{I2V}/batchDetail", json=body).json()["data"]
    assert sorted(record["_id"] for record in data) == sorted([first, second])


def test_avg_processing_time_answers_seconds(api: httpx.Client) -> None:
    data = api.get(f"{I2V}/avgProcessingTime").json()["data"]
    assert isinstance(data["avg_time"], int)
    assert data["avg_time"] > 0


def test_delete_removes_a_task(emu: Emulator, api: httpx.Client) -> None:
    task_id = emu.add_task(status="completed")
    assert api.delete(f"{I2V}/{task_id}").json()["data"]["_id"] == task_id
    assert api.get(f"{I2V}/{task_id}").status_code == 404


def test_remaining_coins_answers_the_balance(emu: Emulator, api: httpx.Client) -> None:
    coins = api.get("/api/v1/user/remainingCoins").json()["data"]["coins"]
    assert coins == emu.remaining_coins
    assert isinstance(coins, int)


def test_start_creates_a_sent_task_that_then_completes(fresh: Emulator, clock: FakeClock) -> None:
    body = {"name": "New", "image_url": "https://example.com/a.png", "prompt": "p"}
    with client_for(fresh) as client:
        record = client.post(f"{I2V}/start", json=body | {"negative_prompt": "n"}).json()["data"]
    assert record["current_status"] == "sent"
    assert record["image_url"] == body["image_url"]
    assert fresh.remaining_coins == 2000 - 100
    clock.advance(31)
    assert status_of(fresh, KINDS["image2video"], record["_id"])["current_status"] == "completed"


def test_start_without_an_image_url_is_refused(api: httpx.Client) -> None:
    answer = api.post(f"{I2V}/start", json={"name": "No image"})
    assert answer.status_code == 400
    assert "image_url" in answer.json()["msg"]


def test_start_without_enough_coins_answers_a_nonzero_code(media_dir: Path) -> None:
    with Emulator(coins=50, media_dir=media_dir) as emulator, client_for(emulator) as client:
        answer = client.post(f"{I2V}/start", json={"image_url": "https://example.com/a.png"})
    assert answer.json()["code"] != 0
    assert "coins" in answer.json()["msg"].lower()


# The command line


def test_banner_names_the_url_the_token_and_every_kinds_demo_ids(emu: Emulator) -> None:
    text = banner(emu)
    assert emu.base_url in text
    assert DEMO_TOKEN in text
    for key in KINDS:
        assert key in text
        assert all(task_id in text for task_id in emu.demo_ids(key))


def test_command_line_serves_until_terminated() -> None:
    command = [sys.executable, "-m", "a2e.sandbox", "--port", "0"]
    with subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True) as process:
        assert process.stdout is not None
        first_line = process.stdout.readline()
        url = first_line.split()[-1]
        answer = httpx.get(f"{url}/api/v1/user/remainingCoins", headers=AUTH, timeout=5)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=5) == 0
    assert first_line.startswith("A2E emulator running at http://127.0.0.1:")
    assert answer.json()["data"]["coins"] > 0
