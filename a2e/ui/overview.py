"""The Overview page: the account's last 24 hours, 7 days or 30 days, counted and charted.

The window's tasks are read with ``read_window`` (pages until the window is covered, capped at
2,000 tasks and 40 list calls, with a progress bar), through ``a2e.ui.account_calls``, which
charges the viewer's list budget the calls it sent. Readings are kept in the session per
(server, token hash, kind, window), the last ``KEPT_READINGS`` of them: a rerun, or coming back
to a window already read, costs no call; *Read again* reads anew. A reading the budget cut
short is not kept, so coming back to it reads it again. URL parameters: ``kind`` (as on
Recent, ``all`` included) and ``window`` (``24h``, ``7d``, ``30d``); a bad value falls back
with a note. Running tasks get their ETA and "stuck?" from their own kind's typical run
(A2E's average, else the median of the finished tasks read).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime

import pandas as pd
import streamlit as st

from a2e.api.errors import LookupFailed, OverBudget
from a2e.api.meter import NOT_ASKED
from a2e.cache.fetch import token_fingerprint
from a2e.core.kinds import KINDS
from a2e.core.model import TaskOutcome
from a2e.ui.account_calls import READ_WINDOW, account_call
from a2e.ui.code_links import open_codes_on_lookup
from a2e.ui.connection_model import Connection
from a2e.ui.empty_kinds import kinds_to_read, remember_empty
from a2e.ui.overview_charts import (
    HEIGHT,
    coins_chart,
    failure_codes_chart,
    failure_codes_height,
    primary_colour,
    running_age_chart,
    success_rate_chart,
    tasks_chart,
)
from a2e.ui.overview_credits import CHARGED_HELP, credits_figures, forget_credits
from a2e.ui.overview_history import (
    HISTORY_CHOICES,
    HISTORY_WINDOWS,
    history_offered,
    read_history_window,
    source_note,
)
from a2e.ui.plain import plain
from a2e.ui.recent import last_view, remember_kind
from a2e.ui.recent_query import choice_label, kind_choices
from a2e.ui.table import HEADER_HEIGHT, WRAPPING_ROW_HEIGHT
from a2e.ui.timing import api_average_seconds, viewer_tz
from a2e.views.eta import TypicalRun, duration_label, typical_run
from a2e.views.export import defuse_frame
from a2e.views.kind_choice import unknown_kind_message
from a2e.views.listing import dropped_rows, kinds_of
from a2e.views.overview import (
    WINDOW_LABELS,
    WINDOWS,
    Overview,
    WindowRead,
    build_overview,
    read_window,
    with_typical_runs,
)
from a2e.views.tables import kind_label
from a2e.watch.history import HistoryUnavailable

DEFAULT_WINDOW = "7d"
WINDOW_CHOICES = {"24h": "24 hours", "7d": "7 days", "30d": "30 days"}
K_KIND, K_WINDOW = "overview_kind", "overview_window"
_READS, _WRITTEN, _AGAIN = "_overview_reads", "_overview_written_query", "_overview_again"
KEPT_READINGS = 6
# A running task whose creation time (as the server gives it) is still to come.
FUTURE = "created in the future"
_LAST_WINDOW = "_overview_last_window"
NAMED_KINDS = 6
ReadKey = tuple[str, str, str, str]


@dataclass(frozen=True)
class KeptRead:
    """One window read as the session keeps it, or the error that ended it."""

    key: ReadKey
    read_at: float
    read: WindowRead | None = None
    error: str | None = None
    budget_cut: bool = False


def overview_view(connection: Connection) -> None:
    """The whole page below its title."""
    choice, window = _choices(connection)
    kept = _reading(connection, choice, window)
    if kept.read is None:
        st.error(
            plain(f"The task list could not be read: {kept.error}", limit=600)
            + "  \nNo figures are shown rather than empty ones. *Read again* asks again.",
            icon=":material/error:",
        )
        return
    read = kept.read
    _cuts(read)
    span = WINDOW_LABELS.get(window, f"watcher's history ({HISTORY_CHOICES.get(window)})")
    if not read.tasks:
        st.info(f"No {_what(choice)}tasks created in the {span.lower()}.")
        return
    tz = viewer_tz()
    typical = _typical_runs(connection, read)
    overview = with_typical_runs(build_overview(read, None, tz), read, typical, tz)
    _figures(overview)
    credits_figures(connection, kept.key[:2], read)
    _charts(overview)
    note = f"From the Overview ({span.lower()}):"
    open_codes_on_lookup(connection, read.tasks, key="overview_codes", note=note)
    _running(overview, typical)


def _choices(connection: Connection) -> tuple[str, str]:
    """Kind and window: from a link when it changed them, else the widgets (kept in the URL)."""
    choices = _window_choices(connection)
    query = {key: str(st.query_params[key]) for key in ("kind", "window") if key in st.query_params}
    if query and query != st.session_state.get(_WRITTEN):
        _seed_from(query, choices)
    st.session_state.setdefault(K_KIND, last_view().kind)
    if st.session_state.get(K_WINDOW) not in choices:
        st.session_state[K_WINDOW] = st.session_state.get(_LAST_WINDOW, DEFAULT_WINDOW)
    # Five windows (with the history's) need the room the spacer leaves otherwise.
    widths = [2, 2, 1.2, 1.5] if len(choices) <= len(WINDOWS) else [1.6, 3.4, 1.2, 0.1]
    left, right, again, _ = st.columns(widths, vertical_alignment="bottom")
    choice = left.selectbox("Task kind", kind_choices(), key=K_KIND, format_func=choice_label)
    window = right.segmented_control(
        "Created in the last",
        list(choices),
        key=K_WINDOW,
        format_func=lambda w: choices[w],
        on_change=_keep_a_window,
    )
    window = str(window or st.session_state.get(_LAST_WINDOW, DEFAULT_WINDOW))
    st.session_state[_LAST_WINDOW] = window
    again.button(
        "Read again",
        icon=":material/refresh:",
        on_click=_read_again,
    )
    remember_kind(str(choice))
    params = {"kind": str(choice), "window": window}
    st.query_params.update(params)
    st.query_params.pop("ids", None)
    st.session_state[_WRITTEN] = params
    return str(choice), window


def _window_choices(connection: Connection) -> dict[str, str]:
    """The windows offered: A2E's lists' own, then the watcher's history's when it applies."""
    return WINDOW_CHOICES | (HISTORY_CHOICES if history_offered(connection) else {})


def _read_again() -> None:
    """*Read again*: the window's list, and the credits history, are read anew."""
    st.session_state[_AGAIN] = True
    forget_credits()


