"""Targets, messages and the retry schedule: plain functions, and the watch command's refusals."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from click.testing import CliRunner

from a2e.cli import main
from a2e.cli.watch import chosen_kinds
from a2e.core.kinds import KINDS
from a2e.core.model import Task, TaskOutcome
from a2e.notify.message import GiveUp, Sent, TryAgain, http_attempt
from a2e.notify.schedule import DEFAULT_RETRY_DELAYS, next_attempt_at, parse_delays
from a2e.notify.send import MissingSecret, signer
from a2e.notify.targets import TargetError, parse_target
from a2e.watch.loop import WatchSettings
from a2e.watch.messages import digest_draft, task_draft, task_line

FAILED = Task(
    id="67e0df7f1213ef9fbf3d453b",
    kind="image2video",
    outcome=TaskOutcome.FAILED,
    status="failed",
    name="Portrait #12",
    failed_code="face_not_detected",
    failed_message="No face was detected in the source image. " * 5,
    created_at=datetime(2026, 11, 26, 3, 10, tzinfo=UTC),
)


def test_a_failed_task_reads_as_one_line_with_its_reason_cut_and_its_id_shortened():
    line = task_line(FAILED)
    assert line.startswith("Failed: Portrait #12 (image to video) — face_not_detected: No face")
    assert line.endswith("… — 67e0…53b")


def test_the_dashboard_link_is_added_only_for_an_http_address():
    assert task_draft(FAILED, "https://dash.example.com/").body.endswith(
        "\nhttps://dash.example.com/?ids=67e0df7f1213ef9fbf3d453b&kind=image2video"
    )
    assert "\n" not in task_draft(FAILED, "javascript:alert(1)").body


def test_a_completed_tasks_message_and_webhook_body_carry_every_result_link():
    images = tuple(f"https://cdn.example.com/set/{n}.png" for n in range(1, 4))
    done = Task(
        id="b" * 24, kind="nano_banana", outcome=TaskOutcome.COMPLETED, name="Set",
        result_urls=images,
    )  # fmt: skip
    draft = task_draft(done, "https://dash.example.com")
    assert draft.body.splitlines()[1:] == [
        *images,
        f"https://dash.example.com/?ids={'b' * 24}&kind=nano_banana",
    ]
    assert draft.payload["data"]["result_urls"] == list(images)
    assert digest_draft("k", [done] * 6).payload["data"]["tasks"][0]["result_urls"] == list(images)


def test_a_digest_counts_and_lists_failures_first():
    done = Task(id="a" * 24, kind="image2video", outcome=TaskOutcome.COMPLETED, name="Fine")
    draft = digest_draft("k", [done, done, FAILED])
    assert draft.body.splitlines()[:2] == ["2 completed, 1 failed:", task_line(FAILED)]


def test_the_webhook_body_never_holds_more_than_the_task_and_names_its_type():
    payload = task_draft(FAILED).payload
    assert payload["type"] == "task.failed"
    assert set(payload["data"]) == {
        "id", "kind", "name", "status", "outcome", "failed_code", "failed_message", "coins",
        "created_at", "finished_at", "result_urls", "trace_id", "dashboard_url",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("status", "attempt"),
    [(200, Sent()), (204, Sent()), (429, TryAgain("HTTP 429")), (503, TryAgain("HTTP 503"))],
)
def test_2xx_is_sent_and_429_or_5xx_is_tried_again(status, attempt):
    assert http_attempt(status) == attempt


@pytest.mark.parametrize("status", [400, 401, 403, 404, 410, 422])
def test_any_other_4xx_is_given_up(status):
    assert http_attempt(status) == GiveUp(f"refused with HTTP {status}")


def test_the_default_schedule_tries_six_times_over_thirty_minutes_then_gives_up():
    when, attempts = 0.0, 1
    while (later := next_attempt_at(when, attempts, DEFAULT_RETRY_DELAYS)) is not None:
        when, attempts = later, attempts + 1
    assert attempts == 6
    assert 30 * 60 <= when < 35 * 60


def test_a_receiver_down_for_two_minutes_is_reached_by_the_default_schedule():
    when, attempts = 0.0, 1
    while when < 120.0:  # down: this try fails
        later = next_attempt_at(when, attempts, DEFAULT_RETRY_DELAYS)
        assert later is not None, "given up while the receiver was down"
        when, attempts = later, attempts + 1
    assert (attempts, when) == (4, 255.0)  # the fourth try, 4¼ minutes after the first


def test_a_longer_retry_after_is_honoured():
    assert next_attempt_at(100.0, 1, (15.0, 60.0), retry_after=40.0) == 140.0
    assert parse_delays("500ms, 2s,1m") == (0.5, 2.0, 60.0)


def test_a_targets_label_hides_its_secrets():
    slack = parse_target("slack://T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7FQ/#general")
    assert "TIiajkdnlazkcOXrIdevi7FQ" not in slack.label
    hook = parse_target("webhook+https://hooks.example.com/secret/path?token=abc")
    assert hook.label == "webhook+https://hooks.example.com/…"
    assert "abc" not in repr(hook)
    zap = parse_target("json://user:pw123@hooks.example.com/hooks/catch/123/s3cret/?x=tok")
    assert zap.label == "json://user:****@hooks.example.com/…"
    assert parse_target("ntfy://ntfy.sh/s3crettopic").label == "ntfy://ntfy.sh/…"
    assert parse_target("mailto://bot:pw123@gmail.com").label == "mailtos://bot:****@gmail.com"


@pytest.mark.parametrize(
    "url",
    ["webhook+http://hooks.example.com/a", "webhook+ftp://x/y", "nosuch://x", "just text"],
)
def test_a_target_that_cannot_be_used_is_refused_without_echoing_it(url):
    with pytest.raises(TargetError) as refused:
        parse_target(url)
    assert url not in str(refused.value)


def test_webhook_http_is_accepted_for_loopback_only():
    assert parse_target("webhook+http://127.0.0.1:9/x").kind == "webhook"
    assert parse_target("webhook+http://[::1]:9/x").kind == "webhook"


def test_a_webhook_secret_must_be_whsec_base64():
    with pytest.raises(MissingSecret):
        signer("not-a-secret")
    assert signer(None) is None


@pytest.mark.parametrize(
    ("args", "env", "says"),
    [
        (["--notify", "nosuch://x"], {}, "not a notification URL Apprise knows"),
        (["--notify", "webhook+https://h.example/x"], {}, "needs A2E_NOTIFY_WEBHOOK_SECRET"),
        (["--notify", "json://127.0.0.1:9/x", "--until-done"], {}, "--until-done needs task ids"),
        (["--notify", "json://127.0.0.1:9/x", "--kind", "nope"], {}, "'nope' is not one of"),
        (["--notify", "json://127.0.0.1:9/x", "--interval", "soon"], {}, "not a duration"),
        (["--notify", "json://127.0.0.1:9/x", "67e0df7f"], {}, "not task ids: 67e0df7f"),
    ],
)
def test_the_watch_command_refuses_bad_input_with_exit_2(args, env, says):
    result = CliRunner().invoke(
        main, ["watch", *args], env={"A2E_API_TOKEN": "sk_x", **env}, catch_exceptions=False
    )
    assert result.exit_code == 2
    assert says in result.output


def test_an_unknown_kind_is_refused_naming_the_known_ones():
    result = CliRunner().invoke(
        main, ["watch", "--notify", "json://127.0.0.1:9/x", "--kind", "veo3"],
        env={"A2E_API_TOKEN": "sk_x"},
    )  # fmt: skip
    assert result.exit_code == 2
    assert all(name in result.output for name in ("'all'", "'video'", "'veo'", "'nano_banana'"))


@pytest.fixture
def training_unlisted(monkeypatch):
    """A registry stand-in: custom avatar training, the training family's one kind, unlisted."""
    monkeypatch.setitem(KINDS, "custom_avatar", replace(KINDS["custom_avatar"], listing=None))


@pytest.mark.usefixtures("training_unlisted")
@pytest.mark.parametrize("choice", ["training", "custom_avatar"])
def test_following_kinds_none_of_which_has_a_list_call_is_refused_with_what_to_do(choice):
    result = CliRunner().invoke(
        main, ["watch", "--notify", "json://127.0.0.1:9/x", "--kind", choice],
        env={"A2E_API_TOKEN": "sk_x"},
    )  # fmt: skip
    assert result.exit_code == 2
    assert f"no kind of '{choice}' has a list call: give its task ids" in result.output


@pytest.mark.usefixtures("training_unlisted")
def test_a_watcher_never_follows_a_kind_without_a_list_call_nor_asks_as_an_unknown_kind():
    assert "custom_avatar" not in chosen_kinds("all", following=True)
    assert chosen_kinds("training", following=False) == ("custom_avatar",)
    with pytest.raises(ValueError, match="no list call is known for custom_avatar"):
        WatchSettings(kinds=("image2video", "custom_avatar"))
    with pytest.raises(ValueError, match="not kinds: veo3"):
        WatchSettings(ids=("0123456789abcdef01234567",), id_kinds=("veo", "veo3"))
