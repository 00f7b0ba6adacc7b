"""``python -m a2e kinds``: every task kind the dashboard knows, by family, with its calls.

No token and no request: the registry (``a2e.core.kinds``) printed as a table, or ``--json``
lines (one object per kind). The names it shows are the ones ``--kind`` takes: a kind's key, a
family's key, ``all`` and (for ``status``) ``auto``.
"""

from __future__ import annotations

import json

import click

from a2e.core.kinds import ASSUMED_BATCH_MAX, FAMILIES, KINDS, TaskKind, kinds_in_family


@click.command()
@click.option("--json", "as_json", is_flag=True, help="JSON Lines, one object per kind.")
def kinds(as_json: bool) -> None:
    """List the task kinds, by family, with their detail, list and batchDetail calls."""
    if as_json:
        click.echo(
            "".join(json.dumps(kind_record(kind)) + "\n" for kind in KINDS.values()), nl=False
        )
        return
    for family, label in FAMILIES.items():
        click.echo(f"{label} (--kind {family})")
        for key in kinds_in_family(family):
            kind = KINDS[key]
            click.echo(f"  {key:<16}{kind.label}")
            for name, call in _calls(kind):
                click.echo(f"  {'':<16}  {name:<7}{call}")
        click.echo("")
    click.echo("Also: --kind all (every kind); for status, --kind auto (the default).")


def kind_record(kind: TaskKind) -> dict[str, object]:
    """One kind as plain JSON: its key, names and calls."""
    return {
        "key": kind.key,
        "label": kind.label,
        "family": kind.family,
        "detail": [
            f"{call.method} {_target(call.path, call.query_id)}" for call in kind.detail_calls
        ],
        "detail_stated": kind.detail_stated,
        "list": kind.list_path,
        "list_paging": list(_paging(kind)),
        "list_status_filter": bool(kind.listing and kind.listing.status_param),
        "batch": kind.batch_path,
        "batch_max": kind.batch_max,
        "results": kind.result_media,
    }


def _calls(kind: TaskKind) -> list[tuple[str, str]]:
    assumed = "" if kind.detail_stated else "  (assumed: not stated)"
    calls = [
        ("detail", f"{call.method} {_target(call.path, call.query_id)}{assumed}")
        for call in kind.detail_calls
    ]
    if kind.listing is not None:
        paging = ", ".join(_paging(kind)) or "no paging"
        status = ", status filter" if kind.listing.status_param else ""
        calls.append(("list", f"GET {kind.listing.path}  ({paging}{status})"))
    batch = "not stated"
    if kind.batch_path:
        most = "no maximum stated: " if kind.batch_max == ASSUMED_BATCH_MAX else ""
        batch = f"POST {kind.batch_path}  ({most}up to {kind.batch_max} ids)"
    return [*calls, ("batch", batch)]


def _target(path: str, query_id: str | None) -> str:
    return f"{path}?{query_id}={{id}}" if query_id else path


def _paging(kind: TaskKind) -> list[str]:
    listing = kind.listing
    if listing is None or not listing.paged:
        return []
    found = [f"{listing.page_param}/{listing.size_param}"]
    if listing.default_size:
        found.append(f"default {listing.default_size}")
    if listing.max_size:
        found.append(f"at most {listing.max_size}")
    return found
