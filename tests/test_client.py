"""The status client against the emulator over real loopback HTTP: one test per failure mode."""

from __future__ import annotations

import socket
import time

import httpx
import pytest

from a2e.api.client import A2EClient, ClientSettings
from a2e.api.errors import LookupFailed, TokenRejected, translate_httpx_errors
from a2e.api.servers import check_token
from a2e.core.model import LookupCause, TaskOutcome
from a2e.sandbox import Emulator, Fault
from tests.conftest import ONE_AT_A_TIME, make_client

RESULT = "https://cdn.example.com/result.mp4"


def completed_task(emulator: Emulator, **fields: object) -> str:
    return emulator.add_task(status="completed", result_url=RESULT, **fields)


def test_a_completed_task_comes_back_with_its_fields(emulator, client, token):
    task_id = completed_task(emulator, name="Sneaker", coins=100)
    task = client.lookup(token, task_id)
    assert (task.outcome, task.status, task.name, task.coins) == (
        TaskOutcome.COMPLETED,
        "completed",
        "Sneaker",
        100,
    )
    assert task.result_url == RESULT
    assert task.trace_id
    assert task.error is None


def test_a_failed_task_is_a_failed_outcome_not_a_lookup_error(emulator, client, token):
    task_id = emulator.add_task(
        status="failed", failed_code="face_not_detected", failed_message="No face"
    )
    task = client.lookup(token, task_id)
    assert (task.outcome, task.failed_code, task.failed_message) == (
        TaskOutcome.FAILED,
        "face_not_detected",
        "No face",
    )
    assert task.error is None


def test_a_running_task_keeps_its_raw_status_word(emulator, client, token):
    task = client.lookup(token, emulator.add_task(status="pending"))
    assert (task.outcome, task.status) == (TaskOutcome.IN_PROGRESS, "pending")


def test_a_wrong_token_is_rejected_with_http_401(emulator, client):
    task = client.lookup("sk_wrong", completed_task(emulator))
    assert (task.outcome, task.error, task.error_cause, task.http_status) == (
        TaskOutcome.LOOKUP_ERROR,
        "token rejected (HTTP 401)",
        LookupCause.TOKEN,
        401,
    )


def test_a_token_rejected_with_http_200_and_an_error_code_is_still_a_token_rejection():
    with Emulator(auth_failure="code_200") as emulator, make_client(emulator.base_url) as client:
        task = client.lookup("sk_wrong", emulator.demo_ids()[0])
    assert task.error_cause is LookupCause.TOKEN
    assert task.error.startswith("token rejected (A2E code")


def test_an_unknown_id_is_not_found(emulator, client, token):
    task = client.lookup(token, "0123456789abcdef01234567")
    assert (task.outcome, task.error, task.error_cause) == (
        TaskOutcome.LOOKUP_ERROR,
        "not found",
        LookupCause.NOT_FOUND,
    )


def test_an_invalid_id_is_never_sent(emulator, client, token):
    task = client.lookup(token, "not-an-id")
    assert task.outcome is TaskOutcome.INVALID_ID
    assert emulator.count_requests() == 0


def test_a_hung_server_costs_one_timeout_and_not_the_batch(emulator, token):
    hung, fine = completed_task(emulator), completed_task(emulator)
    emulator.inject(Fault.HANG, task_id=hung)
    started = time.monotonic()
    with make_client(emulator.base_url, timeout=1.0, batch_size=ONE_AT_A_TIME) as client:
        tasks = client.lookup_many(token, [hung, fine])
    elapsed = time.monotonic() - started
    assert [t.outcome for t in tasks] == [TaskOutcome.LOOKUP_ERROR, TaskOutcome.COMPLETED]
    assert tasks[0].error == "timed out after 1 s"
    assert tasks[0].error_cause is LookupCause.NETWORK
    assert emulator.count_asked(hung) == 1
    assert elapsed < 3


def test_a_slow_drip_answer_is_cut_at_the_timeout(emulator, token):
    task_id = completed_task(emulator)
    emulator.inject(Fault.SLOW_DRIP, task_id=task_id, chunk_size=8, chunk_delay=0.2)
    with make_client(emulator.base_url, timeout=1.0) as client:
        task = client.lookup(token, task_id)
    assert task.error == "timed out after 1 s"


