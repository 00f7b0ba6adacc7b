"""The dashboard's Prometheus metrics, in a registry of their own (never the global one).

Labels only ever hold a bounded set of words (a task kind key, a lookup result, a cache
outcome): never a task id, a name, a server URL or anything derived from a token. The
objects always count (counting is cheap); they are served only where ``A2E_METRICS=1`` turns
the ``/metrics`` route on (``a2e.ui.server_routes``).
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Concatenate, ParamSpec, TypeVar

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from a2e.api.meter import not_sent
from a2e.core.model import Task, TaskOutcome

REGISTRY = CollectorRegistry(auto_describe=True)
# A2E answers in well under a second, but a slow server, retries and timeouts stretch a
# lookup to tens of seconds: the buckets reach minutes so that tail is visible.
LATENCY_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 15, 20, 30, 60, 120, 300)

UPSTREAM_REQUESTS = Counter(
    "a2e_upstream_lookups",
    "Task lookups sent to the A2E server (retries included), by kind and result.",
    ["kind", "result"],
    registry=REGISTRY,
)
UPSTREAM_LATENCY = Histogram(
    "a2e_upstream_lookup_seconds",
    "Time one task lookup took, retries included.",
    ["kind"],
    buckets=LATENCY_BUCKETS,
    registry=REGISTRY,
)
BATCH_CALLS = Counter(
    "a2e_upstream_batches",
    "batchDetail calls sent (retries counted once), by kind and result: ok, unavailable (refused "
    "or unreadable: the kind is asked one id at a time for 10 minutes), or why the call failed.",
    ["kind", "result"],
    registry=REGISTRY,
)
CACHE_LOOKUPS = Counter(
    "a2e_cache_lookups",
    "Task ids asked of the fetch layer: hit (answered from the cache) or miss.",
    ["result"],
    registry=REGISTRY,
)
SINGLE_FLIGHT_WAITS = Counter(
    "a2e_single_flight_waits",
    "Task ids that waited for another viewer's upstream request (this process or a replica).",
    ["scope"],
    registry=REGISTRY,
)
TASKS_SEEN = Counter(
    "a2e_tasks_seen",
    "Tasks the fetch layer answered, by outcome.",
    ["outcome"],
    registry=REGISTRY,
)
ACTIVE_SESSIONS = Gauge(
    "a2e_active_sessions",
    "Browser sessions connected to this process.",
    registry=REGISTRY,
)
REDIS_CONFIGURED = Gauge(
    "a2e_redis_configured",
    "1 when a shared cache (Redis) is configured, else 0.",
    registry=REGISTRY,
)
REDIS_AVAILABLE = Gauge(
    "a2e_redis_available",
    "1 while the shared cache (Redis) answers, 0 while this process uses its own memory.",
    registry=REGISTRY,
)

WEBHOOKS = Counter(
    "a2e_webhooks",
    "Webhooks received at /hooks/a2e, by result: ok, bad_token, bad_body, unknown_id (an id "
    "the server token cannot see), busy (too many ids waiting).",
    ["result"],
    registry=REGISTRY,
)
WEBHOOK_CONFIRM_SECONDS = Histogram(
    "a2e_webhook_confirm_seconds",
    "Time from a webhook's receipt until the state of every id it named was confirmed.",
    buckets=LATENCY_BUCKETS,
    registry=REGISTRY,
)

P = ParamSpec("P")
S = TypeVar("S")


def lookup_result(task: Task) -> str:
    """The ``result`` label of one lookup: ``ok``, or why the lookup failed."""
    if task.outcome is TaskOutcome.LOOKUP_ERROR and task.error_cause is not None:
        return task.error_cause.value
    return "bad_answer" if task.outcome is TaskOutcome.LOOKUP_ERROR else "ok"


def observed_lookup(
    lookup: Callable[Concatenate[S, P], Task],
) -> Callable[Concatenate[S, P], Task]:
    """Count and time each lookup that was sent (an invalid id is never sent, nor one the
    viewer's budget stopped, so neither is counted)."""

    @functools.wraps(lookup)
    def wrapper(self: S, /, *args: P.args, **kwargs: P.kwargs) -> Task:
        started = time.perf_counter()
        task = lookup(self, *args, **kwargs)
        if task.outcome is not TaskOutcome.INVALID_ID and not not_sent(task):
            UPSTREAM_REQUESTS.labels(task.kind, lookup_result(task)).inc()
            UPSTREAM_LATENCY.labels(task.kind).observe(time.perf_counter() - started)
        return task

    return wrapper
