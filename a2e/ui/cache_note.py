"""A small note on the page while the shared Redis is unreachable; nothing otherwise.

The cache says so with its own note; the budgets, counted in the same Redis, add theirs when
only they are failing (each process then counts a viewer's budget alone).
"""

from __future__ import annotations

import streamlit as st

from a2e.ui.budget_notes import shared_budgets
from a2e.ui.cached import shared_task_cache
from a2e.ui.settings import budget_settings

BUDGETS_ALONE = (
    "The shared budgets (Redis) are unreachable: this dashboard process counts each viewer's "
    "budget alone until they are back."
)


def cache_note() -> None:
    """Show the shared store's note, if any (call it once per page, e.g. under the title)."""
    note = shared_task_cache().backend_note()
    if note is None and shared_budgets(budget_settings()).counting_alone:
        note = BUDGETS_ALONE
    if note:
        st.caption(f":material/cloud_off: {note}")
