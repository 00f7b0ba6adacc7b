"""The text table: aligned columns, whole cells in a pipe, lines that fit a terminal's width,
API text that cannot drive the terminal, and the summary line (no I/O)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from wcwidth import width

from a2e.core.model import LookupCause, Task, TaskOutcome, invalid_id, lookup_error
from a2e.views.text_table import MIN_CUT_WIDTH, fit_widths, render_task_table, summary_line

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
        "not a task id: 3 characters, not 24; a task id is 24 hex characters\n"
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


def running(name: str = "", task_id: str = FAILED.id, kind: str = "image2video") -> Task:
    return Task(id=task_id, kind=kind, outcome=TaskOutcome.IN_PROGRESS, status="pending", name=name)


def long_failure(message: str) -> Task:
    return Task(
        id=FAILED.id,
        kind="image2video",
        outcome=TaskOutcome.FAILED,
        status="failed",
        name="Talking cat portrait",
        failed_code="face_not_detected",
        failed_message=message,
    )


LONG_MESSAGE = "No face was detected in the source image; " * 6


def test_without_a_width_no_cell_is_cut_however_long():
    table = render_task_table([long_failure(LONG_MESSAGE), running("n" * 500)])
    assert f"face_not_detected: {LONG_MESSAGE}".rstrip() in table
    assert "n" * 500 in table
    assert "…" not in table


def test_every_line_fits_the_width_given():
    tasks = [DONE, long_failure(LONG_MESSAGE), running("n" * 90), LOOKUP, INVALID]
    lines = render_task_table(tasks, width=120).splitlines()
    assert max(len(line) for line in lines) == 120


def test_a_long_reason_wraps_onto_the_rows_next_lines_and_is_read_whole():
    lines = render_task_table([long_failure(LONG_MESSAGE)], width=120).splitlines()
    reason_column = lines[0].index("RESULT / REASON")
    assert lines[1] == (
        f"{FAILED.id}  failed   failed                        Talking     "
        "face_not_detected: No face was detected in"
    )
    continued = [line[reason_column:] for line in lines[2:]]
    assert [line[:reason_column].strip() for line in lines[2:4]] == ["cat", "portrait"]
    whole = " ".join([lines[1][reason_column:], *continued])
    assert whole == f"face_not_detected: {LONG_MESSAGE}".rstrip()
    assert "…" not in "".join(lines)


def test_the_widest_text_column_is_narrowed_first_and_wraps():
    task = replace(long_failure("short reason"), name="m" * 200)
    lines = render_task_table([task], width=130).splitlines()
    assert lines[1].endswith("  face_not_detected: short reason")
    assert "m" * 32 + "  " in lines[1]
    assert "".join(line.split()[-1] for line in lines[2:]) == "m" * (200 - 32)
    assert max(len(line) for line in lines) == 130


def test_a_narrow_terminal_narrows_text_columns_to_their_floor_and_never_the_id():
    lines = render_task_table([long_failure(LONG_MESSAGE)], width=20).splitlines()
    assert lines[:2] == [
        "ID                        OUTCOME  STATUS  CREATED (UTC)  COINS  NAME        RESULT /",
        "                                                                             REASON",
    ]
    assert lines[2] == (
        f"{FAILED.id}  failed   failed                        Talking     face_not_d"
    )
    assert lines[3].endswith("cat         etected:")


def test_wide_characters_count_as_two_columns():
    lines = render_task_table([running("猫の写真" * 10), DONE], width=130).splitlines()
    name_column = lines[0].index("NAME")
    assert lines[1].endswith("  " + "猫の写真" * 2 + "猫の写")
    assert [width(line[name_column:]) for line in lines[1:4]] == [22, 22, 22]
    row = lines.index(next(line for line in lines if line.startswith(DONE.id)))
    assert "".join(line[name_column:].strip() for line in lines[1:row]) == "猫の写真" * 10
    assert lines[row].index("Beach") == name_column
    assert max(width(line) for line in lines) <= 130
    assert lines[row].endswith("https://cdn.example.com/out.mp4"), "the result stays whole"


def test_fit_widths_levels_the_widest_cuttable_columns_down_together():
    assert fit_widths([24, 40, 30], [None, 12, 12], 24 + 2 + 30 + 2 + 30) == [24, 30, 30]
    assert fit_widths([24, 40, 30], [None, 12, 12], 24 + 2 + 25 + 2 + 25) == [24, 25, 25]
    assert fit_widths([24, 40, 10], [None, 12, 10], 24 + 2 + 30 + 2 + 10) == [24, 30, 10]


def test_fit_widths_never_cuts_below_a_floor_nor_an_uncuttable_column():
    assert fit_widths([24, 40, 30], [None, 12, 15], 10) == [24, 12, 15]
    assert fit_widths([30, 40], [None, MIN_CUT_WIDTH], 40) == [30, MIN_CUT_WIDTH]


def test_a_kind_column_appears_only_when_kinds_differ():
    same = render_task_table([running(kind="face_swap"), running(kind="face_swap"), INVALID])
    assert "KIND" not in same
    mixed = render_task_table([running(kind="face_swap"), DONE, LOOKUP, INVALID]).splitlines()
    assert mixed[0].split()[:4] == ["ID", "OUTCOME", "STATUS", "KIND"]
    assert mixed[1].split()[3] == "face_swap"
    assert mixed[2].split()[3] == "image2video"
    kind_column = mixed[0].index("KIND")
    assert [line[kind_column : kind_column + 11] for line in mixed[3:]] == [" " * 11] * 2


def test_the_summary_counts_every_outcome():
    tasks = [DONE, DONE, FAILED, running(), LOOKUP]
    assert summary_line(tasks) == "5 tasks: 2 completed, 1 failed, 1 running, 1 lookup error"


def test_pieces_that_are_not_ids_are_counted_apart_from_the_tasks_when_there_are_some():
    assert summary_line([DONE]) == "1 task: 1 completed, 0 failed, 0 running, 0 lookup errors"
    assert summary_line([DONE, INVALID]) == (
        "1 task: 1 completed, 0 failed, 0 running, 0 lookup errors; "
        "and 1 piece that is not a task id"
    )
    assert summary_line([DONE, INVALID, INVALID]) == (
        "1 task: 1 completed, 0 failed, 0 running, 0 lookup errors; "
        "and 2 pieces that are not task ids"
    )


def test_bidi_controls_in_a_name_are_replaced_in_a_wrapped_table_too():
    hostile = running("invoice\u202egnp.exe" + "x" * 180)
    table = render_task_table([hostile], width=120)
    assert len(table.splitlines()) > 2
    assert "\u202e" not in table
    lines = table.splitlines()
    assert lines[1].endswith("  invoice")
    assert lines[2].strip().startswith("gnp.exe")