def test_a_502_html_page_is_retried_then_reported(emulator, client, token):
    task_id = completed_task(emulator)
    emulator.inject(Fault.BAD_GATEWAY_HTML, task_id=task_id)
    task = client.lookup(token, task_id)
    assert (task.error, task.error_cause, task.http_status) == (
        "HTTP 502 from server (HTML error page)",
        LookupCause.SERVER,
        502,
    )
    assert emulator.count_asked(task_id) == 3


def test_a_passing_server_error_is_cured_by_a_retry(emulator, client, token):
    task_id = completed_task(emulator)
    emulator.inject(Fault.SERVER_ERROR, task_id=task_id, times=1)
    assert client.lookup(token, task_id).outcome is TaskOutcome.COMPLETED
    assert emulator.count_asked(task_id) == 2


def test_a_429_is_retried_after_the_retry_after_it_asks(emulator, client, token):
    task_id = completed_task(emulator)
    emulator.inject(Fault.RATE_LIMIT, task_id=task_id, times=1, retry_after=1)
    started = time.monotonic()
    task = client.lookup(token, task_id)
    assert task.outcome is TaskOutcome.COMPLETED
    assert time.monotonic() - started >= 0.95
    assert emulator.count_asked(task_id) == 2


def test_a_429_that_never_stops_is_reported_as_rate_limited(emulator, client, token):
    task_id = completed_task(emulator)
    emulator.inject(Fault.RATE_LIMIT, task_id=task_id, retry_after=0)
    task = client.lookup(token, task_id)
    assert (task.error, task.http_status) == ("rate limited (HTTP 429)", 429)


def test_a_long_retry_after_is_capped(emulator, token):
    task_id = completed_task(emulator)
    emulator.inject(Fault.RATE_LIMIT, task_id=task_id, times=1, retry_after=3600)
    started = time.monotonic()
    with make_client(emulator.base_url) as client:
        assert client.lookup(token, task_id).outcome is TaskOutcome.COMPLETED
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("fault", [Fault.MALFORMED_JSON, Fault.NOT_JSON, Fault.EMPTY_BODY])
def test_an_answer_that_is_not_json_is_reported_as_such(emulator, client, token, fault):
    task_id = completed_task(emulator)
    emulator.inject(fault, task_id=task_id)
    task = client.lookup(token, task_id)
    assert (task.error, task.error_cause) == ("answer was not valid JSON", LookupCause.BAD_ANSWER)


def test_an_oversized_answer_is_not_read_past_the_cap(emulator, client, token):
    task_id = completed_task(emulator)
    emulator.inject(Fault.OVERSIZED, task_id=task_id)
    task = client.lookup(token, task_id)
    assert task.error == "answer was larger than 1 MiB"


def test_an_answer_missing_its_status_keeps_what_it_has(emulator, client, token):
    task_id = completed_task(emulator)
    emulator.inject(Fault.MISSING_FIELDS, task_id=task_id)
    task = client.lookup(token, task_id)
    assert (task.outcome, task.error) == (TaskOutcome.LOOKUP_ERROR, "answer had no status")


def test_null_data_is_not_found(emulator, client, token):
    task_id = completed_task(emulator)
    emulator.inject(Fault.NULL_DATA, task_id=task_id)
    task = client.lookup(token, task_id)
    assert (task.error, task.error_cause) == (
        "not found (answer had no task data)",
        LookupCause.NOT_FOUND,
    )


def test_wrong_types_are_read_without_crashing(emulator, client, token):
    task_id = completed_task(emulator, coins=100)
    emulator.inject(Fault.WRONG_TYPES, task_id=task_id, status="completed")
    task = client.lookup(token, task_id)
    assert task.outcome is TaskOutcome.COMPLETED
    assert task.coins == 100
    assert task.created_at is not None


