"""What a hostile server can put in front of a viewer: short sanitised snippets, bounded Tasks.

Against the emulator over loopback where a server can produce it; ``read_answer`` directly for
bodies the emulator has no fault for (it is the one place every answer is read).
"""

from __future__ import annotations

import pytest

from a2e.api.answers import SERVER_MESSAGE_LIMIT, read_answer
from a2e.api.errors import BadAnswer, LookupFailed, ServerFailed
from a2e.api.records import NUMBER_LIMIT, URL_LIMIT
from a2e.api.servers import normalise_base_url
from a2e.core.model import Task, TaskOutcome
from a2e.sandbox import Emulator, Fault
from tests.conftest import make_client

SECRET = "root:x:0:0:internal-service-password"
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"


def message_of(status: int, body: bytes) -> str:
    with pytest.raises(LookupFailed) as caught:
        read_answer(status, body)
    return caught.value.message


@pytest.mark.parametrize(
    ("body", "summary"),
    [
        (f"<!DOCTYPE html><html><body>{SECRET}</body></html>".encode(), "HTML error page"),
        (f"<HTML><title>{SECRET}</title>".encode(), "HTML error page"),
        (SECRET.encode(), "unexpected body"),
        (f'["{SECRET}"]'.encode(), "unexpected body"),
        (b"\x00\xff" + SECRET.encode(), "unexpected body"),
    ],
)
def test_a_body_that_is_not_a2es_is_summarised_never_reproduced(body, summary):
    message = message_of(500, body)
    assert message == f"HTTP 500 from server ({summary})"
    assert "internal" not in message


def test_a2e_s_own_message_is_quoted_on_one_line_cut_short_and_without_bidi_controls():
    said = f"Internal\n\r\t{BIDI}error " + "x" * 5_000
    message = message_of(503, f'{{"code": 503, "msg": "{said!s}"}}'.encode("unicode_escape"))
    quoted = message.removeprefix("HTTP 503 from server: ")
    assert quoted.startswith("Internal error xxx")
    assert len(quoted) == SERVER_MESSAGE_LIMIT
    assert quoted.endswith("…")
    assert not any(char in message for char in BIDI + "\n\r\t")


def test_a_long_error_code_message_is_cut_short_in_a_row(emulator, client, token):
    task_id = emulator.add_task(status="completed")
    emulator.inject(Fault.API_ERROR_CODE, task_id=task_id, code=1003, msg="no " * 5_000)
    task = client.lookup(token, task_id)
    assert task.error is not None
    assert len(task.error) < SERVER_MESSAGE_LIMIT + 40


def test_check_token_summarises_an_html_error_page(emulator, client, token):
    emulator.inject(Fault.BAD_GATEWAY_HTML)
    with pytest.raises(ServerFailed) as caught:
        client.remaining_coins(token)
    assert caught.value.message == "HTTP 502 from server (HTML error page)"


def test_an_over_long_url_is_dropped_with_a_note(emulator, client, token):
    long_url = "https://cdn.example.com/" + "a" * URL_LIMIT
    task_id = emulator.add_task(status="completed", result_url=long_url)
    task = client.lookup(token, task_id)
    assert (task.outcome, task.result_url) == (TaskOutcome.COMPLETED, None)
    assert task.notes == (f"result_url dropped: longer than {URL_LIMIT:,} characters",)


@pytest.mark.parametrize("coins", [1e308, -1e20, NUMBER_LIMIT * 10, "1e308"])
def test_an_absurd_number_is_dropped_with_a_note_not_shown(emulator, client, token, coins):
    task = client.lookup(token, emulator.add_task(status="completed", coins=coins))
    assert task.coins is None
    assert task.notes == ("coins dropped: not a usable number",)


def test_a_believable_number_is_kept_without_a_note(emulator, client, token):
    task = client.lookup(token, emulator.add_task(status="completed", coins=100))
    assert (task.coins, task.notes) == (100, ())


def test_check_token_does_not_show_an_absurd_balance(token):
    with (
        Emulator(coins=10**400) as emulator,
        make_client(emulator.base_url) as client,
        pytest.raises(BadAnswer, match="no coin balance"),
    ):
        client.remaining_coins(token)


def test_bidi_controls_are_removed_from_text_and_escaped_in_the_raw_json(emulator, client, token):
    task_id = emulator.add_task(status="completed", name="\u202egnp.exe")
    task = client.lookup(token, task_id)
    assert task.name == "gnp.exe"
    assert "\u202e" not in (task.raw_json or "")
    assert "\\u202egnp.exe" in (task.raw_json or "")


def text_size(task: Task) -> int:
    return sum(len(value) for value in vars(task).values() if isinstance(value, str))


def test_one_task_stays_small_however_large_the_record(emulator, client, token):
    huge = "https://cdn.example.com/" + "v" * 200_000
    task_id = emulator.add_task(
        status="failed",
        result_url=huge,
        name="n" * 200_000,
        failed_message="m" * 200_000,
    )
    emulator.inject(Fault.OVERSIZED, task_id=task_id, size_bytes=300_000)
    task = client.lookup(token, task_id)
    assert task.outcome is TaskOutcome.FAILED
    assert text_size(task) < 40_000


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("HTTP://Example.COM/", "http://example.com"),
        ("HttpS://VIDEO.A2E.AI", "https://video.a2e.ai"),
        ("hTTp://127.0.0.1:8765", "http://127.0.0.1:8765"),
        ("https://video.a2e.ai:443", "https://video.a2e.ai"),
        ("http://[::FFFF:127.0.0.1]:80/", "http://[::ffff:127.0.0.1]"),
        ("https://Bücher.example/Api", "https://xn--bcher-kva.example/Api"),
    ],
)
def test_a_server_url_is_made_canonical_so_http_is_recognised_whatever_its_case(typed, canonical):
    assert normalise_base_url(typed) == canonical
