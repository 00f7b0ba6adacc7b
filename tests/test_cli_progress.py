"""The progress line: only on a terminal, only for a batch worth watching, cleared at the end."""

from __future__ import annotations

import io

from a2e.cli.progress import ProgressLine


class Terminal(io.StringIO):
    """A stand-in for a terminal's stderr (the seam the real test over a pty confirms)."""

    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_large_batch_draws_the_count_in_place_and_clears_it():
    stream, clock = Terminal(), Clock()
    with ProgressLine(stream, clock=clock) as progress:
        progress.update(1, 60)
        clock.now += 0.5
        progress.update(60, 60)
    line = "looked up 60 of 60…"
    assert stream.getvalue() == (
        "\rlooked up 1 of 60…" + "\r" + line + "\r" + " " * len(line) + "\r"
    )


def test_a_pipe_never_gets_a_progress_line():
    stream, clock = io.StringIO(), Clock()
    with ProgressLine(stream, clock=clock) as progress:
        for done in range(1, 401):
            clock.now += 1
            progress.update(done, 400)
    assert stream.getvalue() == ""


def test_a_small_quick_batch_shows_nothing():
    stream = Terminal()
    with ProgressLine(stream, clock=Clock()) as progress:
        for done in range(1, 51):
            progress.update(done, 50)
    assert stream.getvalue() == ""


def test_a_small_batch_that_runs_past_two_seconds_shows_its_count():
    stream, clock = Terminal(), Clock()
    progress = ProgressLine(stream, clock=clock)
    progress.update(1, 5)
    clock.now += 2.0
    progress.update(2, 5)
    assert stream.getvalue() == "\rlooked up 2 of 5…"


def test_redraws_are_at_most_ten_a_second_but_the_last_count_is_always_drawn():
    stream, clock = Terminal(), Clock()
    progress = ProgressLine(stream, clock=clock)
    for done in range(1, 100):
        clock.now += 0.01
        progress.update(done, 100)
    progress.update(100, 100)
    drawn = stream.getvalue().split("\r")[1:]
    assert drawn == [
        "looked up 1 of 100…",
        "looked up 11 of 100…",
        "looked up 21 of 100…",
        "looked up 31 of 100…",
        "looked up 41 of 100…",
        "looked up 51 of 100…",
        "looked up 61 of 100…",
        "looked up 71 of 100…",
        "looked up 81 of 100…",
        "looked up 91 of 100…",
        "looked up 100 of 100…",
    ]


def test_a_shorter_count_overwrites_the_whole_of_a_longer_one():
    stream, clock = Terminal(), Clock()
    progress = ProgressLine(stream, clock=clock)
    progress.update(100, 1000)  # Auto's total shrinks once ids are found as another kind
    clock.now += 1
    progress.update(101, 200)
    assert stream.getvalue().split("\r")[-1] == "looked up 101 of 200… "


def test_clearing_when_nothing_was_drawn_writes_nothing():
    stream = Terminal()
    ProgressLine(stream, clock=Clock()).clear()
    assert stream.getvalue() == ""


def test_while_auto_searches_the_line_names_the_kind_it_asks():
    stream, clock = Terminal(), Clock()
    with ProgressLine(stream, clock=clock) as progress:
        progress.asking("veo", 9, 34)
        progress.update(120, 400)
    assert "\rlooked up 120 of 400… (asking as veo, kind 9 of 34)" in stream.getvalue()


def test_a_single_kind_is_not_named():
    stream, clock = Terminal(), Clock()
    with ProgressLine(stream, clock=clock) as progress:
        progress.asking("veo", 1, 1)
        progress.update(120, 400)
    assert "asking" not in stream.getvalue()
