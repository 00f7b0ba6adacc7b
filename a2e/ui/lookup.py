"""The lookup form (pasted text, a file, the kind, ``?ids=``) and running a lookup."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from a2e.core.ids import parse_task_ids
from a2e.core.kinds import DEFAULT_KIND, KINDS
from a2e.ui.cached import demo_emulator, fetch_tasks
from a2e.ui.connection_model import Connection
from a2e.ui.plain import plain
from a2e.ui.session import new_board

MAX_IDS = 5_000
MAX_IDS_IN_URL = 100
MAX_REJECTED_ROWS = 200
MAX_URL_IDS_TEXT = 200_000
LOOKUP_MAX_AGE_SECONDS = 5.0
_STARTED = "lookup_started"


@dataclass(frozen=True)
class LookupRequest:
    """What the viewer asked to look up."""

    ids: tuple[str, ...]
    rejected: tuple[str, ...]
    kind: str


def lookup_form(connection: Connection) -> LookupRequest | None:
    """Render the form; the request to run now (on submit, or on opening with ids)."""
    opening = _prefill_once(connection)
    with st.form("lookup", border=False):
        ids_column, options_column = st.columns([3, 2])
        ids_column.text_area(
            "Task IDs",
            key="ids_text",
            height=168,
            placeholder="Paste task ids: one per line, comma-separated, JSON, CSV or log lines…",
        )
        with options_column:
            st.selectbox("Task kind", list(KINDS), key="kind", format_func=_kind_label)
            upload = st.file_uploader(
                "…or a .txt / .csv file of ids", type=["txt", "csv"], key="ids_file"
            )
        submitted = st.form_submit_button("Look up", type="primary", icon=":material/search:")
    if not (submitted or opening):
        return None
    text = str(st.session_state.get("ids_text", ""))
    if upload is not None:
        text += "\n" + upload.getvalue()[: 5 * 1024 * 1024].decode("utf-8", errors="replace")
    return _request(text, str(st.session_state.get("kind", DEFAULT_KIND)))


def _kind_label(key: str) -> str:
    return KINDS[key].label


def _kind_from_url() -> str:
    """``?kind=`` when it names a known kind, else the default."""
    kind = st.query_params.get("kind", DEFAULT_KIND)
    return kind if kind in KINDS else DEFAULT_KIND


def _prefill_once(connection: Connection) -> bool:
    """Fill the form from ``?ids=`` (or the demo's ids) once per session; True if filled."""
    if st.session_state.get(_STARTED):
        return False
    st.session_state[_STARTED] = True
    st.session_state["kind"] = _kind_from_url()
    from_url = st.query_params.get("ids", "")
    if from_url:
        # The raw pieces, so that invalid ones are listed back like pasted ones.
        st.session_state["ids_text"] = from_url[:MAX_URL_IDS_TEXT].replace(",", "\n")
    elif connection.is_demo:
        st.session_state["ids_text"] = "\n".join(demo_emulator().demo_ids(st.session_state["kind"]))
    return bool(st.session_state.get("ids_text"))


def _request(text: str, kind: str) -> LookupRequest | None:
    parsed = parse_task_ids(text)
    if parsed.rejected:
        shown = ", ".join(parsed.rejected[:20]) + (" …" if len(parsed.rejected) > 20 else "")
        st.warning(f"Not task ids, not looked up ({len(parsed.rejected)}): {plain(shown)}")
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
    """Look the ids up (with a progress bar) and show them on a fresh board."""
    total = len(request.ids)
    bar = st.progress(0.0, text=f"Looking up {total:,} tasks…") if total > 1 else None

    def progress(done: int, owned: int) -> None:
        # About 50 updates at most: each one is a message to the browser.
        if bar is not None and (done == owned or done % max(1, owned // 50) == 0):
            bar.progress(done / max(owned, 1), text=f"Looked up {done:,} of {owned:,}")

    tasks = fetch_tasks(
        connection,
        request.kind,
        list(request.ids),
        max_age=LOOKUP_MAX_AGE_SECONDS,
        on_progress=progress,
    )
    if bar is not None:
        bar.empty()
    new_board(connection, request.kind).show(request.ids, request.rejected, tasks)
    _remember_in_url(request)


def _remember_in_url(request: LookupRequest) -> None:
    """Keep ``?ids=`` in step with a shareable lookup (never the token)."""
    if len(request.ids) <= MAX_IDS_IN_URL:
        st.query_params["ids"] = ",".join(request.ids)
    elif "ids" in st.query_params:
        del st.query_params["ids"]
    if request.kind == DEFAULT_KIND:
        st.query_params.pop("kind", None)
    else:
        st.query_params["kind"] = request.kind


def opening_request(connection: Connection) -> LookupRequest | None:
    """For pages without the form: the ids of ``?ids=`` or of the demo, as a request."""
    kind = _kind_from_url()
    from_url = st.query_params.get("ids", "")
    if from_url:
        return _request(from_url[:MAX_URL_IDS_TEXT], kind)
    if connection.is_demo:
        return LookupRequest(ids=tuple(demo_emulator().demo_ids(kind)), rejected=(), kind=kind)
    return None
