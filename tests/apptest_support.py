"""Opening the dashboard in Streamlit's AppTest as a viewer would, and reading what it shows."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 30


@contextmanager
def entry_point_navigation_remembered() -> Iterator[None]:
    """Make AppTest run app.py as the real server does, on every run.

    The server learns once, from app.py's ``st.navigation``, that the ``pages/`` folder is not
    the old pages-folder app (a page run alone before that reruns through app.py:
    ``a2e.ui.shell.ensure_entry_point``); AppTest forgets it before each of its runs.
    """
    original = PagesManager.__init__

    def remembering_init(self: PagesManager, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = remembering_init  # type: ignore[method-assign]
    try:
        yield
    finally:
        PagesManager.__init__ = original  # type: ignore[method-assign]


def open_page(page: str | None = None, /, **query: str) -> AppTest:
    """The dashboard as a viewer opens it: the entry point, then (optionally) another page."""
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    for key, value in query.items():
        app.query_params[key] = value
    app.run()
    return app.switch_page(page).run() if page else app


def table_ids(app: AppTest) -> list[str]:
    """The ids in the first table, in its order."""
    return list(app.dataframe[0].value["id"])


def metric(app: AppTest, label: str) -> str:
    """The value of the summary metric labelled ``label``."""
    return str(next(m.value for m in app.metric if m.label == label))
