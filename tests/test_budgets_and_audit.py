"""Per-viewer budgets (``limits``' moving window) and the audit trail's lines."""

from __future__ import annotations

import io
import json
import stat
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from a2e.access.audit import (
    TICKS_LINE_SECONDS,
    AuditEvent,
    AuditKind,
    AuditTrail,
    outcome_counts,
)
from a2e.access.budgets import Budget, Budgets, BudgetSettings, parse_per_minute

SMALL = BudgetSettings(lookups_per_minute=10, token_checks_per_minute=2, lists_per_minute=3)


def test_lookups_are_counted_in_ids_and_the_one_that_overruns_is_refused_whole():
    budgets = Budgets(SMALL)
    assert budgets.spend("alice", Budget.LOOKUP, 6).allowed
    refused = budgets.spend("alice", Budget.LOOKUP, 5)
    assert not refused.allowed
    assert refused.remaining == 4
    assert budgets.spend("alice", Budget.LOOKUP, 4).allowed  # the refusal spent nothing
    assert not budgets.spend("alice", Budget.LOOKUP, 1).allowed


def test_each_viewer_and_each_budget_is_counted_apart():
    budgets = Budgets(SMALL)
    assert budgets.spend("alice", Budget.LOOKUP, 10).allowed
    assert budgets.spend("bob", Budget.LOOKUP, 10).allowed
    assert budgets.spend("alice", Budget.TOKEN_CHECK).allowed
    assert budgets.spend("alice", Budget.LIST, 3).allowed
    assert not budgets.spend("alice", Budget.LIST).allowed


def test_a_refusal_of_a_call_says_what_the_budget_counts_and_when_more_frees_up():
    budgets = Budgets(SMALL)
    budgets.spend("alice", Budget.LOOKUP, 10)
    message = budgets.spend("alice", Budget.LOOKUP).message
    assert message.startswith(
        "each viewer may send 10 status calls a minute (retries and Auto's tries of other "
        "kinds count); more frees up in "
    )
    assert 55 <= int(message.rsplit(" in ", 1)[1].removesuffix(" s")) <= 60


def test_a_spender_charges_one_call_per_use_and_says_why_not():
    spend = Budgets(SMALL).spender("alice", Budget.LIST)
    assert [spend() for _ in range(3)] == [None, None, None]
    refusal = spend()
    assert refusal is not None
    assert refusal.startswith("each viewer may send 3 list calls a minute; more frees up in ")


def test_token_checks_and_lists_have_their_own_messages():
    budgets = Budgets(SMALL)
    for _ in range(2):
        budgets.spend("alice", Budget.TOKEN_CHECK)
    assert budgets.spend("alice", Budget.TOKEN_CHECK).message.startswith(
        "Not checked: each viewer may check a token twice a minute; try again in "
    )
    budgets.spend("alice", Budget.LIST, 3)
    assert budgets.spend("alice", Budget.LIST).message.startswith(
        "each viewer may send 3 list calls a minute; more frees up in "
    )


def test_an_allowed_spend_has_no_message():
    assert Budgets().spend("alice", Budget.LOOKUP, 3_000).message == ""


@pytest.mark.parametrize(("text", "value"), [(None, None), ("  ", None), ("5", 5), ("3_000", 3000)])
def test_per_minute_settings_are_whole_numbers(text, value):
    assert parse_per_minute(text) == value


@pytest.mark.parametrize("text", ["0", "-1", "2.5", "lots", "10000000"])
def test_a_per_minute_setting_that_is_not_a_whole_number_from_one_is_refused(text):
    with pytest.raises(ValueError, match="whole number from 1 to 1,000,000"):
        parse_per_minute(text)


EVENT = AuditEvent(
    user="alice@team.example",
    server="https://video.a2e.ai",
    kind=AuditKind.LOOKUP,
    ids=3,
    token_source="server",
    outcomes={"failed": 1, "completed": 2},
)


def test_an_audit_line_is_one_json_object_with_every_field_in_order():
    line = EVENT.line(datetime(2026, 11, 25, 10, 4, 5, 123456, tzinfo=UTC))
    assert "\n" not in line
    assert list(json.loads(line).items()) == [
        ("time", "2026-11-25T10:04:05.123Z"),
        ("user", "alice@team.example"),
        ("server", "https://video.a2e.ai"),
        ("kind", "lookup"),
        ("ids", 3),
        ("calls", 0),
        ("token_source", "server"),
        ("outcomes", {"completed": 2, "failed": 1}),
        ("refused", None),
    ]


