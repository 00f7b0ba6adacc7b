"""The Recent page's pure parts: URL view, kept listing, opening page, overview helpers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest

from a2e.api.lists import TaskPage
from a2e.core.model import Task, TaskOutcome
from a2e.ui.opening import LOOKUP, RECENT, first_page
from a2e.ui.overview_charts import lighter, success_rates
from a2e.ui.recent_listing import listing_of_kinds, listing_of_page, position_label
from a2e.ui.recent_query import RecentView, view_from_query
from a2e.views.eta import TypicalRun
from a2e.views.listing import MergedPage
from a2e.views.overview import WindowRead, build_overview, with_typical_runs

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
KEPT = RecentView(kind="face_swap", page=3, size=20, status="failed")


def task(n: int, outcome: TaskOutcome = TaskOutcome.COMPLETED, **fields: object) -> Task:
    created = NOW - timedelta(minutes=n)
    return Task(id=f"{n:024x}", kind="image2video", outcome=outcome, created_at=created, **fields)  # type: ignore[arg-type]


def test_a_link_sets_every_part_of_the_view():
    view, notes = view_from_query({"kind": "dubbing", "page": "2", "size": "10"}, KEPT)
    assert view == RecentView("dubbing", 2, 10, "failed")
    assert notes == []


def test_what_the_url_leaves_out_is_the_kept_view_and_a_new_list_starts_on_page_one():
    assert view_from_query({"status": "running"}, KEPT)[0] == RecentView(
        "face_swap", 3, 20, "running"
    )
    assert view_from_query({"kind": "dubbing"}, KEPT)[0].page == 1


@pytest.mark.parametrize(
    ("query", "view", "note"),
    [
        ({"size": "9"}, RecentView("face_swap", 3, 20, "failed"), "Page size “9”"),
        ({"size": "1e2"}, RecentView("face_swap", 3, 20, "failed"), "Page size “1e2”"),
        ({"page": "0"}, RecentView("face_swap", 1, 20, "failed"), "Page “0”"),
        ({"page": "-2"}, RecentView("face_swap", 1, 20, "failed"), "Page “-2”"),
        ({"kind": ""}, KEPT, "Unknown kind “”"),
        ({"status": "FAILED "}, KEPT, None),
        ({"status": "all"}, RecentView("face_swap", 3, 20, None), None),
        ({"kind": "all", "page": "2"}, RecentView("all", 1, 20, "failed"), "Page 2 is not"),
    ],
)
def test_a_bad_value_falls_back_and_is_named(query, view, note):
    found, notes = view_from_query(query, KEPT)
    assert found == view
    if note is None:
        assert notes == []
    else:
        assert [n for n in notes if n.startswith(note)], notes


def test_a_long_bad_value_is_cut_in_its_note_which_names_the_known_kinds():
    _, notes = view_from_query({"kind": "x" * 500}, KEPT)
    assert "x" * 41 not in notes[0]
    assert "x" * 40 in notes[0]
    assert all(name in notes[0] for name in ("all", "video", "image2video", "nano_banana"))


def test_the_view_is_written_back_as_url_parameters_never_more():
    assert KEPT.params() == {"kind": "face_swap", "page": "3", "size": "20", "status": "failed"}
    assert set(RecentView().params()) == {"kind", "page", "size"}


def test_the_status_filter_keeps_only_that_outcome():
    running = task(1, TaskOutcome.IN_PROGRESS)
    assert RecentView(status="running").shows(running)
    assert not RecentView(status="failed").shows(running)
    assert RecentView().shows(running)


@pytest.mark.parametrize(
    ("query", "usable", "page"),
    [
        ({}, True, RECENT),
        ({}, False, LOOKUP),
        ({"ids": "67e05299be53654994ccc58d"}, True, LOOKUP),
        ({"kind": "face_swap"}, True, RECENT),
        ({"kind": "face_swap"}, False, LOOKUP),
        ({"page": "2"}, False, RECENT),
        ({"status": "failed", "ids": "abc"}, True, LOOKUP),
    ],
)
def test_the_opening_page(query, usable, page):
    assert first_page(query, usable) == page


def page_of(tasks: list[Task], *, page: int = 1, size: int = 3, total: int | None = 7) -> TaskPage:
    return TaskPage(kind="image2video", page=page, size=size, tasks=tuple(tasks), total=total)


def key(kind: str = "image2video", page: int = 1) -> tuple[str, str, str, int, int]:
    return ("http://server", "fingerprint", kind, page, 3)


def test_a_listing_is_kept_newest_first_with_its_position():
    listing = listing_of_page(key(page=2), page_of([task(5), task(1), task(3)], page=2))
    assert [t.id for t in listing.tasks] == [task(1).id, task(3).id, task(5).id]
    assert position_label(listing) == "**7 tasks** · page 2 of 3"


def test_without_a_total_the_position_says_so():
    listing = listing_of_page(key(), page_of([task(1)], total=None))
    assert position_label(listing) == "Page 1 (the last) · the server gave no total"


def test_a_page_past_the_end_is_known_as_such():
    assert listing_of_page(key(page=9), page_of([], page=9)).past_the_end
    assert not listing_of_page(key(page=1), page_of([], total=0)).past_the_end


def test_a_capped_or_skipping_answer_gets_a_note():
    capped = TaskPage(kind="image2video", page=1, size=3, tasks=(task(1),), total=7, skipped=1)
    notes = listing_of_page(key(), capped).notes
    assert notes == (
        "1 listed row had no valid task id and is not shown.",
        "The server sent 2 tasks for a page of 3: choose 2 per page, or paging would skip tasks.",
    )


def test_all_kinds_names_the_kinds_that_failed():
    merged = MergedPage(
        tasks=(task(1),), pages=(page_of([task(1)]),), failures=(("face_swap", "HTTP 500"),)
    )
    listing = listing_of_kinds(key("all"), merged)
    assert listing.notes == ("Face swap: not listed (HTTP 500).",)
    assert position_label(listing) == "The newest **1** tasks of every kind"


def test_each_kind_running_in_the_overview_uses_its_own_typical_run():
    fast = Task(
        id="a" * 24,
        kind="face_swap",
        outcome=TaskOutcome.IN_PROGRESS,
        created_at=NOW - timedelta(minutes=20),
    )
    slow = Task(
        id="b" * 24,
        kind="dubbing",
        outcome=TaskOutcome.IN_PROGRESS,
        created_at=NOW - timedelta(minutes=30),
    )
    read = WindowRead(tasks=(slow, fast), start=NOW - timedelta(days=1), now=NOW, calls=2)
    typical = {"face_swap": TypicalRun(60.0, "api"), "dubbing": TypicalRun(3600.0, "api")}
    overview = with_typical_runs(build_overview(read, None), read, typical)
    flags = dict(zip(overview.running["id"], overview.running["stuck"], strict=True))
    assert flags == {fast.id: True, slow.id: False}
    assert list(overview.running["id"]) == [slow.id, fast.id]
    assert int(overview.running_by_age["stuck"].sum()) == 1


def test_the_success_rate_counts_finished_tasks_only():
    frame = pd.DataFrame(
        [
            (NOW, "Completed", 3, 0.0),
            (NOW, "Failed", 1, 0.0),
            (NOW, "Running", 5, 0.0),
            (NOW + timedelta(days=1), "Running", 2, 0.0),
        ],
        columns=["period", "outcome", "tasks", "coins"],
    )
    rates = success_rates(frame)
    assert list(rates["rate"]) == [0.75]
    assert list(rates["finished"]) == [4]


def test_the_lighter_shade_of_the_theme_colour():
    assert lighter("#000000", 0.5) == "#808080"
    assert lighter("not a colour") == "not a colour"