def _keep_a_window() -> None:
    """Clicking the chosen window again keeps it chosen (a window is always shown)."""
    if st.session_state.get(K_WINDOW) not in {*WINDOWS, *HISTORY_WINDOWS}:
        st.session_state[K_WINDOW] = st.session_state.get(_LAST_WINDOW, DEFAULT_WINDOW)


def _seed_from(query: dict[str, str], choices: dict[str, str]) -> None:
    kind, window = query.get("kind"), query.get("window")
    if kind is not None and kind not in kind_choices():
        known = unknown_kind_message(kind).split(": ", 1)[1]
        st.warning(
            plain(f"Unknown or unlistable kind “{kind[:40]}”: showing another. Use {known}.")
        )
    elif kind is not None:
        st.session_state[K_KIND] = kind
    if window is not None and window not in choices:
        st.warning(plain(f"Unknown window “{window[:40]}”: use {', '.join(choices)}."))
    elif window is not None:
        st.session_state[K_WINDOW] = window


def _reading(connection: Connection, choice: str, window: str) -> KeptRead:
    key: ReadKey = (connection.base_url, token_fingerprint(connection.token), choice, window)
    reads: dict[ReadKey, KeptRead] = st.session_state.setdefault(_READS, {})
    again = bool(st.session_state.pop(_AGAIN, False))
    kept = reads.get(key)
    if kept is None or again:
        kept = _read_now(connection, key, choice, window, every=again)
        _keep(reads, kept)
    _read_line(kept)
    return kept


def _keep(reads: dict[ReadKey, KeptRead], kept: KeptRead) -> None:
    """Keep a reading (the newest last, at most ``KEPT_READINGS``), unless the budget cut it."""
    reads.pop(kept.key, None)
    if kept.budget_cut:
        return
    reads[kept.key] = kept
    while len(reads) > KEPT_READINGS:
        del reads[next(iter(reads))]


