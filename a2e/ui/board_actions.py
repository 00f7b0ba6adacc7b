"""What a person does with a board's tasks, in one row under the table: export, share, copy.

- *Export CSV* / *Export JSON*: this session's export links (``a2e.ui.export_links``), made
  when clicked from the rows the page shows then, so every click downloads that export at once.
- *Copy share link* (pages that can be shared, the demo too): the whole URL, one click.
- *Copy task id*: the selected row's id, one click.
"""

from __future__ import annotations

from streamlit.runtime.scriptrunner import get_script_run_ctx

from a2e.core.model import Task
from a2e.ui.actions import Action, CopyText, Download, action_bar
from a2e.ui.connection_model import Connection
from a2e.ui.export_links import EXPORT_LINKS
from a2e.ui.keeping import this_browser
from a2e.ui.links import share_link
from a2e.views.board import Board
from a2e.views.export import tasks_to_csv, tasks_to_json

CSV_FILE, JSON_FILE = "a2e-tasks.csv", "a2e-tasks.json"
SHARE_HELP = (
    "Opens this lookup for anyone with access to this dashboard. It holds no token: each "
    "viewer uses their own."
)
DEMO_SHARE_HELP = (
    "In the demo, the link asks whoever opens it for a server and a token: demo ids are "
    "never looked up from a link."
)


def board_actions(
    connection: Connection, board: Board, name: str, *, selected: Task | None, shareable: bool
) -> None:
    """The row of actions for the board ``name`` (and the selected row, if any)."""
    actions: list[Action] = _exports(connection, board, name)
    if shareable:
        link = share_link(connection, board.order, board.kind)
        help_text = DEMO_SHARE_HELP if connection.is_demo else SHARE_HELP
        actions.append(CopyText("Copy share link", link, help_text))
    if selected is not None:
        actions.append(CopyText("Copy task id", selected.id, f"Copies {selected.id}"))
    action_bar(actions, key=f"{name}_actions")


def _exports(connection: Connection, board: Board, name: str) -> list[Action]:
    """This session's two export links for the board (none outside a browser session)."""
    context = get_script_run_ctx()
    if context is None:
        return []

    def rows() -> list[Task]:
        # Demo media is served by the dashboard: exports link to where the browser finds it.
        return [connection.as_browser_sees(task) for task in board.rows()]

    session = context.session_id
    binding = this_browser()  # (as the route will see it: a2e.ui.zip_route)
    csv = EXPORT_LINKS.offer(
        session,
        f"{name}.csv",
        CSV_FILE,
        "text/csv; charset=utf-8",
        lambda: tasks_to_csv(rows()),
        binding,
    )
    json = EXPORT_LINKS.offer(
        session,
        f"{name}.json",
        JSON_FILE,
        "application/json",
        lambda: tasks_to_json(rows()),
        binding,
    )
    return [
        Download("Export CSV", csv, CSV_FILE, "Every row, as CSV (formulas defused)"),
        Download("Export JSON", json, JSON_FILE, "Every row, as JSON"),
    ]