def test_audit_lines_are_appended_to_an_owner_only_file(tmp_path):
    path = tmp_path / "audit.jsonl"
    trail = AuditTrail(str(path))
    trail.record(EVENT)
    trail.record(AuditEvent("anon-1", "https://x.example", AuditKind.TOKEN_CHECK, 0, "viewer"))
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert [line["kind"] for line in lines] == ["lookup", "token_check"]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_without_a_file_audit_lines_go_to_the_stream():
    stream = io.StringIO()
    AuditTrail(stream=stream).record(EVENT)
    assert json.loads(stream.getvalue())["user"] == "alice@team.example"


def test_an_audit_file_that_cannot_be_written_is_reported_and_stops_nothing(tmp_path):
    stream = io.StringIO()
    missing = tmp_path / "no-such-folder" / "audit.jsonl"
    AuditTrail(str(missing), stream=stream).record(EVENT)
    assert stream.getvalue().startswith(f"a2e audit: could not write to {missing}: ")


def test_outcomes_are_counted():
    assert outcome_counts(["failed", "completed", "failed"]) == {"failed": 2, "completed": 1}


class DrivenTimers:
    """A scheduler the test drives: callbacks run when the test says the time has come."""

    def __init__(self) -> None:
        self.pending: list[tuple[float, object]] = []

    def __call__(self, seconds: float, callback) -> None:
        self.pending.append((seconds, callback))

    def fire(self) -> None:
        due, self.pending = self.pending, []
        for _, callback in due:
            callback()


def tick(user: str = "anon-1", ids: int = 2, outcomes=None, refused=None) -> AuditEvent:
    return AuditEvent(
        user,
        "https://video.a2e.ai",
        AuditKind.REFRESH,
        ids,
        "demo",
        outcomes if outcomes is not None else {"in_progress": ids},
        refused=refused,
        ticks=1,
    )


def test_a_viewers_auto_refresh_ticks_of_a_minute_are_one_line_that_counts_them():
    stream, timers = io.StringIO(), DrivenTimers()
    trail = AuditTrail(stream=stream, schedule=timers)
    for outcomes in ({"in_progress": 2}, {"in_progress": 1, "completed": 1}, {"completed": 2}):
        trail.record(tick(outcomes=outcomes))
    assert stream.getvalue() == ""
    assert [seconds for seconds, _ in timers.pending] == [TICKS_LINE_SECONDS]

    timers.fire()

    (line,) = [json.loads(text) for text in stream.getvalue().splitlines()]
    assert (line["kind"], line["ids"], line["ticks"]) == ("refresh", 6, 3)
    assert line["outcomes"] == {"completed": 3, "in_progress": 3}


def test_every_lookup_and_refresh_now_keeps_a_line_of_its_own_among_the_ticks():
    stream, timers = io.StringIO(), DrivenTimers()
    trail = AuditTrail(stream=stream, schedule=timers)
    trail.record(tick())
    trail.record(EVENT)
    trail.record(replace(tick(), ticks=None))  # Refresh now, pressed by the viewer
    trail.record(tick(user="anon-2"))
    trail.record(tick(refused="budget", outcomes={}))
    written = [json.loads(text) for text in stream.getvalue().splitlines()]
    assert [(line["kind"], "ticks" in line) for line in written] == [
        ("lookup", False),
        ("refresh", False),
    ]
    timers.fire()
    ticks = [json.loads(text) for text in stream.getvalue().splitlines()][2:]
    assert sorted((line["user"], str(line["refused"]), line["ticks"]) for line in ticks) == [
        ("anon-1", "None", 1),
        ("anon-1", "budget", 1),
        ("anon-2", "None", 1),
    ]


def test_ticks_still_adding_up_are_written_when_flushed_and_a_new_minute_opens_a_new_line():
    stream, timers = io.StringIO(), DrivenTimers()
    trail = AuditTrail(stream=stream, schedule=timers)
    trail.record(tick())
    trail.flush()
    trail.record(tick())
    timers.fire()  # the first line's timer finds nothing left to write
    lines = [json.loads(text) for text in stream.getvalue().splitlines()]
    assert [line["ticks"] for line in lines] == [1, 1]