def _read_now(
    connection: Connection, key: ReadKey, choice: str, window: str, *, every: bool
) -> KeptRead:
    bar = st.progress(0.0, text="Reading the task list…")

    def progress(done: int, expected: int) -> None:
        share = min(1.0, done / max(expected, 1))
        bar.progress(share, text=f"Read {done} of up to {expected} pages…")

    if window in HISTORY_WINDOWS:
        bar.empty()
        try:
            return KeptRead(
                key, time.time(), read=read_history_window(list(kinds_of(choice)), window)
            )
        except HistoryUnavailable as exc:
            return KeptRead(key, time.time(), error=str(exc))
    # Kinds found empty earlier this session are skipped, unless *Read again* asks them all.
    kinds = kinds_to_read(connection, kinds_of(choice), every=every)
    try:
        read = account_call(
            connection,
            READ_WINDOW,
            lambda cache, client, token, meter: read_window(
                cache, client, token, kinds, WINDOWS[window], on_progress=progress, meter=meter
            ),
        )
    except LookupFailed as exc:
        return KeptRead(key, time.time(), error=exc.message, budget_cut=isinstance(exc, OverBudget))
    finally:
        bar.empty()
    remember_empty(connection, read.kinds, read.empty)
    budget_cut = any(NOT_ASKED in cut for cut in read.cut_short)
    return KeptRead(key, time.time(), read=read, budget_cut=budget_cut)


def _read_line(kept: KeptRead) -> None:
    read_at = datetime.fromtimestamp(kept.read_at, viewer_tz())
    if kept.read is None:
        st.caption(f"Read at {read_at:%H:%M:%S}.")
        return
    calls = "list call" if kept.read.calls == 1 else "list calls"
    st.caption(
        f"{len(kept.read.tasks):,} tasks created in the window · {kept.read.calls} {calls} · "
        f"read at {read_at:%H:%M:%S} · from {source_note(kept.key[3])}"
    )
    if kept.key[2] not in KINDS and kept.read.kinds:  # several kinds: say which were covered
        st.caption(plain(covered_line(kept.read)))


def covered_line(read: WindowRead) -> str:
    """Which kinds a reading of several covered: ``Covered 34 kinds: Image to video and Veo 3.1
    have tasks, 32 have none.`` (the kinds with tasks are named when they are few)."""
    with_tasks = [kind_label(kind) for kind in read.kinds if kind not in read.empty]
    named = _listed(with_tasks) if 0 < len(with_tasks) <= NAMED_KINDS else ""
    if not read.empty:
        return f"Covered {len(read.kinds)} kinds" + (f": {named}." if named else ".")
    have = "has" if len(with_tasks) == 1 else "have"
    tasks = f"{named or len(with_tasks)} {have} tasks" if with_tasks else "none has tasks"
    return f"Covered {len(read.kinds)} kinds: {tasks}, {len(read.empty)} have none."


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _cuts(read: WindowRead) -> None:
    if read.cut_short:
        lines = "\n".join(f"- {plain(cut)}" for cut in read.cut_short)
        st.warning(
            "The reading stopped early, so the figures below cover only part of the window:\n"
            + lines,
            icon=":material/content_cut:",
        )
    for note in dropped_rows(read.skipped, read.duplicates, not_what="counted"):
        st.caption(f"{note.capitalize()}.")


def _what(choice: str) -> str:
    return f"{kind_label(choice).lower()} " if choice in KINDS else ""


def _typical_runs(connection: Connection, read: WindowRead) -> dict[str, TypicalRun]:
    """Each kind's typical run, for the kinds with running tasks (A2E's average is cached)."""
    running = {task.kind for task in read.tasks if task.outcome is TaskOutcome.IN_PROGRESS}
    found: dict[str, TypicalRun] = {}
    for kind in sorted(running):
        api_seconds = api_average_seconds(connection, kind)
        of_kind = [task for task in read.tasks if task.kind == kind]
        if (typical := typical_run(api_seconds, of_kind)) is not None:
            found[kind] = typical
    return found


