"""The lookup form (pasted text, a file, the kind, ``?ids=``) and running a lookup.

The form's text and kind are kept under the dashboard's own keys too, so they survive a
visit to another page (Streamlit forgets a page's widgets when it is not drawn). A share link
(``?ids=``) is looked up as soon as there is a connection, and never against the demo.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import streamlit as st

from a2e.access.audit import AuditKind
from a2e.api.meter import Meter, not_sent
from a2e.core.ids import ParsedIds, marked_piece, parse_id_list, parse_task_ids
from a2e.core.kinds import FAMILIES, KINDS, kinds_in_family
from a2e.core.model import Task, TaskOutcome
from a2e.sandbox.history import DEMO_KINDS
from a2e.ui.budget_notes import not_asked_note, record, task_outcomes, viewer_meter
from a2e.ui.cached import demo_emulator, fetch_tasks
from a2e.ui.connection_model import Connection
from a2e.ui.plain import plain
from a2e.ui.session import new_board
from a2e.views.auto_kind import AUTO_KIND, AUTO_LABEL
from a2e.views.kind_choice import unknown_kind_message

MAX_IDS = 5_000
MAX_IDS_IN_URL = 100
MAX_REJECTED_ROWS = 200
MAX_INPUT_CHARACTERS = 1_000_000
MAX_URL_IDS_TEXT = 200_000
LOOKUP_MAX_AGE_SECONDS = 5.0
# Auto, then each family (its kinds in turn) followed by its kinds.
KIND_CHOICES = (
    AUTO_KIND,
    *(name for family in FAMILIES for name in (family, *kinds_in_family(family))),
)
LIVE_DEMO_ROWS = 3
# Pieces that are not ids, named after a lookup and in a waiting share link's note (the rest
# are counted).
LISTED_PIECES, NOTED_PIECES = 20, 5
_STARTED = "lookup_started"
_FROM_LINK, _FROM_DEMO = "link", "demo"
_KEPT = {"ids_text": "_kept_ids_text", "kind": "_kept_kind"}


@dataclass(frozen=True)
class LookupRequest:
    """What the viewer asked to look up."""

    ids: tuple[str, ...]
    rejected: tuple[str, ...]
    kind: str


def lookup_form(connection: Connection) -> LookupRequest | None:
    """Render the form; the request to run now (on submit, or on opening with ids)."""
    opening = _prefill_once(connection)
    _restore_kept_input()
    with st.form("lookup", border=False):
        ids_column, options_column = st.columns([3, 2])
        ids_column.text_area(
            "Task IDs",
            key="ids_text",
            height=168,
            placeholder="Paste task ids: one per line, comma-separated, JSON, CSV or log lines…",
        )
        with options_column:
            st.selectbox("Task kind", KIND_CHOICES, key="kind", format_func=kind_label)
            upload = st.file_uploader(
                "…or a .txt / .csv file of ids", type=["txt", "csv"], key="ids_file"
            )
        submitted = st.form_submit_button("Look up", type="primary", icon=":material/search:")
    _keep_input()
    if opening == _FROM_LINK and not submitted:
        return _request(shared_ids_in_url(), str(st.session_state.get("kind")), link=True)
    if not (submitted or opening):
        return None
    text = str(st.session_state.get("ids_text", ""))
    if upload is not None:
        text += "\n" + upload.getvalue()[: 5 * 1024 * 1024].decode("utf-8", errors="replace")
    return _request(text, str(st.session_state.get("kind", AUTO_KIND)))


def fill_form(ids: Sequence[str]) -> None:
    """Put ``ids`` in the lookup form as if typed (kind Auto); opening Lookup runs no lookup."""
    st.session_state[_STARTED] = True
    st.session_state["kind"] = st.session_state[_KEPT["kind"]] = AUTO_KIND
    st.session_state["ids_text"] = st.session_state[_KEPT["ids_text"]] = "\n".join(ids)


def kind_label(key: str) -> str:
    """How a choice is named in the selector: Auto, ``Video: each of 16 kinds``, ``Video › Veo``."""
    if key == AUTO_KIND:
        return AUTO_LABEL
    if key in FAMILIES:
        return f"{FAMILIES[key]}: each of {len(kinds_in_family(key))} kinds"
    return f"{FAMILIES[KINDS[key].family]} › {KINDS[key].label}"


def kind_from_url() -> str:
    """``?kind=`` when it names a known kind or family, else Auto."""
    kind = st.query_params.get("kind", AUTO_KIND)
    return kind if kind in KIND_CHOICES else AUTO_KIND


def unknown_kind_in_url() -> str | None:
    """What the page says about a ``?kind=`` that names no kind (naming the known ones)."""
    kind = st.query_params.get("kind")
    if kind is None or kind in KIND_CHOICES:
        return None
    return unknown_kind_message(kind, auto=True).capitalize() + ": looking up as Auto."


def shared_ids_in_url() -> str:
    """The raw ``?ids=`` text of a share link (capped), or an empty string."""
    return str(st.query_params.get("ids", ""))[:MAX_URL_IDS_TEXT]


def _restore_kept_input() -> None:
    for widget_key, kept_key in _KEPT.items():
        if widget_key not in st.session_state and kept_key in st.session_state:
            st.session_state[widget_key] = st.session_state[kept_key]


def _keep_input() -> None:
    for widget_key, kept_key in _KEPT.items():
        if widget_key in st.session_state:
            st.session_state[kept_key] = st.session_state[widget_key]


def _prefill_once(connection: Connection) -> str | None:
    """Fill the form from ``?ids=`` (or the demo's ids) once per session; from what, if so."""
    if st.session_state.get(_STARTED):
        return None
    st.session_state[_STARTED] = True
    st.session_state["kind"] = kind_from_url()
    if (unknown := unknown_kind_in_url()) is not None:
        st.warning(plain(unknown), icon=":material/help:")
    shared = shared_ids_in_url()
    if shared and not connection.is_demo:
        parsed = parse_id_list(shared)
        st.session_state["ids_text"] = "\n".join(parsed.ids + parsed.rejected)
        return _FROM_LINK
    if connection.is_demo:
        st.session_state["ids_text"] = "\n".join(_demo_ids(st.session_state["kind"]))
        return _FROM_DEMO
    return None


def _demo_ids(kind: str) -> list[str]:
    emulator = demo_emulator()
    if kind in KINDS:
        return emulator.demo_ids(kind)
    # The demo's newest live tasks (some always run), every image-to-video demo task, and one of
    # each other kind the demo account uses: Auto finds each one's kind.
    first, *others = DEMO_KINDS
    others_ids = [ids[0] for key in others if (ids := emulator.demo_ids(key))]
    return emulator.live_ids()[:LIVE_DEMO_ROWS] + emulator.demo_ids(first) + others_ids


def _request(text: str, kind: str, *, link: bool = False) -> LookupRequest | None:
    if len(text) > MAX_INPUT_CHARACTERS:
        st.warning(
            f"The input is {len(text):,} characters long; only the first "
            f"{MAX_INPUT_CHARACTERS:,} are read."
        )
        text = text[:MAX_INPUT_CHARACTERS]
    # A link's pieces are meant as ids: every other piece is listed back.
    parsed: ParsedIds = parse_id_list(text) if link else parse_task_ids(text)
    if parsed.rejected:
        st.warning(not_ids_line(parsed.rejected, LISTED_PIECES))
    if not parsed.ids:
        if not parsed.rejected:
            st.warning(
                "No task ids found. A task id is 24 hex characters, like 67d29023dd27a536fdf6e809."
            )
        return None
    ids = parsed.ids
    if len(ids) > MAX_IDS:
        st.warning(f"Looking up the first {MAX_IDS:,} of {len(ids):,} ids.")
        ids = ids[:MAX_IDS]
    return LookupRequest(ids=ids, rejected=parsed.rejected[:MAX_REJECTED_ROWS], kind=kind)


def run_lookup(connection: Connection, request: LookupRequest) -> None:
    """Look the ids up (with a progress bar) and show them on a fresh board.

    Every request sent is charged to the viewer's budget as it goes; what the budget stopped
    is said once, and a lookup of which nothing at all could be sent leaves the board as it was.
    """
    total = len(request.ids)
    meter = viewer_meter(AuditKind.LOOKUP)
    bar = st.progress(0.0, text=f"Looking up {total:,} tasks…") if total > 1 else None
    shown = {"last": -1, "asking": ""}

    def progress(done: int, expected: int) -> None:
        # About 50 updates at most: each one is a message to the browser.
        step = max(1, expected // 50)
        if bar is not None and (done == expected or done // step != shown["last"]):
            shown["last"] = done // step
            text = f"Looked up {done:,} of {expected:,}{shown['asking']}"
            bar.progress(min(1.0, done / max(expected, 1)), text=text)

    def asking(kind: str, place: int, of: int) -> None:
        if of > 1:  # Auto or a family: say which kind is being asked
            shown["asking"] = f" · asking as {KINDS[kind].label} (kind {place} of {of})"

    tasks = fetch_tasks(
        connection,
        request.kind,
        list(request.ids),
        max_age=LOOKUP_MAX_AGE_SECONDS,
        on_progress=progress,
        meter=meter,
        on_kind=asking,
    )
    if bar is not None:
        bar.empty()
    record(connection, AuditKind.LOOKUP, ids=total, outcomes=task_outcomes(tasks), meter=meter)
    if (note := not_asked_note(meter, tasks, done="looked up")) is not None:
        st.warning(note, icon=":material/hourglass_top:")
        if _nothing_sent(meter, tasks):
            return
    new_board(connection, request.kind).show(request.ids, request.rejected, tasks)
    _remember_in_url(connection, request)


def _nothing_sent(meter: Meter, tasks: list[Task]) -> bool:
    """True when the budget stopped every request and the cache answered nothing either."""
    asked = [task for task in tasks if task.outcome is not TaskOutcome.INVALID_ID]
    return meter.calls == 0 and all(not_sent(task) for task in asked)


def _remember_in_url(connection: Connection, request: LookupRequest) -> None:
    """Keep ``?ids=`` in step with a shareable lookup (never the token, never for the demo)."""
    if connection.is_demo:
        return
    if len(request.ids) <= MAX_IDS_IN_URL:
        st.query_params["ids"] = ",".join(request.ids)
    elif "ids" in st.query_params:
        del st.query_params["ids"]
    if request.kind == AUTO_KIND:
        st.query_params.pop("kind", None)
    else:
        st.query_params["kind"] = request.kind


def opening_request(connection: Connection) -> LookupRequest | None:
    """For pages without the form: the ids of ``?ids=`` or of the demo, as a request."""
    kind = kind_from_url()
    shared = shared_ids_in_url()
    if shared and not connection.is_demo:
        return _request(shared, kind, link=True)
    if connection.is_demo:
        return LookupRequest(ids=tuple(_demo_ids(kind)), rejected=(), kind=kind)
    return None


def shared_link_note(connection_ready: bool) -> str:
    """What the page says about a share link's ids before (or instead of) looking them up."""
    shared = shared_ids_in_url()
    if not shared:
        return ""
    parsed = parse_id_list(shared)
    count = len(parsed.ids)
    noun = "task id" if count == 1 else "task ids"
    if connection_ready:
        note = (
            f"This link holds {count} shared {noun}: the demo never looks them up. "
            "Choose a server and enter your API token to see them."
        )
    else:
        note = (
            f"This link holds {count} shared {noun}. Choose their server and enter your API "
            "token in the sidebar: they are looked up as soon as there is a connection."
        )
    if parsed.rejected:
        note += "  \n" + not_ids_line(parsed.rejected, NOTED_PIECES) + "."
    return note


def not_ids_line(rejected: tuple[str, ...], at_most: int) -> str:
    """The pieces that are not task ids (already shortened), the first ``at_most`` named, as
    plain text (they are anyone's text), their look-alike characters marked."""
    shown = ", ".join(plain(marked_piece(piece)) for piece in rejected[:at_most])
    more = f" and {len(rejected) - at_most:,} more" if len(rejected) > at_most else ""
    return f"Not task ids, not looked up ({len(rejected):,}): {shown}{more}"
