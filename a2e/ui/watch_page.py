"""The Watch page (shown when ``A2E_HISTORY`` is set): what the watcher watches, each target's
latest announcements (delivered, retrying, given up, with the reason), and *Send a test message*.

The page reads the watcher's state and writes only a test request, which the watcher sends to
each of its targets within a second or two (the page never holds a target's URL: only labels).
It serves viewers who use the server's token, the account the watcher watches.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import streamlit as st

from a2e.api.lists import LIST_CALL_MISSING
from a2e.core.kinds import KINDS
from a2e.ui.connection_model import Connection, TokenSource
from a2e.ui.overview_history import history_path
from a2e.ui.plain import plain
from a2e.ui.timing import viewer_tz
from a2e.views.export import defuse_frame
from a2e.watch.history import (
    HISTORY_SETTING,
    HistoryUnavailable,
    TargetSummary,
    history_server,
    watch_summary,
)
from a2e.watch.messages import trouble_words
from a2e.watch.pokes import ask_for_test

STATE_WORDS = {"delivered": "delivered", "pending": "retrying", "given_up": "given up"}
REFRESH_SECONDS = 5
SHOWN_KINDS = 8


def watch_view(connection: Connection) -> None:
    """The whole page below its title."""
    path = history_path()
    if path is None:
        st.info(f"Set {HISTORY_SETTING} to the watcher's state file to see it here.")
        return
    if connection.source is not TokenSource.SERVER:
        st.info("The watcher watches the server token's account: use the server's token to see it.")
        return
    try:
        history_server(path)  # the state must exist before anything is asked of it
    except HistoryUnavailable as exc:
        st.error(plain(str(exc)), icon=":material/error:")
        return
    if st.button("Send a test message", icon=":material/send:"):
        ask_for_test(path)
        st.toast("Asked the watcher to send a test message to each target.")
    _summary(path, connection)


@st.fragment(run_every=REFRESH_SECONDS)
def _summary(path: str, connection: Connection) -> None:
    try:
        summary = watch_summary(path)
    except HistoryUnavailable as exc:
        st.error(plain(str(exc)), icon=":material/error:")
        return
    if summary.server and summary.server != connection.base_url:
        st.warning(plain(f"This watcher watches {summary.server}, not the server in use."))
    _watching(summary.watching, summary.last_poll, summary.trouble)
    _unlisted(summary.unlisted)
    _last_test(summary.last_test)
    if not summary.targets:
        st.caption("No target yet: the watcher has not started on this state.")
    for target in summary.targets:
        _target(target)


def _watching(
    watching: dict[str, object], last_poll: dict[str, object] | None, trouble: object
) -> None:
    ids = watching.get("ids")
    kinds = _list(watching.get("id_kinds") if ids else watching.get("kinds"))
    what = (
        _counted(ids, "task id", "task ids")
        if ids
        else _counted(len(kinds), "kind's list", "kinds' lists")
    )
    rules = ", only failures" if watching.get("only_failed") else ""
    st.markdown(
        f"**Watching** {what}, every {_seconds(watching.get('interval'))}{rules}; "
        f"digests over {_seconds(watching.get('digest'))}."
    )
    if kinds and (not ids or len(kinds) < len(KINDS)):
        words = "Asked as" if ids else "Kinds"
        st.caption(plain(f"{words}: {_labels(kinds)}."))
    if last_poll:
        st.caption(
            f"Last poll {_time(last_poll.get('at'))}: "
            f"{_counted(last_poll.get('list_calls'), 'list call', 'list calls')}, "
            f"{_counted(last_poll.get('looked_up'), 'task', 'tasks')} looked up; "
            f"next {_time(last_poll.get('next_at'))}."
        )
    if isinstance(trouble, dict):
        words = trouble_words(str(trouble.get("what")))
        st.warning(
            plain(
                f"{words} since {_time(trouble.get('since'))}: the watcher keeps trying, "
                "less often while it lasts."
            )
        )


def _unlisted(kinds: tuple[str, ...]) -> None:
    if kinds:
        st.warning(
            plain(
                f"{_labels(list(kinds))}: {LIST_CALL_MISSING}, so new tasks of "
                f"{'this kind' if len(kinds) == 1 else 'these kinds'} are not seen "
                "(name their ids to watch them)."
            )
        )


def _last_test(request: dict[str, object] | None) -> None:
    if request is None:
        return
    asked = _time(request.get("created_at"))
    if request.get("taken_at") is None:
        st.caption(f"Test message asked for at {asked}: not taken yet (is the watcher running?).")
    else:
        taken = _time(request.get("taken_at"))
        st.caption(f"Test message asked for at {asked}: queued for each target at {taken}.")


def _target(target: TargetSummary) -> None:
    counts = ", ".join(f"{n} {STATE_WORDS.get(s, s)}" for s, n in sorted(target.counts.items()))
    retired = "" if target.active else " (no longer a target)"
    st.subheader(plain(target.label + retired), divider="gray")
    st.caption(counts or "Nothing announced yet.")
    if not target.latest:
        return
    rows = [
        {
            "created": _time(item.get("created_at")),
            "announcement": str(item.get("body", "")).split("\n")[0],
            "state": STATE_WORDS.get(str(item.get("state")), str(item.get("state"))),
            "tries": item.get("attempts"),
            "reason": item.get("last_error") or "",
        }
        for item in target.latest
    ]
    st.dataframe(
        defuse_frame(pd.DataFrame(rows)),
        hide_index=True,
        width="stretch",
        column_config={
            "created": st.column_config.TextColumn("Created", width=150),
            "announcement": st.column_config.TextColumn("Announcement", width="large"),
            "state": st.column_config.TextColumn("State", width=80),
            "tries": st.column_config.NumberColumn("Tries", width=50),
            "reason": st.column_config.TextColumn("Reason", width="medium"),
        },
    )


def _list(value: object) -> list[str]:
    return [str(item) for item in value] if isinstance(value, list) else []


def _labels(kinds: list[str]) -> str:
    labels = [KINDS[k].label if k in KINDS else k for k in kinds]
    more = f" and {len(labels) - SHOWN_KINDS} more" if len(labels) > SHOWN_KINDS else ""
    return ", ".join(labels[:SHOWN_KINDS]) + more


def _counted(number: object, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def _seconds(value: object) -> str:
    return f"{value:g} s" if isinstance(value, int | float) else "?"


def _time(moment: object) -> str:
    if not isinstance(moment, int | float):
        return "–"
    return datetime.fromtimestamp(moment, viewer_tz()).strftime("%Y-%m-%d %H:%M:%S")
