"""The terminal table: aligned columns, and API text that cannot drive the terminal (no I/O)."""

from __future__ import annotations

from datetime import UTC, datetime

from a2e.core.model import LookupCause, Task, TaskOutcome, invalid_id, lookup_error
from a2e.views.text_table import render_task_table

DONE = Task(
    id="67d29023dd27a536fdf6e809",
    kind="image2video",
    outcome=TaskOutcome.COMPLETED,
    status="completed",
    name="Beach",
    coins=100.0,
    created_at=datetime(2025, 3, 13, 7, 58, 27, tzinfo=UTC),
    result_url="https://cdn.example.com/out.mp4",
)
FAILED = Task(
    id="67d29023dd27a536fdf6e80a",
    kind="image2video",
    outcome=TaskOutcome.FAILED,
    status="failed",
    coins=20.5,
    failed_code="E1001",
    failed_message="no face",
)
LOOKUP = lookup_error(
    "67d29023dd27a536fdf6e80b", "image2video", "timed out after 15 s", LookupCause.NETWORK
)
INVALID = invalid_id("xyz", "image2video")


def test_the_table_aligns_every_column_under_its_header():
    assert render_task_table([DONE, FAILED, LOOKUP, INVALID]) == (
        "ID                        OUTCOME       STATUS     CREATED (UTC)     COINS  NAME   "
        "RESULT / REASON\n"
        "67d29023dd27a536fdf6e809  completed     completed  2025-03-13 07:58  100    Beach  "
        "https://cdn.example.com/out.mp4\n"
        "67d29023dd27a536fdf6e80a  failed        failed                       20.5          "
        "E1001: no face\n"
        "67d29023dd27a536fdf6e80b  lookup_error                                             "
        "timed out after 15 s\n"
        "xyz                       invalid_id                                               "
        "not a task id (expected 24 hex characters)\n"
    )


def test_an_empty_table_is_the_header_alone():
    assert (
        render_task_table([])
        == "ID  OUTCOME  STATUS  CREATED (UTC)  COINS  NAME  RESULT / REASON\n"
    )


def test_lines_carry_no_trailing_spaces():
    table = render_task_table([DONE, FAILED, LOOKUP, INVALID])
    assert [line for line in table.splitlines() if line != line.rstrip()] == []


def test_a_failed_task_shows_only_the_parts_of_its_reason_it_has():
    only_message = Task(
        id=FAILED.id, kind="image2video", outcome=TaskOutcome.FAILED, failed_message="no face"
    )
    assert render_task_table([only_message]).splitlines()[1].endswith("  no face")


def test_control_characters_in_names_and_reasons_are_replaced_by_spaces():
    hostile = Task(
        id=FAILED.id,
        kind="image2video",
        outcome=TaskOutcome.FAILED,
        status="failed",
        name="a\x1b[2Jb\rc",
        failed_message="line1\nline2\x07",
    )
    table = render_task_table([hostile])
    assert table == (
        "ID                        OUTCOME  STATUS  CREATED (UTC)  COINS  NAME      "
        "RESULT / REASON\n"
        "67d29023dd27a536fdf6e80a  failed   failed                        a [2Jb c  line1 line2\n"
    )
    assert "\x1b" not in table
    assert table.count("\n") == 2


def test_long_cells_are_cut_to_sixty_characters_with_an_ellipsis():
    long_name = Task(
        id=FAILED.id, kind="image2video", outcome=TaskOutcome.IN_PROGRESS, name="n" * 80
    )
    row = render_task_table([long_name]).splitlines()[1]
    assert row.split()[-1] == "n" * 59 + "…"


def test_a_cell_of_exactly_sixty_characters_is_kept_whole():
    sixty = Task(id=FAILED.id, kind="image2video", outcome=TaskOutcome.IN_PROGRESS, name="n" * 60)
    assert render_task_table([sixty]).splitlines()[1].split()[-1] == "n" * 60
