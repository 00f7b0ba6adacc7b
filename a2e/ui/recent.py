"""The Recent page: the account's tasks of one kind, newest first, one list call per page shown.

The view (kind, page, size, status: ``a2e.ui.recent_query``) is read from the URL when a link
opens the page, kept in the session while the viewer looks elsewhere, and written back to the
URL on every run, so the address bar is always a link to this view (never with the token).
The listed page is kept in the session (``Listing``): reruns of the same page reuse it;
coming back to the page lists again once the listing is older than ``RELIST_AFTER_SECONDS``;
*Reload list* lists again at once. The tasks shown go on the board named ``recent`` and the
shared results section draws them: auto-refresh asks only the running tasks in view, and a
listed row that lacks what a person needs is completed by one status call when its detail is
opened. Every call goes through ``a2e.ui.account_calls``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from a2e.api.errors import LookupFailed
from a2e.api.lists import server_status as server_status_of
from a2e.cache.fetch import token_fingerprint
from a2e.core.kinds import KINDS
from a2e.core.model import Task
from a2e.ui.account_calls import COMPLETE_DETAIL, LIST_ALL_KINDS, LIST_PAGE, account_call
from a2e.ui.connection_model import Connection
from a2e.ui.empty_kinds import kinds_to_read, remember_empty
from a2e.ui.live_view import results_section
from a2e.ui.plain import plain
from a2e.ui.recent_listing import (
    Listing,
    ListingKey,
    failed_listing,
    listing_of_kinds,
    listing_of_page,
    position_label,
)
from a2e.ui.recent_query import (
    QUERY_KEYS,
    SIZE_CHOICES,
    STATUSES,
    RecentView,
    choice_label,
    kind_choices,
    status_counts,
    view_from_query,
)
from a2e.ui.session import RECENT_BOARD, current_board, new_board
from a2e.views.board import Board
from a2e.views.listing import detail_of, list_all_kinds, list_page, needs_detail

ALL = "all"
RELIST_AFTER_SECONDS = 10.0
DETAIL_MAX_AGE_SECONDS = 30.0
_VIEW, _LISTING, _SHOWN = "_recent_view", "_recent_listing", "_recent_shown"
_WRITTEN, _RELOAD = "_recent_written_query", "_recent_reload"
K_KIND, K_STATUS, K_SIZE, K_PAGE = "recent_kind", "recent_status", "recent_size", "recent_page"


def last_view() -> RecentView:
    """The view this session last showed (image to video, page 1 of 50, at first)."""
    view = st.session_state.get(_VIEW)
    return view if isinstance(view, RecentView) else RecentView()


def remember_kind(kind: str) -> None:
    """Make ``kind`` the one the Recent page opens on next (the Overview's choice counts)."""
    view = last_view()
    if kind != view.kind:
        st.session_state[_VIEW] = RecentView(kind=kind, size=view.size, status=view.status)


def recent_view(connection: Connection) -> None:
    """The whole page below its title: controls, position, then the listed tasks."""
    view, listing, notes = _view_and_listing(connection)
    _keep(view)
    _controls(view, listing)
    for note in notes:
        st.warning(plain(note), icon=":material/link_off:")
    if listing.error is not None:
        _list_error(view, listing.error)
        return
    for note in listing.notes:
        st.caption(plain(note))
    if _board(connection, listing, view) is not None:
        results_section(
            connection,
            RECENT_BOARD,
            empty_hint="",
            shareable=False,
            complete_detail=_completer(connection),
            outcome_pills=False,
        )


def _view_and_listing(connection: Connection) -> tuple[RecentView, Listing, list[str]]:
    """The view to show, its listing, and notes on what the URL asked that could not be."""
    arriving = K_KIND not in st.session_state  # the page's widgets are forgotten elsewhere
    view, notes = _current_view(arriving)
    listing = _listing(connection, view, relist=arriving)
    if listing.past_the_end and listing.page_count is not None:
        notes.append(f"Page {view.page} is past the last page: showing page {listing.page_count}.")
        view = replace(view, page=listing.page_count)
        listing = _listing(connection, view, relist=False)
    return view, listing, notes


def _current_view(arriving: bool) -> tuple[RecentView, list[str]]:
    """The URL's view when a link (or the browser) changed it, else the widgets' or the kept one."""
    query = {key: str(st.query_params[key]) for key in QUERY_KEYS if key in st.query_params}
    if query and query != st.session_state.get(_WRITTEN):
        return view_from_query(query, last_view())
    if arriving:
        return last_view(), []
    state = st.session_state
    status = state.get(K_STATUS)
    return RecentView(
        kind=str(state.get(K_KIND, last_view().kind)),
        page=int(state.get(K_PAGE, 1)),
        size=int(state.get(K_SIZE, last_view().size)),
        status=str(status) if status in STATUSES else None,
    ), []


def _keep(view: RecentView) -> None:
    """The view into the session, the widgets and the URL (only what changed is sent)."""
    st.session_state[_VIEW] = view
    st.session_state.update(
        {K_KIND: view.kind, K_PAGE: view.page, K_SIZE: view.size, K_STATUS: view.status or ALL}
    )
    params = view.params()
    for key in QUERY_KEYS:
        if key not in params:
            st.query_params.pop(key, None)
        elif st.query_params.get(key) != params[key]:
            st.query_params[key] = params[key]
    st.query_params.pop("ids", None)  # a Lookup page's ids are not this view's
    st.session_state[_WRITTEN] = params


def _listing(connection: Connection, view: RecentView, *, relist: bool) -> Listing:
    """The kept listing of this view, or a new one (one list call; one per kind for all)."""
    server_status = "" if view.merged else server_status_of(KINDS[view.kind], view.status) or ""
    key: ListingKey = (
        connection.base_url,
        token_fingerprint(connection.token),
        view.kind,
        view.page,
        view.size,
        server_status,
    )
    kept = st.session_state.get(_LISTING)
    reload = bool(st.session_state.pop(_RELOAD, False))
    if isinstance(kept, Listing) and kept.key == key and not reload and not _stale(kept, relist):
        return kept
    listing = _list_now(connection, key, view, every=reload)
    st.session_state[_LISTING] = listing
    return listing


def _stale(listing: Listing, arriving: bool) -> bool:
    """A listing is listed again when the viewer comes back to it after a while."""
    return arriving and time.time() - listing.listed_at >= RELIST_AFTER_SECONDS


def _list_now(connection: Connection, key: ListingKey, view: RecentView, *, every: bool) -> Listing:
    try:
        if view.merged:
            return _list_merged(connection, key, view, every=every)
        page = account_call(
            connection,
            LIST_PAGE,
            lambda cache, client, token, meter: list_page(
                cache, client, token, view.kind, view.page, view.size, meter, status=key[5] or None
            ),
        )
        return listing_of_page(key, page)
    except LookupFailed as exc:
        return failed_listing(key, exc.message)


def _list_merged(
    connection: Connection, key: ListingKey, view: RecentView, *, every: bool
) -> Listing:
    """Several kinds' first pages; kinds this session found empty are skipped (quietly) unless
    ``every`` (*Reload list*) asks them again."""
    kinds = kinds_to_read(connection, view.kinds, every=every)
    merged = account_call(
        connection,
        LIST_ALL_KINDS,
        lambda cache, client, token, meter: list_all_kinds(
            cache, client, token, view.size, meter, kinds=kinds, status=view.status
        ),
    )
    remember_empty(connection, merged.kinds, merged.empty)
    return listing_of_kinds(key, merged)


def _controls(view: RecentView, listing: Listing) -> None:
    # The status choices carry their counts: they get the room.
    kind, status, size = st.columns([1.6, 3, 0.8], vertical_alignment="bottom")
    kind.selectbox(
        "Task kind", kind_choices(), key=K_KIND, format_func=choice_label, on_change=_first_page
    )
    # Counts of the page listed; a list A2E filtered by status has no others to count.
    counts = status_counts(listing.tasks) if listing.server_status is None else {}
    status.segmented_control(
        "Status",
        [ALL, *STATUSES],
        key=K_STATUS,
        format_func=lambda choice: (
            f"{choice.capitalize()} · {counts[choice]}" if counts else choice.capitalize()
        ),
        on_change=_status_changed,
        help="The page's only outcome filter. Where A2E's list takes a status (Nano Banana, "
        "Flux 2, custom avatar training), A2E filters the list itself; elsewhere this shows only "
        "these tasks of the page listed, and each choice says how many.",
    )
    size.selectbox(
        "Per page",
        sorted({*SIZE_CHOICES, view.size}),
        key=K_SIZE,
        on_change=_first_page,
    )
    _pager(view, listing)


def _pager(view: RecentView, listing: Listing) -> None:
    where, back, number, forward, reload = st.columns(
        [3, 1.1, 1.1, 1.1, 1.3], vertical_alignment="center"
    )
    where.markdown(position_label(listing) if listing.error is None else "Not listed")
    paged = not view.merged
    _turn_button(back, "Previous", -1, disabled=view.page <= 1 or not paged)
    if paged and (listing.page_count or 0) > 1:
        number.number_input(
            "Page",
            min_value=1,
            max_value=max(listing.page_count or 1, view.page),
            step=1,
            key=K_PAGE,
            label_visibility="collapsed",
            help="Go to page",
        )
    last = listing.is_last or listing.error is not None
    _turn_button(forward, "Next", 1, disabled=last or not paged)
    reload.button(
        "Reload list",
        key="recent_reload",
        icon=":material/refresh:",
        help="List this page again (new tasks, and what changed)",
        on_click=_ask_reload,
    )


def _turn_button(column: DeltaGenerator, label: str, step: int, *, disabled: bool) -> None:
    icon = ":material/chevron_left:" if step < 0 else ":material/chevron_right:"
    column.button(
        label,
        key=f"recent_{label.lower()}",
        icon=icon,
        disabled=disabled,
        on_click=_turn,
        args=(step,),
    )


def _first_page() -> None:
    st.session_state[K_PAGE] = 1


def _status_changed() -> None:
    """A list A2E filters by status is another list: it starts on its first page."""
    kind = KINDS.get(str(st.session_state.get(K_KIND)))
    status = str(st.session_state.get(K_STATUS))
    if kind is None or kind.listing is None or not kind.listing.status_param:
        return
    if status == ALL or server_status_of(kind, status) is not None:
        _first_page()


def _turn(step: int) -> None:
    st.session_state[K_PAGE] = max(1, int(st.session_state.get(K_PAGE, 1)) + step)


def _ask_reload() -> None:
    st.session_state[_RELOAD] = True


def _list_error(view: RecentView, message: str) -> None:
    what = (
        "No kind's task list" if view.merged else f"The {KINDS[view.kind].label.lower()} task list"
    )
    st.error(
        plain(f"{what} could not be read: {message}", limit=600)
        + "  \nNothing is shown rather than an empty list. *Reload list* asks again.",
        icon=":material/error:",
    )


def _board(connection: Connection, listing: Listing, view: RecentView) -> Board | None:
    """The board of the tasks in view (kept while the listing and the filter are the same)."""
    shown_key = (listing.key, listing.listed_at, view.status)
    board = current_board(connection, RECENT_BOARD)
    if board is None or st.session_state.get(_SHOWN) != shown_key:
        board = _fill_board(connection, listing, view, board)
        st.session_state[_SHOWN] = shown_key
    if not board.order:
        _nothing_to_show(listing, view)
        return None
    if listing.server_status is not None:
        st.caption(
            f"A2E filtered this list: {listing.total or len(board.order):,} {view.status} tasks "
            "in all, paged as the list's own."
        )
    elif view.status is not None:
        st.caption(
            f"Showing the {len(board.order)} {view.status} tasks of the {len(listing.tasks)} "
            "listed on this page: the status filters the page shown."
        )
    return board


def _fill_board(
    connection: Connection, listing: Listing, view: RecentView, old: Board | None
) -> Board:
    # A filter changed on the same listing: keep what auto-refresh learnt since.
    kept = st.session_state.get(_SHOWN)
    same = old is not None and kept is not None and kept[:2] == (listing.key, listing.listed_at)
    latest = old.tasks if old is not None and same else {}
    tasks = [latest.get(task.id, task) for task in listing.tasks]
    shown = [task for task in tasks if view.shows(task)]
    board = new_board(connection, view.kind, RECENT_BOARD)
    board.show(tuple(task.id for task in shown), (), shown)
    return board


def _nothing_to_show(listing: Listing, view: RecentView) -> None:
    what = "" if view.merged else f"{KINDS[view.kind].label.lower()} "
    if listing.server_status is not None:
        what = f"{listing.server_status} {what}"
    if not listing.tasks and listing.page == 1:
        other = " Other kinds may hold some: try *All kinds*."
        other = "" if view.merged or listing.server_status else other
        st.info(f"No {what}tasks on this account yet.{other}", icon=":material/inbox:")
    elif not listing.tasks:
        st.info(f"Page {listing.page} holds no {what}tasks.", icon=":material/inbox:")
    else:
        st.info(
            f"No {view.status} task among the {len(listing.tasks)} on this page: the status "
            "filters the page shown. Try another page, or clear the status.",
            icon=":material/filter_alt_off:",
        )


def _completer(connection: Connection) -> Callable[[Task], Task]:
    def complete(task: Task) -> Task:
        """The listed task, completed by one status call when its row lacks what people need."""
        if not needs_detail(task):
            return task
        detail = account_call(
            connection,
            COMPLETE_DETAIL,
            lambda cache, client, token, meter: detail_of(
                cache, client, token, task, max_age=DETAIL_MAX_AGE_SECONDS, meter=meter
            ),
        )
        if detail.problem is not None:
            st.warning(plain(detail.problem.capitalize() + "."), icon=":material/warning:")
            return detail.task
        board = current_board(connection, RECENT_BOARD)
        if board is not None and task.id in board.tasks:
            board.tasks[task.id] = detail.task
        return detail.task

    return complete
