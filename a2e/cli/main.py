"""The ``a2e`` command group; commands register themselves in ``a2e.cli``."""

from __future__ import annotations

import click


@click.group()
def main() -> None:
    """See what happened to your A2E tasks."""
