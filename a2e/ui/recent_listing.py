"""What a list call (or "All kinds"'s first pages) gave the Recent page, as kept. No Streamlit.

A ``Listing`` is kept in the viewer's session under its key (server, token hash, kind, page,
size, and the status A2E filtered by, if any): a rerun of the same page reuses it and costs no
call. It holds the tasks newest first,
the total and page count when the server gave a total, what a person should know about the
answer (rows skipped, a server that caps the page size, kinds that could not be listed), or
the one error that replaced it: a failed list call is never an empty list.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from a2e.api.lists import LIST_CALL_MISSING, TaskPage
from a2e.core.kinds import KINDS, get_kind
from a2e.core.model import Task
from a2e.ui.recent_query import merged_label
from a2e.views.listing import MergedPage, dropped_rows, more_rows_than_asked

ListingKey = tuple[str, str, str, int, int, str]


@dataclass(frozen=True)
class Listing:
    """One listed page as the Recent page keeps it."""

    key: ListingKey
    listed_at: float
    tasks: tuple[Task, ...] = ()
    total: int | None = None
    page_count: int | None = None
    is_last: bool = True
    notes: tuple[str, ...] = ()
    error: str | None = None

    @property
    def server_status(self) -> str | None:
        """The status A2E filtered this list by (its tasks and total are that status's)."""
        return self.key[5] or None

    @property
    def kind(self) -> str:
        """The kind listed (or ``all``)."""
        return self.key[2]

    @property
    def page(self) -> int:
        """The page number listed (1-based)."""
        return self.key[3]

    @property
    def size(self) -> int:
        """The page size asked for."""
        return self.key[4]

    @property
    def past_the_end(self) -> bool:
        """True when the page asked for lies past the last page the total allows."""
        return self.page_count is not None and self.page > self.page_count and not self.tasks


def listing_of_page(key: ListingKey, page: TaskPage) -> Listing:
    """The listing of one kind's page."""
    notes = [f"{note.capitalize()}." for note in dropped_rows(page.skipped, page.duplicates)]
    if (too_many := more_rows_than_asked(page)) is not None:
        notes.append(f"{too_many.capitalize()}.")
    if page.looks_capped:
        notes.append(
            f"The server sent {page.rows} tasks for a page of {page.size}: choose "
            f"{page.rows} per page, or paging would skip tasks."
        )
    return Listing(
        key,
        time.time(),
        tuple(page.newest_first()),
        page.total,
        page.page_count,
        page.is_last,
        tuple(notes),
    )


def listing_of_kinds(key: ListingKey, merged: MergedPage) -> Listing:
    """The listing of several kinds' first pages, merged newest first."""
    notes = [_failure_note(kind, message) for kind, message in merged.failures]
    skipped = sum(page.skipped for page in merged.pages)
    duplicates = sum(page.duplicates for page in merged.pages)
    notes += [f"{note.capitalize()}." for note in dropped_rows(skipped, duplicates)]
    notes += [
        f"{get_kind(page.kind).label}: {too_many}."
        for page in merged.pages
        if (too_many := more_rows_than_asked(page)) is not None
    ]
    return Listing(key, time.time(), merged.tasks, merged.total, 1, True, tuple(notes))


def _failure_note(kind: str, message: str) -> str:
    """``Veo 3.1: the list call is not available on this server.``, or why it was not listed."""
    label = get_kind(kind).label
    if message.startswith(LIST_CALL_MISSING):
        return f"{label}: {message}."
    return f"{label}: not listed ({message})."


def failed_listing(key: ListingKey, message: str) -> Listing:
    """A list call that failed: its message, and no tasks."""
    return Listing(key, time.time(), error=message)


def position_label(listing: Listing) -> str:
    """``137 tasks · page 2 of 3`` (markdown), or what is known without a total."""
    if listing.kind not in KINDS:
        shown, which = len(listing.tasks), merged_label(listing.kind)
        if listing.total is None:
            return f"The newest **{shown}** tasks of {which}"
        return f"**{_tasks(listing.total)}** of {which} · the newest {shown} together"
    if listing.total is not None and listing.page_count is not None:
        return f"**{_tasks(listing.total)}** · page {listing.page} of {listing.page_count}"
    last = " (the last)" if listing.is_last else ""
    return f"Page {listing.page}{last} · the server gave no total"


def _tasks(count: int) -> str:
    return f"{count:,} task" if count == 1 else f"{count:,} tasks"
