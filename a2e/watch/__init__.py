"""The watcher: ``python -m a2e watch``, a loop beside the dashboard that announces finishes.

    db         the SQLite state (WAL): schema, the one-writer lock, settings kept between runs
    seen       every task seen, with the times it showed each status (the history's source)
    ledger     announcements per target (pending, delivered, given up) and their schedule
    pokes      "ask these ids now": written by the dashboard's webhook route, read every second
    redis_pokes  the same through Redis pub/sub, for a dashboard sharing only Redis
    messages   the words of an announcement: one task, a digest, the watcher's own trouble
    rounds     one poll: list calls per kind, lookups of the running tasks not listed
    trouble    the watcher's own trouble (announced once, backed off, recovered) and the
               followed kinds the server cannot list
    couriers   one thread per target delivering what is due, attempts persisted
    loop       the watcher itself, tying them together
    history    what the dashboard reads: tasks for the Overview, the Watch page's summary

Nothing is lost and nothing is said twice: a transition is written together with its
announcements (one per target) in one SQLite transaction, each announcement keeps one
``message_id`` for every attempt, and a delivery is marked done only after the target
accepted it. Imports ``a2e.notify`` and the layers below ``a2e.ui``; never Streamlit.
"""
