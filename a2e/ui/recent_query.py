"""The Recent page's view and its URL: ``kind``, ``page``, ``size`` and ``status``. No Streamlit.

``kind`` is a kind that has a list call, a family (``video``, ``image``…: its kinds' first
pages, merged) or ``all`` (every kind's first page, merged); ``page`` is 1-based (always 1 when
merged); ``size`` is 10 to 100 tasks (default 50); ``status`` (``completed``, ``failed`` or
``running``) is asked of A2E where the kind's list filters by status (the list and its total
are then that status's), and otherwise **filters the page shown**.
A value that is missing is taken from the view the session had; a bad one falls back to it
too, with a note that names the value. Nothing else is read or written: never the token.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from a2e.api.lists import DEFAULT_PAGE_SIZE
from a2e.core.kinds import DEFAULT_KIND, FAMILIES, KINDS, kinds_in_family
from a2e.core.model import Task, TaskOutcome
from a2e.views.kind_choice import ALL_KINDS, is_kind_choice, unknown_kind_message
from a2e.views.listing import kinds_of

QUERY_KEYS = ("kind", "page", "size", "status")
# Parameters only the Recent page has: a URL carrying one was made on the Recent page.
RECENT_ONLY_KEYS = ("page", "size", "status")
MIN_SIZE, MAX_SIZE = 10, 100
SIZE_CHOICES = (10, 20, 50, 100)
STATUSES = {
    "completed": TaskOutcome.COMPLETED,
    "failed": TaskOutcome.FAILED,
    "running": TaskOutcome.IN_PROGRESS,
}
ALL_KINDS_LABEL = "All kinds"
_MAX_SHOWN = 40


@dataclass(frozen=True)
class RecentView:
    """Which page of which kind's list the viewer looks at, and which outcome it shows."""

    kind: str = DEFAULT_KIND
    page: int = 1
    size: int = DEFAULT_PAGE_SIZE
    status: str | None = None

    @property
    def merged(self) -> bool:
        """True for "All kinds" or a family: several kinds' first pages, merged newest first."""
        return self.kind not in KINDS

    @property
    def kinds(self) -> list[str]:
        """The listable kinds this view shows."""
        return list(kinds_of(self.kind))

    def params(self) -> dict[str, str]:
        """The URL's query parameters for this view."""
        params = {"kind": self.kind, "page": str(self.page), "size": str(self.size)}
        return params | ({"status": self.status} if self.status else {})

    def shows(self, task: Task) -> bool:
        """True when ``task`` passes the status filter."""
        return self.status is None or task.outcome is STATUSES[self.status]


def status_counts(tasks: Iterable[Task]) -> dict[str, int]:
    """How many of ``tasks`` each status choice shows (``all`` too)."""
    listed = list(tasks)
    counts = {name: sum(t.outcome is outcome for t in listed) for name, outcome in STATUSES.items()}
    return {"all": len(listed)} | counts


def kind_choices() -> list[str]:
    """The selector's choices, grouped by family: All kinds, then each family and its kinds."""
    grouped = [
        name
        for family in FAMILIES
        for name in (family, *(k for k in kinds_in_family(family) if KINDS[k].can_list))
    ]
    return [ALL_KINDS, *grouped]


def choice_label(choice: str) -> str:
    """How a selector choice is named: ``All kinds``, ``Video: all 16 kinds``, ``Video › Veo``."""
    if choice == ALL_KINDS:
        return ALL_KINDS_LABEL
    if choice in FAMILIES:
        return f"{FAMILIES[choice]}: all {len(kinds_of(choice))} kinds"
    kind = KINDS[choice]
    return f"{FAMILIES[kind.family]} › {kind.label}"


def merged_label(choice: str) -> str:
    """What a merged view holds, for sentences: ``every kind``, ``the image kinds``."""
    return "every kind" if choice == ALL_KINDS else f"the {FAMILIES[choice].lower()} kinds"


def view_from_query(query: Mapping[str, str], fallback: RecentView) -> tuple[RecentView, list[str]]:
    """The view the URL asks for (``fallback``'s values where it says nothing or is wrong)."""
    notes: list[str] = []
    kind = _kind(query.get("kind"), fallback.kind, notes)
    size = _size(query.get("size"), fallback.size, notes)
    status = _status(query.get("status"), fallback.status, notes)
    same_list = (kind, size) == (fallback.kind, fallback.size)
    page = _page(query.get("page"), fallback.page if same_list else 1, notes)
    view = RecentView(kind, page, size, status)
    if view.merged and page > 1:
        notes.append(
            f"Page {page} is not available for {choice_label(kind).lower()} (it shows the newest "
            f"tasks of {merged_label(kind)} together): showing them. Pick one kind to page further."
        )
        view = replace(view, page=1)
    return view, notes


def _kind(raw: str | None, fallback: str, notes: list[str]) -> str:
    if raw is None:
        return fallback
    if raw in kind_choices():
        return raw
    if raw in KINDS or is_kind_choice(raw):
        notes.append(f"{choice_label(raw)} tasks cannot be listed (A2E has no list call for them).")
    else:
        known = unknown_kind_message(raw).split(": ", 1)[1]
        notes.append(f"Unknown kind {_shown(raw)}: showing {choice_label(fallback)}. Use {known}.")
    return fallback


def _size(raw: str | None, fallback: int, notes: list[str]) -> int:
    if raw is None:
        return fallback
    size = _whole(raw)
    if size is None or not MIN_SIZE <= size <= MAX_SIZE:
        notes.append(
            f"Page size {_shown(raw)} is not a whole number from {MIN_SIZE} to {MAX_SIZE}: "
            f"showing {fallback} per page."
        )
        return fallback
    return size


def _page(raw: str | None, fallback: int, notes: list[str]) -> int:
    if raw is None:
        return fallback
    page = _whole(raw)
    if page is None or page < 1:
        notes.append(f"Page {_shown(raw)} is not a page number (1, 2, …): showing page 1.")
        return 1
    return page


def _status(raw: str | None, fallback: str | None, notes: list[str]) -> str | None:
    if raw is None:
        return fallback
    if raw.strip().lower() in STATUSES:
        return raw.strip().lower()
    if raw.strip().lower() in ("", "all"):
        return None
    notes.append(f"Status {_shown(raw)} is not completed, failed or running: showing every task.")
    return None


def _whole(raw: str) -> int | None:
    text = raw.strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else None


def _shown(raw: str) -> str:
    """A URL value quoted for a note, cut short."""
    cut = raw if len(raw) <= _MAX_SHOWN else raw[:_MAX_SHOWN] + "…"
    return f"“{cut}”"
