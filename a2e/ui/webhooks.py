"""The webhook's confirmations wired to the process's shared cache, client and notices.

One ``Confirmer`` per process, built when ``app.py`` builds its routes. It confirms on the
server's token (``A2E_API_TOKEN``) at the server it was configured for (``A2E_BASE_URL``, else
Global), through the same cache and client the viewers' lookups use, so a confirmed answer is
the one their next refresh would get; each round leaves an audit line (user ``webhook``) and
pokes the watcher, if one listens (``a2e.ui.watcher_pokes``).
"""

from __future__ import annotations

import logging

from a2e.access.audit import AuditEvent, AuditKind
from a2e.api.client import A2EClient
from a2e.api.meter import Meter
from a2e.api.servers import GLOBAL_SERVER, normalise_base_url
from a2e.cache.fetch import TaskCache
from a2e.core.model import Task, TaskOutcome
from a2e.hooks.ask import confirm_ids
from a2e.hooks.confirm import Confirmer
from a2e.ui.budget_notes import shared_audit_trail, task_outcomes
from a2e.ui.cached import shared_client, shared_notices, shared_task_cache
from a2e.ui.connection_model import TokenSource
from a2e.ui.settings import AUDIT_LOG_SETTING, BASE_URL_SETTING, TOKEN_SETTING, server_setting
from a2e.ui.watcher_pokes import poke_configured_watcher, pokes_for

NO_SERVER_TOKEN = (
    "A2E_WEBHOOK_TOKEN is set but A2E_API_TOKEN is not: webhooks are accepted, but their "
    "tasks cannot be confirmed (nothing is asked) until a server token is configured"
)
PUSHED = (TaskOutcome.COMPLETED, TaskOutcome.FAILED, TaskOutcome.IN_PROGRESS)

logger = logging.getLogger("a2e.hooks")


def webhook_confirmer() -> Confirmer:
    """The process's confirmer (its worker starts with the first webhook)."""
    if not server_setting(TOKEN_SETTING):
        logger.warning(NO_SERVER_TOKEN)
    return Confirmer(confirm, announce)


def server_side() -> tuple[TaskCache, A2EClient, str | None]:
    """The shared cache, the client of the server token's server, and the server token."""
    base_url = normalise_base_url(server_setting(BASE_URL_SETTING) or GLOBAL_SERVER)
    return shared_task_cache(), shared_client(base_url), server_setting(TOKEN_SETTING)


def confirm(task_ids: list[str]) -> list[Task]:
    """Ask about the ids on the server's token, through the shared cache; audited; the
    watcher poked with what was confirmed."""
    cache, client, token = server_side()
    if not token:
        poke_configured_watcher({None: task_ids})
        return []
    meter = Meter()
    tasks = confirm_ids(cache, client, token, task_ids, meter=meter)
    trail = shared_audit_trail(server_setting(AUDIT_LOG_SETTING))
    trail.record(
        AuditEvent(
            user="webhook",
            server=client.base_url,
            kind=AuditKind.WEBHOOK,
            ids=len(task_ids),
            token_source=TokenSource.SERVER.value,
            outcomes=task_outcomes(tasks),
            calls=meter.calls,
        )
    )
    poke_configured_watcher(pokes_for(tasks))
    return tasks


def announce(tasks: list[Task]) -> None:
    """Tell every viewer (on every replica) which cached answers were just confirmed."""
    cache, client, token = server_side()
    if not token:
        return
    scope = (client.origin, cache.fingerprint(token))
    keys = [(*scope, task.kind, task.id) for task in tasks if task.outcome in PUSHED]
    shared_notices().announce(keys)