def _figures(overview: Overview) -> None:
    counts = overview.counts
    rate = overview.success_rate
    coins = float(overview.per_period["coins"].sum())
    failed_coins = float(
        overview.per_period.loc[overview.per_period["outcome"] == "Failed", "coins"].sum()
    )
    stuck = int(overview.running["stuck"].sum()) if not overview.running.empty else 0
    shown = [
        ("Tasks", f"{sum(counts.values()):,}"),
        ("Success rate", "–" if rate is None else f"{rate:.0%}"),
        ("Failed", f"{counts['Failed']:,}"),
        ("Running", f"{counts['Running']:,}"),
        ("Stuck?", f"{stuck:,}"),
        ("Coins charged", f"{coins:,.0f}"),
    ]
    for column, (label, value) in zip(st.columns(len(shown)), shown, strict=True):
        column.metric(label, value, help=CHARGED_HELP if label == "Coins charged" else None)
    st.caption(
        f"{counts['Completed']:,} completed, {counts['Failed']:,} failed (charged "
        f"{failed_coins:,.0f} coins), {counts['Running']:,} running. The success rate counts "
        "finished tasks only; stuck? means running over 3× the typical run."
    )


def _charts(overview: Overview) -> None:
    primary, period, frame = primary_colour(), overview.period, overview.per_period
    left, right = st.columns(2)
    left.altair_chart(tasks_chart(frame, period, primary), width="stretch", height=HEIGHT)
    right.altair_chart(success_rate_chart(frame, period, primary), width="stretch", height=HEIGHT)
    left, right = st.columns(2)
    left.altair_chart(coins_chart(frame, period, primary), width="stretch", height=HEIGHT)
    codes = overview.failure_codes
    with right:
        if codes.empty:
            st.success("No task failed in this window.", icon=":material/check_circle:")
        else:
            chart = failure_codes_chart(codes)
            st.altair_chart(chart, width="stretch", height=failure_codes_height(codes))
    if not codes.empty:
        _failure_codes_table(codes)


def _failure_codes_table(codes: pd.DataFrame) -> None:
    """Each code with its most common message, whole (full width, wrapped), at 1280 px too."""
    st.dataframe(
        defuse_frame(codes),
        hide_index=True,
        width="stretch",
        row_height=WRAPPING_ROW_HEIGHT,
        height=len(codes) * WRAPPING_ROW_HEIGHT + HEADER_HEIGHT,
        column_config={
            "code": st.column_config.TextColumn("Failed code", width=170),
            "tasks": st.column_config.NumberColumn("Tasks", width=60),
            "coins": st.column_config.NumberColumn("Coins", format="%d", width=70),
            "message": st.column_config.TextColumn("Most common message", width="large"),
        },
    )


def _running(overview: Overview, typical: dict[str, TypicalRun]) -> None:
    st.subheader(f"Running tasks ({len(overview.running)})")
    if overview.running.empty:
        st.caption("No task of this window is still running.")
        return
    chart, _ = st.columns(2)
    chart.altair_chart(
        running_age_chart(overview.running_by_age, primary_colour()), width="stretch", height=HEIGHT
    )
    frame = overview.running.copy()
    frame["running_for"] = [duration_label(s) if s >= 0 else FUTURE for s in frame["running_for"]]
    frame["stuck"] = ["stuck?" if s else "" for s in frame["stuck"]]
    frame["kind"] = [kind_label(kind) for kind in frame["kind"]]
    st.dataframe(
        defuse_frame(frame.drop(columns=["created"])),
        hide_index=True,
        width="stretch",
        column_order=["name", "status", "running_for", "eta", "stuck", "kind", "id"],
        column_config={
            "name": st.column_config.TextColumn("Name", width=200),
            "status": st.column_config.TextColumn("Status", width=80),
            "running_for": st.column_config.TextColumn("Running for", width=100),
            "eta": st.column_config.TextColumn("ETA", width=200),
            "stuck": st.column_config.TextColumn("Stuck?", width=60),
            "kind": st.column_config.TextColumn("Kind", width=110),
            "id": st.column_config.TextColumn("Task id", width=210),
        },
    )
    for kind, run in sorted(typical.items()):
        st.caption(plain(f"{kind_label(kind)}: a typical run takes {run.label}."))