def test_a_non_zero_envelope_code_is_an_a2e_error(emulator, client, token):
    task_id = completed_task(emulator)
    emulator.inject(Fault.API_ERROR_CODE, task_id=task_id)
    task = client.lookup(token, task_id)
    assert task.error == "A2E error (A2E code 1003: task query failed)"
    assert task.trace_id


def test_a_refused_connection_is_retried_then_reported_naming_the_server(token):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with make_client(f"http://127.0.0.1:{port}") as client:
        task = client.lookup(token, "0123456789abcdef01234567")
    assert (task.error, task.error_cause) == (
        f"could not connect to server http://127.0.0.1:{port}",
        LookupCause.NETWORK,
    )


def test_a_connection_that_breaks_mid_answer_is_a_network_error(token):
    def broken(request: httpx.Request) -> httpx.Response:
        raise httpx.RemoteProtocolError("peer closed connection", request=request)

    settings = ClientSettings(retry=make_client("http://x").settings.retry)
    with A2EClient(
        "http://a2e.test", settings=settings, transport=httpx.MockTransport(broken)
    ) as c:
        task = c.lookup(token, "0123456789abcdef01234567")
    assert (task.error, task.error_cause) == (
        "connection to server http://a2e.test broke off",
        LookupCause.NETWORK,
    )


def test_the_token_goes_only_in_the_authorization_header():
    seen: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(401, json={"code": 401, "msg": "bad"})

    with A2EClient("https://a2e.test", transport=httpx.MockTransport(record)) as client:
        task = client.lookup("sk_secret_value", "0123456789abcdef01234567")
    assert seen[0].headers["Authorization"] == "Bearer sk_secret_value"
    assert "sk_secret_value" not in str(seen[0].url)
    assert "sk_secret_value" not in repr(task)
    assert "sk_secret_value" not in str(client._http.headers)


@pytest.mark.parametrize(
    "fault", [Fault.BAD_GATEWAY_HTML, Fault.AUTH_FAILURE, Fault.MALFORMED_JSON, Fault.HANG]
)
def test_no_failure_message_contains_the_token(emulator, token, fault):
    task_id = completed_task(emulator)
    emulator.inject(fault, task_id=task_id)
    with make_client(emulator.base_url, timeout=0.5) as client:
        task = client.lookup(token, task_id)
    assert task.outcome is TaskOutcome.LOOKUP_ERROR
    assert token not in repr(task)


def test_a_token_that_cannot_be_sent_is_refused_without_echoing_it():
    with pytest.raises(TokenRejected) as caught:
        check_token("sk_abc\ndef")
    assert "sk_abc" not in caught.value.message


def test_many_lookups_keep_input_order_and_ask_each_id_once(emulator, client, token):
    ids = [completed_task(emulator, name=f"task {n}") for n in range(40)]
    asked = [*reversed(ids), ids[0], ids[0].upper()]
    tasks = client.lookup_many(token, asked)
    assert [t.id for t in tasks] == [*reversed(ids), ids[0], ids[0]]
    assert all(emulator.count_asked(i) == 1 for i in ids)


def test_many_lookups_run_concurrently(emulator, token):
    ids = [completed_task(emulator) for _ in range(16)]
    emulator.latency = 0.3
    started = time.monotonic()
    with make_client(emulator.base_url, concurrency=16) as client:
        client.lookup_many(token, ids)
    # One after another would take 4.8 s.
    assert time.monotonic() - started < 0.3 * 16 / 2


def test_face_swap_failures_read_the_misspelled_fields(emulator, client, token):
    task_id = emulator.add_task(
        kind="face_swap", status="failed", error_code="E7", faild_message="bad face"
    )
    task = client.lookup(token, task_id, "face_swap")
    assert (task.failed_code, task.failed_message) == ("E7", "bad face")


def test_remaining_coins_reports_the_balance_or_the_rejection(emulator, client, token):
    assert client.remaining_coins(token) == emulator.remaining_coins
    with pytest.raises(TokenRejected, match=r"token rejected \(HTTP 401\)"):
        client.remaining_coins("sk_wrong")


