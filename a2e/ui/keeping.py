"""Keeping results on the dashboard: the ZIP link, ``A2E_ARCHIVE``, *Saved*, archived playback.

- *Download results (.zip)*: the selected rows' completed tasks, or every completed task in
  view; a link to ``a2e.ui.zip_route`` (a single-use ticket for this browser and session,
  10 minutes; the token stays on the server). The link is renewed every few seconds once used
  or near its end, in a fragment of its own, so the button always downloads.
- ``A2E_ARCHIVE=DEST`` (a folder or ``s3://``): every completed task a page shows is offered
  to the process's background archiver (never blocking the page), the table marks those kept
  *Saved*, and once A2E's link has likely expired (``link_expired``) the detail and the gallery
  (``a2e.ui.results.browser_links``) show the archived copy through ``/a2e/kept/…``, only for
  viewers whose server and token were seen to own the task. The demo is never archived.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from urllib.parse import urlsplit

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from a2e.access.audit import AuditKind
from a2e.archive.background import BackgroundArchiver, Owner, link_expired
from a2e.archive.destination import DestinationError, destination_from
from a2e.archive.layout import RESULT, role_name, task_folder
from a2e.archive.manifest import ManifestEntry
from a2e.archive.zipper import ZipItem
from a2e.cache.fetch import token_fingerprint
from a2e.core.model import Task, TaskOutcome, utc_now
from a2e.core.result_links import ResultLink
from a2e.ui.budget_notes import later_spend
from a2e.ui.connection_model import Connection
from a2e.ui.settings import server_setting
from a2e.ui.zip_route import (
    KEPT_PATH,
    KEPT_TICKETS,
    XSRF_COOKIE,
    ZIP_PATH,
    ZIP_TICKETS,
    KeptFile,
    ZipOrder,
    browser_binding,
)

ARCHIVE_SETTING = "A2E_ARCHIVE"
ZIP_LABEL = "Download results (.zip)"
RENEW_EVERY_SECONDS = 5
# A link is renewed when it would expire within this: a click never meets a dead link.
LINK_MARGIN_SECONDS = 60.0
_LOOPBACK = "127.0.0.1"
_FALLBACK_ORIGIN = "http://localhost:8501"
logger = logging.getLogger("a2e.archive")


@st.cache_resource(show_spinner=False)
def _shared_archiver(destination: str) -> BackgroundArchiver | None:
    try:
        return BackgroundArchiver(destination_from(destination))
    except DestinationError as exc:
        logger.warning("%s is not usable (%s): nothing is archived", ARCHIVE_SETTING, exc)
        return None


def background_archiver() -> BackgroundArchiver | None:
    """The process's background archiver, when ``A2E_ARCHIVE`` names a usable destination."""
    destination = server_setting(ARCHIVE_SETTING)
    return _shared_archiver(destination) if destination else None


def owner_of(connection: Connection) -> Owner:
    """The connection's server and token fingerprint (and what its viewer may reach)."""
    return Owner(connection.base_url, token_fingerprint(connection.token), connection.scope)


def keep_seen(connection: Connection, tasks: Sequence[Task]) -> None:
    """Offer the completed tasks a page shows to the background archiver (never waits)."""
    archiver = background_archiver()
    if archiver is not None and not connection.is_demo:
        archiver.offer(owner_of(connection), list(tasks))


def saved_marker(connection: Connection) -> Callable[[Task], bool] | None:
    """Whether each task is kept in the archive for this viewer (None: no archive here)."""
    archiver = background_archiver()
    if archiver is None or connection.is_demo:
        return None
    owner = owner_of(connection)
    return lambda task: archiver.kept_for(owner, task.id) is not None


def archived_links(
    connection: Connection, task: Task, links: tuple[ResultLink, ...]
) -> tuple[ResultLink, ...]:
    """``links``, each pointing at its archived copy once A2E's link has likely expired (for a
    viewer whose server and token were seen to own the task); else as they are."""
    archiver = background_archiver()
    if archiver is None or connection.is_demo or not link_expired(task, utc_now()):
        return links
    entry = archiver.kept_for(owner_of(connection), task.id)
    if entry is None:
        return links
    return tuple(
        _kept_link(archiver, task, link, entry, role_name(RESULT, index, len(links)))
        for index, link in enumerate(links)
    )


