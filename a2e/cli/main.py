"""The ``a2e`` command group. Each command lives in its own module, imported when it runs.

``python -m a2e --help`` lists the commands from ``COMMANDS`` without importing them (a test
checks the short help given here is each command's own), so start-up costs only ``click``.
"""

from __future__ import annotations

import importlib

import click

# name -> (module that defines the command under that name, its one-line help)
COMMANDS = {
    "status": ("a2e.cli.status", "Look up task IDs (use - to read any text with ids from stdin)."),
    "recent": ("a2e.cli.recent", "Show the account's newest tasks (no ids needed)."),
    "watch": ("a2e.cli.watch", "Announce when tasks finish, to every --notify target."),
    "kinds": (
        "a2e.cli.kinds",
        "List the task kinds, by family, with their detail, list and batchDetail calls.",
    ),
    "archive": (
        "a2e.cli.archive",
        "Keep finished tasks' results (media, source, task.json) in a folder or on S3.",
    ),
}


class LazyGroup(click.Group):
    """A group whose commands are imported only when one of them is run (or asked for help)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        command = getattr(importlib.import_module(COMMANDS[cmd_name][0]), cmd_name)
        return command if isinstance(command, click.Command) else None

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, short) for name, (_, short) in COMMANDS.items()])


@click.group(cls=LazyGroup)
def main() -> None:
    """See what happened to your A2E tasks."""