def _leaf_httpx_errors() -> list[type[Exception]]:
    classes = [getattr(httpx, name) for name in dir(httpx)]
    errors = [c for c in classes if isinstance(c, type) and issubclass(c, httpx.TransportError)]
    return [*errors, httpx.DecodingError, httpx.TooManyRedirects, httpx.InvalidURL]


@pytest.mark.parametrize("error_class", _leaf_httpx_errors(), ids=lambda c: c.__name__)
def test_every_httpx_error_is_translated_into_a_lookup_failure(error_class):
    request = httpx.Request("GET", "https://a2e.test/")
    error = (
        error_class("boom")
        if error_class is httpx.InvalidURL
        else error_class("boom", request=request)
    )
    with pytest.raises(LookupFailed), translate_httpx_errors(15):
        raise error


def hostile_server(answer: httpx.Response):
    """A transport answering every request the same odd way (no emulator fault makes these)."""

    def respond(request: httpx.Request) -> httpx.Response:
        return answer

    return httpx.MockTransport(respond)


@pytest.mark.parametrize(
    "answer",
    [
        httpx.Response(429, headers={"Retry-After": "²".encode()}, json={"code": 429}),
        httpx.Response(200, content=b'{"code": 0, "data": {"coins": ' + b"9" * 400 + b"}}"),
        httpx.Response(200, json={"code": 0, "data": {"current_status": {"nested": True}}}),
    ],
    ids=["odd-retry-after", "huge-number", "status-is-an-object"],
)
def test_an_odd_answer_becomes_a_lookup_row_and_never_raises(answer, token):
    settings = ClientSettings(retry=make_client("http://x").settings.retry)
    with A2EClient("https://a2e.test", settings=settings, transport=hostile_server(answer)) as c:
        tasks = c.lookup_many(token, ["0123456789abcdef01234567", "0123456789abcdef01234568"])
    assert [task.outcome for task in tasks] == [TaskOutcome.LOOKUP_ERROR] * 2
    assert all(task.error for task in tasks)


def test_cookies_set_for_one_token_are_never_sent_with_another():
    seen: list[httpx.Request] = []

    def respond(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(
            200,
            headers={"Set-Cookie": "session=alice; Path=/"},
            json={"code": 0, "data": {"coins": 5}},
        )

    with A2EClient("https://a2e.test", transport=httpx.MockTransport(respond)) as client:
        client.remaining_coins("sk_alice")
        client.remaining_coins("sk_bob")
    assert "cookie" not in seen[1].headers


@pytest.mark.parametrize(
    "url",
    [
        "ftp://x",
        "https://",
        "https://user:pw@host",
        "https://host/?x=1",
        "https://[::1",
        "https://a..b",
        "video.a2e.ai",
    ],
)
def test_an_unfit_server_url_is_refused_without_echoing_it(url):
    with pytest.raises(ValueError, match="is http:// or https:// and a host") as caught:
        A2EClient(url)
    assert "pw" not in str(caught.value)


def test_a_server_that_hangs_for_everyone_costs_ids_asked_alone_one_wave_of_timeouts(
    emulator, token
):
    ids = [completed_task(emulator) for _ in range(60)]
    emulator.inject(Fault.HANG)
    started = time.monotonic()
    settings = {"timeout": 1.0, "concurrency": 10, "batch_size": ONE_AT_A_TIME}
    with make_client(emulator.base_url, **settings) as client:
        tasks = client.lookup_many(token, ids)
    elapsed = time.monotonic() - started
    assert all(task.error_cause is LookupCause.NETWORK for task in tasks)
    skipped = [t for t in tasks if t.error and t.error.startswith("not asked")]
    assert len(skipped) >= 40
    assert emulator.count_requests() <= 20
    assert elapsed < 4


def test_one_hung_task_does_not_stop_the_rest_of_the_batch(emulator, token):
    ids = [completed_task(emulator) for _ in range(30)]
    emulator.inject(Fault.HANG, task_id=ids[0])
    with make_client(emulator.base_url, timeout=1.0, concurrency=4) as short_client:
        tasks = short_client.lookup_many(token, ids)
    assert [t.outcome for t in tasks[1:]] == [TaskOutcome.COMPLETED] * 29
