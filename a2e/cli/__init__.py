"""``python -m a2e``: the command line (``status``, ``recent``, ``watch``, ``kinds``, ``archive``).

Exit status: 0 when every id was looked up (whatever the tasks' outcomes), 1 when any
lookup failed or any id was invalid, 2 for usage errors. The token comes only from the
``A2E_API_TOKEN`` environment variable and is never printed.
"""

from __future__ import annotations

from a2e.cli.archive import archive
from a2e.cli.kinds import kinds
from a2e.cli.main import main
from a2e.cli.recent import recent
from a2e.cli.status import status
from a2e.cli.watch import watch

main.add_command(status)
main.add_command(recent)
main.add_command(watch)
main.add_command(kinds)
main.add_command(archive)

__all__ = ["main"]