def _kept_link(
    archiver: BackgroundArchiver, task: Task, link: ResultLink, entry: ManifestEntry, role: str
) -> ResultLink:
    saved = next((f for f in entry.files if f.name.rpartition(".")[0] == role), None)
    if saved is None:
        return link
    path = f"{task_folder(task.kind, task.id)}/{saved.name}"
    kept = KeptFile(archiver.destination, path, saved.bytes, saved.type)
    return replace(link, url=_origin() + KEPT_PATH.format(ticket=_kept_ticket(path, kept)))


def _kept_ticket(path: str, kept: KeptFile) -> str:
    """This session's ticket for one archived file, kept while it lives (players reload it)."""
    tickets: dict[str, str] = st.session_state.setdefault("_kept_tickets", {})
    ticket = tickets.get(path)
    if ticket is None or not KEPT_TICKETS.is_live(ticket, for_at_least=LINK_MARGIN_SECONDS):
        ticket = tickets[path] = KEPT_TICKETS.mint(kept, this_browser())
    return ticket


def zip_link(connection: Connection, tasks: Sequence[Task], *, selected: bool) -> None:
    """The *Download results (.zip)* link for ``tasks`` (their completed ones)."""
    chosen = [t for t in tasks if t.outcome is TaskOutcome.COMPLETED and t.result_url]
    which = "the selected rows" if selected else "the tasks in view"
    if not chosen:
        st.button(ZIP_LABEL, disabled=True, help=f"No completed task among {which}.")
        return
    order = _order(connection, chosen)
    key = "|".join(task.id for task in chosen)

    @st.fragment(run_every=RENEW_EVERY_SECONDS)
    def link() -> None:
        st.link_button(
            ZIP_LABEL,
            _origin() + ZIP_PATH.format(ticket=_zip_ticket(key, order)),
            icon=":material/folder_zip:",
            help=f"The results of the {len(chosen)} completed tasks among {which} (media, "
            "source images, task.json), streamed as one ZIP. The link works once, in this "
            "browser, for 10 minutes.",
        )

    link()


def _order(connection: Connection, tasks: list[Task]) -> ZipOrder:
    archiver = background_archiver()
    owner = owner_of(connection)
    items = tuple(
        ZipItem(task, archiver.kept_for(owner, task.id) if archiver else None) for task in tasks
    )
    context = get_script_run_ctx()
    return ZipOrder(
        items=items,
        server=connection.base_url,
        viewer_scope=connection.scope,
        session_id=context.session_id if context else None,
        spend=later_spend(connection, AuditKind.DOWNLOAD, len(tasks)),
        archive=archiver.destination if archiver else None,
    )


def _zip_ticket(key: str, order: ZipOrder) -> str:
    kept = st.session_state.get("_zip_ticket")
    if (
        isinstance(kept, tuple)
        and kept[0] == key
        and ZIP_TICKETS.is_live(kept[1], for_at_least=LINK_MARGIN_SECONDS)
    ):
        return str(kept[1])
    ticket = ZIP_TICKETS.mint(order, this_browser())
    st.session_state["_zip_ticket"] = (key, ticket)
    return ticket


def this_browser() -> str:
    """The binding of the browser this script runs for, as the download routes compute it
    (``a2e.ui.zip_route.browser_binding``): ZIP and export links answer it alone."""
    cookie = st.context.cookies.get(XSRF_COOKIE)
    address = st.context.ip_address
    return browser_binding(cookie, address if isinstance(address, str) else _LOOPBACK)


def _origin() -> str:
    """``scheme://host:port`` as the viewer's browser reaches the dashboard (routes sit at its
    root, outside any ``baseUrlPath``)."""
    parts = urlsplit(st.context.url or _FALLBACK_ORIGIN)
    return f"{parts.scheme}://{parts.netloc}"
