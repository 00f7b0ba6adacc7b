"""The webhook route and what it reads: the token, the size, JSON, ids anywhere plausible."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
from prometheus_client import generate_latest
from starlette.applications import Starlette
from starlette.routing import BaseRoute

from a2e.api.metrics import REGISTRY
from a2e.hooks.receipt import HEADER, MAX_BODY_BYTES, MAX_IDS, BadBody, read_ids, token_matches
from a2e.hooks.route import WEBHOOK_PATH, webhook_route
from a2e.sandbox.server import BackgroundServer
from a2e.ui.server_routes import server_routes

A = "67d29023dd27a536fdf6e809"
B = "67d29023dd27a536fdf6e80a"
TOKEN = "whk_3f9a1c7e5b2d4c8e"


def webhooks(result: str) -> float:
    line = f'a2e_webhooks_total{{result="{result}"}} '
    text = generate_latest(REGISTRY).decode()
    found = [row for row in text.splitlines() if row.startswith(line)]
    return float(found[0].split()[-1]) if found else 0.0


class Received:
    """What the route scheduled."""

    def __init__(self, accept: bool = True) -> None:
        self.calls: list[list[str]] = []
        self.accept = accept

    def __call__(self, task_ids: list[str], received_at: float) -> bool:
        self.calls.append(task_ids)
        return self.accept


@contextmanager
def serving(route: BaseRoute) -> Iterator[httpx.Client]:
    """The route served by uvicorn on loopback, and a client for it."""
    server = BackgroundServer(Starlette(routes=[route]), "127.0.0.1", 0)
    port = server.start()
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as http:
            yield http
    finally:
        server.stop()


def route_client(received: Received, token: str | None = TOKEN):
    return serving(webhook_route(token, received))


@pytest.mark.parametrize(
    "body",
    [
        {"_id": A},
        {"id": A},
        {"task_id": A},
        {"event": "task.completed", "data": {"_id": A}},
        {"data": {"rows": [{"_id": A.upper()}]}},
        {"data": {"task": {"taskId": A}}},
        {"video_id": f"  {A} "},
        [A],
        [{"_id": A}],
    ],
    ids=lambda body: json.dumps(body)[:40],
)
def test_the_id_is_found_wherever_a_webhook_plausibly_puts_it(body):
    assert read_ids(json.dumps(body).encode()) == [A]


def test_several_ids_come_back_once_each_in_order():
    body = {"ids": [B, A, B], "data": [{"_id": A}]}
    assert read_ids(json.dumps(body).encode()) == [B, A]


def test_ids_are_read_from_id_fields_only_and_never_from_other_text():
    body = {"_id": "not-an-id", "name": A, "prompt": f"see {A}", "data": {"result_url": A}}
    with pytest.raises(BadBody, match="names no task id"):
        read_ids(json.dumps(body).encode())


def test_a_webhook_names_at_most_max_ids():
    many = [f"{n:024x}" for n in range(MAX_IDS + 50)]
    assert read_ids(json.dumps({"ids": many}).encode()) == many[:MAX_IDS]


@pytest.mark.parametrize(
    "body",
    [b"not json", b"42", b'"' + A.encode() + b'"', b"_id=" + A.encode(), b"\xff\xfe", b""],
)
def test_a_body_that_is_not_a_json_object_or_array_is_bad(body):
    with pytest.raises(BadBody):
        read_ids(body)


def test_json_nested_deeper_than_anyone_writes_is_bad_or_ignored_never_a_crash():
    deep = b"[" * 50_000 + b"]" * 50_000
    with pytest.raises(BadBody):
        read_ids(deep)


@pytest.mark.parametrize("given", [None, "", TOKEN + "x", TOKEN[:-1], TOKEN.upper(), "é" + TOKEN])
def test_anything_but_the_exact_token_does_not_match(given):
    assert not token_matches(given, TOKEN)


def test_the_exact_token_matches_and_an_empty_setting_matches_nothing():
    assert token_matches(TOKEN, TOKEN)
    assert not token_matches("", "")


def test_a_webhook_without_the_token_gets_401_and_nothing_is_scheduled():
    received = Received()
    before = webhooks("bad_token")
    with route_client(received) as http:
        missing = http.post(WEBHOOK_PATH, json={"_id": A})
        wrong = http.post(WEBHOOK_PATH, json={"_id": A}, headers={HEADER: "whk_guess"})
    assert (missing.status_code, wrong.status_code) == (401, 401)
    assert received.calls == []
    assert webhooks("bad_token") == before + 2
    assert TOKEN not in missing.text + wrong.text


def test_a_valid_webhook_is_accepted_at_once_with_its_ids():
    received = Received()
    with route_client(received) as http:
        answer = http.post(WEBHOOK_PATH, json={"data": {"_id": A}}, headers={HEADER: TOKEN})
    assert answer.status_code == 202
    assert answer.json() == {"accepted": 1}
    assert received.calls == [[A]]


def test_a_body_over_64_kib_gets_413_declared_or_streamed():
    received = Received()
    big = json.dumps({"_id": A, "pad": "x" * MAX_BODY_BYTES}).encode()
    before = webhooks("bad_token"), webhooks("bad_body")
    with route_client(received) as http:
        declared = http.post(WEBHOOK_PATH, content=big, headers={HEADER: TOKEN})
        streamed = http.post(
            WEBHOOK_PATH, content=iter([big[:40_000], big[40_000:]]), headers={HEADER: TOKEN}
        )
    assert (declared.status_code, streamed.status_code) == (413, 413)
    assert received.calls == []
    assert (webhooks("bad_token"), webhooks("bad_body")) == (before[0], before[1] + 2)


def test_a_body_that_is_not_json_or_names_no_id_gets_400_without_echoing_it():
    received = Received()
    with route_client(received) as http:
        form = http.post(WEBHOOK_PATH, data={"_id": A}, headers={HEADER: TOKEN})
        empty = http.post(WEBHOOK_PATH, json={"name": "<script>"}, headers={HEADER: TOKEN})
    assert (form.status_code, empty.status_code) == (400, 400)
    assert "<script>" not in empty.text
    assert received.calls == []


def test_a_webhook_is_refused_with_503_while_too_many_ids_wait():
    with route_client(Received(accept=False)) as http:
        answer = http.post(WEBHOOK_PATH, json={"_id": A}, headers={HEADER: TOKEN})
    assert answer.status_code == 503


def test_only_post_is_served():
    with route_client(Received()) as http:
        assert http.get(WEBHOOK_PATH, headers={HEADER: TOKEN}).status_code == 405


def test_without_a_webhook_token_the_route_answers_404_and_reads_nothing():
    [route] = [r for r in server_routes({}) if r.path == WEBHOOK_PATH]  # type: ignore[attr-defined]
    with serving(route) as http:
        answer = http.post(WEBHOOK_PATH, json={"_id": A}, headers={HEADER: ""})
    assert answer.status_code == 404
