"""``python -m a2e``: the command line (``status``, ``recent``, ``watch``, ``kinds``, ``archive``;
one module each).

Exit status: 0 when every id was looked up (whatever the tasks' outcomes), 1 when any
lookup failed or any id was invalid, 2 for usage errors. The token comes only from the
``A2E_API_TOKEN`` environment variable and is never printed. A command's module is imported
only when that command runs (``a2e.cli.main.LazyGroup``).
"""

from __future__ import annotations

from a2e.cli.main import main

__all__ = ["main"]
