"""Bidirectional control characters never reach a screen: ``gnp.exe`` never shows as ``exe.png``."""

from __future__ import annotations

import pytest

from a2e.core.model import Task, TaskOutcome
from a2e.ui.plain import plain
from a2e.views.text_table import render_task_table

BIDI = [
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "\u200e",
    "\u200f",
    "\u061c",
]


@pytest.mark.parametrize("control", BIDI)
def test_the_terminal_table_shows_no_bidi_control(control):
    task = Task(
        id="67d29023dd27a536fdf6e809",
        kind="image2video",
        outcome=TaskOutcome.FAILED,
        name=f"{control}gnp.exe",
        failed_message=f"see {control}txt.exe",
    )
    table = render_task_table([task])
    assert control not in table
    assert "gnp.exe" in table


@pytest.mark.parametrize("control", BIDI)
def test_text_shown_in_the_page_has_no_bidi_control(control):
    shown = plain(f"{control}gnp.exe")
    assert control not in shown
    assert "gnp" in shown
