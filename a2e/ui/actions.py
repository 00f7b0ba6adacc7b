"""One-click actions under a table: copy a text (a task id, a share link), download an export.

A row of buttons drawn by a small custom component (``st.components.v2``; its script and
style are ``assets/actions.js`` and ``.css``, served from the dashboard's own origin). A copy
button copies at once, in the page, with no rerun and nothing on hover only; a download is a
plain link to the dashboard's own export route (``a2e.ui.export_links``), so the browser
fetches the file itself, at once, whatever reruns the page meanwhile. Labels and texts are
set as text in the page, never as markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

_ASSETS = Path(__file__).resolve().parent / "assets"
_BAR = st.components.v2.component(
    "a2e_actions",
    html='<div class="a2e-actions" role="toolbar"></div>',
    css=(_ASSETS / "actions.css").read_text(),
    js=(_ASSETS / "actions.js").read_text(),
)


@dataclass(frozen=True)
class CopyText:
    """A button that copies ``text`` to the clipboard."""

    label: str
    text: str
    help: str = ""


@dataclass(frozen=True)
class Download:
    """A link that downloads ``href`` (a path on the dashboard's origin) as ``file_name``."""

    label: str
    href: str
    file_name: str
    help: str = ""


Action = CopyText | Download


def action_bar(actions: Sequence[Action], *, key: str) -> None:
    """Draw the actions in one row (nothing when there are none)."""
    if actions:
        _BAR(data={"items": [_item(action) for action in actions]}, key=key)


def _item(action: Action) -> dict[str, str]:
    if isinstance(action, CopyText):
        return {"label": action.label, "copy": action.text, "help": action.help}
    return {
        "label": action.label,
        "href": action.href,
        "file": action.file_name,
        "help": action.help,
    }
