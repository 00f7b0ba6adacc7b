"""The results section: auto-refresh controls and the live fragment that redraws in place."""

from __future__ import annotations

import contextlib
import hashlib
import time
from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import streamlit as st

from a2e.access.audit import AuditKind
from a2e.access.refresh import RefreshLimiter
from a2e.core.model import Task, TaskOutcome
from a2e.ui.board_actions import board_actions
from a2e.ui.budget_notes import not_asked_note, record, task_outcomes, viewer_meter
from a2e.ui.cached import learn_finish_times, shared_client, shared_task_cache
from a2e.ui.code_links import code_filter
from a2e.ui.connection_model import Connection
from a2e.ui.detail import task_detail
from a2e.ui.gallery import gallery
from a2e.ui.keeping import keep_seen, saved_marker, zip_link
from a2e.ui.plain import plain
from a2e.ui.pushed import pushed_updates
from a2e.ui.session import LOOKUP_BOARD, current_board, note_board_shown
from a2e.ui.settings import webhooks_on
from a2e.ui.table import outcome_filter, summary_metrics, task_table
from a2e.ui.timing import row_timing
from a2e.views.board import Board
from a2e.views.live import announcement
from a2e.views.polling import DUE_FRACTION, REFRESH_NOW_MAX_AGE, poll_once
from a2e.views.status_text import failure_banner, refresh_note
from a2e.views.tables import MATERIAL_ICONS, filter_tasks

INTERVALS = (5, 10, 30, 60)
# With webhooks on, finished tasks arrive pushed: polling stays on (A2E delivers a webhook once,
# with no retry), as a slower safety net.
DEFAULT_INTERVAL, WEBHOOK_INTERVAL = 10, 60


def results_section(
    connection: Connection,
    name: str = LOOKUP_BOARD,
    *,
    empty_hint: str = "Paste task ids above and press **Look up**.",
    shareable: bool = True,
    complete_detail: Callable[[Task], Task] | None = None,
    outcome_pills: bool = True,
) -> None:
    """Controls, then the fragment that polls what is not final and redraws the named board.

    ``complete_detail`` (the Recent page's) may complete a selected task before its detail;
    ``outcome_pills`` off for a page that filters outcomes itself (one filter, one count).
    """
    board = current_board(connection, name)
    if board is None:
        st.info(empty_hint)
        return
    note_board_shown(name)
    # On a page's full runs only (not every tick): finish times another page learnt since.
    learn_finish_times(connection, board)
    auto, interval, refresh_now = _controls(board, name)
    if refresh_now:
        _refresh_now(connection, board)
    polling = auto and bool(board.pollable()) and board.polling_stopped is None
    # While the server is failing the board backs off: it asks less often, and says so.
    every = board.backoff.interval(interval)

    @st.fragment(run_every=every if polling else None)
    def live() -> None:
        live_board = current_board(connection, name)
        if live_board is None:
            return
        if polling and _due(live_board, every):
            backing_off = live_board.backoff.active
            # The same slack as _due: an answer this old is stale for this tick.
            refresh(
                connection,
                live_board,
                max_age=every * DUE_FRACTION,
                lead="Auto-refresh skipped this tick. ",
                tick=True,
            )
            stopped = not live_board.pollable() or live_board.polling_stopped
            if stopped or live_board.backoff.active != backing_off:
                st.rerun()
        _status_line(live_board, polling, interval)
        _results(
            connection,
            live_board,
            name,
            shareable=shareable,
            complete=complete_detail,
            outcome_pills=outcome_pills,
        )

    live()
    pushed_updates(connection, name)


def widget_key(name: str, key: str) -> str:
    """A widget key of one board's section (Lookup's keep their plain names)."""
    return key if name == LOOKUP_BOARD else f"{name}_{key}"


def _controls(board: Board, name: str) -> tuple[bool, int, bool]:
    auto_key = widget_key(name, "auto_refresh")
    _toggle_follows_board(board, auto_key)
    toggle, every, button, _ = st.columns([1.3, 1.3, 1.2, 3], vertical_alignment="center")
    auto = toggle.toggle("Auto-refresh", key=auto_key, on_change=_resume, args=(board, auto_key))
    interval = every.selectbox(
        "Interval",
        INTERVALS,
        index=INTERVALS.index(WEBHOOK_INTERVAL if webhooks_on() else DEFAULT_INTERVAL),
        key=widget_key(name, "refresh_interval"),
        format_func=lambda s: f"every {s} s",
        label_visibility="collapsed",
    )
    refresh_now = button.button(
        "Refresh now",
        key=widget_key(name, "refresh_now"),
        icon=":material/refresh:",
        help="Ask again for every task that is not final",
    )
    return bool(auto), int(interval), refresh_now


def _toggle_follows_board(board: Board, key: str) -> None:
    """The toggle starts on, and shows off once polling stopped (until the viewer turns it on)."""
    st.session_state.setdefault(key, True)
    stopped_key = f"_{key}_stopped_for"
    if board.polling_stopped and st.session_state.get(stopped_key) != id(board):
        st.session_state[key] = False
        st.session_state[stopped_key] = id(board)


