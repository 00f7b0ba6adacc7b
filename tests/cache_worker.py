"""One replica's fetch layer in its own process, for the shared-cache tests and the benchmark.

    python -m tests.cache_worker '{"cache_url": ..., "secret": ..., "base_url": ..., ...}'

Builds the cache from settings as the dashboard does, waits until ``start_at`` (epoch seconds)
so that every replica asks at the same moment, fetches the ids from ``viewers`` threads (or, with
``viewer_ids``, one thread per list of ids), and prints one JSON line: each viewer's statuses and
this process's upstream lookup count.
"""

from __future__ import annotations

import json
import sys
import threading
import time

from a2e.api.client import A2EClient
from a2e.cache.stores import cache_from_settings


def main() -> None:
    job = json.loads(sys.argv[1])
    env = {"A2E_CACHE_URL": job["cache_url"], "A2E_CACHE_SECRET": job["secret"]}
    cache = cache_from_settings({k: v for k, v in env.items() if v})
    statuses: list[list[str | None]] = []
    with A2EClient(job["base_url"]) as client:

        def viewer(ids: list[str]) -> None:
            tasks = cache.fetch(client, job["token"], "image2video", ids, max_age=30)
            statuses.append([task.status for task in tasks])

        asked = job.get("viewer_ids") or [job["ids"]] * job["viewers"]
        viewers = [threading.Thread(target=viewer, args=(ids,)) for ids in asked]
        time.sleep(max(0.0, job["start_at"] - time.time()))
        for thread in viewers:
            thread.start()
        for thread in viewers:
            thread.join()
    print(json.dumps({"statuses": statuses, "upstream": cache.upstream_lookups}))


if __name__ == "__main__":
    main()