def _resume(board: Board, key: str) -> None:
    """Turning auto-refresh back on asks again, even after a rejected token."""
    if st.session_state.get(key):
        board.resume_polling()


def _refresh_now(connection: Connection, board: Board) -> None:
    """Refresh at once, unless this viewer refreshed a moment ago (answers stay shared)."""
    limiter = st.session_state.setdefault("refresh_limiter", RefreshLimiter())
    verdict = limiter.request()
    if not verdict.allowed:
        st.toast(verdict.reason, icon=":material/hourglass_top:")
        return
    # Asking now is the viewer's call: a stop or a backoff no longer holds (a doubt about the
    # token does: this answer confirms or clears it).
    if board.polling_stopped or board.backoff.active:
        board.resume_polling()
    refresh(connection, board, max_age=REFRESH_NOW_MAX_AGE)


def _due(board: Board, interval: float) -> bool:
    return board.updated_at is None or time.time() - board.updated_at >= interval * DUE_FRACTION


def refresh(
    connection: Connection, board: Board, *, max_age: float, lead: str = "", tick: bool = False
) -> None:
    """Ask again for the tasks that are not final; toast each one that finished.

    Each request sent is charged to the viewer's budget; what the budget stopped keeps what
    the board knew, the page says so (``lead`` first), and the next tick asks again. An
    auto-refresh ``tick`` is audited in its viewer's line of the minute.
    """
    asked = board.to_ask()
    meter = viewer_meter(AuditKind.REFRESH)
    client = shared_client(connection.base_url, connection.scope)
    cache = shared_task_cache()
    result = poll_once(
        cache, client, connection.token, board, max_age=max_age, ids=asked, meter=meter
    )
    if result is None:
        return
    outcomes = task_outcomes(result.answers)
    record(connection, AuditKind.REFRESH, ids=len(asked), outcomes=outcomes, meter=meter, tick=tick)
    if (note := not_asked_note(meter, result.answers, done="refreshed")) is not None:
        st.warning(f"{lead}{note}", icon=":material/hourglass_top:")
    for transition in result.finished:
        st.toast(plain(announcement(transition)), icon=MATERIAL_ICONS[transition.task.outcome])


def _status_line(board: Board, polling: bool, interval: int) -> None:
    if board.polling_stopped:
        st.error(
            f"Auto-refresh stopped: {board.polling_stopped}. Check the token in the sidebar, "
            "then turn Auto-refresh on again.",
            icon=":material/pause_circle:",
        )
    elif board.token_doubt:
        st.warning(plain(board.token_doubt.capitalize() + "."), icon=":material/key_off:")
    if polling and (backing_off := board.backoff.note(interval)):
        st.warning(plain(backing_off.capitalize() + "."), icon=":material/speed:")
        interval = int(board.backoff.interval(interval))
    retry_token = board.polling_stopped is None
    note = refresh_note(board.rows(), polling=polling, interval=interval, retry_token=retry_token)
    st.caption(f"{_updated_label(board.updated_at)} · {note}")


def _updated_label(updated_at: float | None) -> str:
    if updated_at is None:
        return "Not updated yet"
    moment = datetime.fromtimestamp(updated_at, UTC)
    with contextlib.suppress(KeyError, ValueError, OSError):
        moment = moment.astimezone(ZoneInfo(st.context.timezone or "UTC"))
    return f"Updated {int(time.time() - updated_at)} s ago (at {moment:%H:%M:%S})"


def _results(
    connection: Connection,
    board: Board,
    name: str,
    *,
    shareable: bool,
    complete: Callable[[Task], Task] | None,
    outcome_pills: bool,
) -> None:
    # Demo media is served by the dashboard: every view and export links to where it is.
    rows = [connection.as_browser_sees(task) for task in board.rows()]
    summary_metrics(rows)
    if (banner := failure_banner(rows)) is not None:
        st.warning(plain(banner.text, limit=1000), icon=MATERIAL_ICONS[TaskOutcome.LOOKUP_ERROR])
    outcomes, search = outcome_filter(rows, key_prefix=widget_key(name, ""), pills=outcome_pills)
    shown = filter_tasks(code_filter(name, rows), outcomes, search)
    if len(shown) < len(rows):
        st.caption(f"Showing {len(shown)} of the {len(rows)} rows.")
    # A selection is a row position: a new set of rows must not inherit it.
    rows_key = hashlib.sha256("\n".join(task.id for task in shown).encode()).hexdigest()[:16]
    timing = row_timing(connection, rows, board.seen_final)
    keep_seen(connection, board.rows())
    selected = task_table(
        connection,
        shown,
        key=widget_key(name, f"task_table_{rows_key}"),
        timing=timing,
        saved=saved_marker(connection),
    )
    task = shown[selected[-1]] if selected else None
    board_actions(connection, board, name, selected=task, shareable=shareable)
    if task is not None:
        task_detail(connection, task if complete is None else complete(task), timing)
    else:
        st.caption("Select a row to see the task's detail, prompts, raw JSON and support bundle.")
    chosen = [shown[row] for row in selected] or shown
    zip_link(connection, [board.tasks.get(t.id, t) for t in chosen], selected=bool(selected))
    gallery(connection, shown, key=widget_key(name, "gallery_page"))
