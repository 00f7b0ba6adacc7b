"""The watcher: polls on an interval, answers pokes every second, hands announcements to couriers.

A poll (``poll``) reads the followed kinds' lists and looks up what they left out
(``a2e.watch.rounds``), then, in ONE transaction, records every task seen, queues one
announcement per finish per target (or one digest per target when more than
``DIGEST_ABOVE`` finishes fall in one ``--digest`` window) and notes the watcher's own
trouble. Couriers deliver from the state, so a kill at any moment loses nothing: what was
committed is delivered after a restart, what was not is seen again by the next poll.

Trouble (A2E unreachable, or the token rejected) and kinds the server cannot list are kept in
the state by ``a2e.watch.trouble``: announced once, the interval backed off while it lasts
(``PollReport.next_in``), the recovery announced.
"""

from __future__ import annotations

import logging
import secrets
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from standardwebhooks.webhooks import Webhook

from a2e.api.client import A2EClient
from a2e.cache.fetch import TaskCache
from a2e.core.kinds import KINDS
from a2e.core.model import Task, TaskOutcome
from a2e.notify.schedule import DEFAULT_RETRY_DELAYS
from a2e.notify.targets import Target
from a2e.views.auto_kind import AUTO_KIND
from a2e.watch import ledger, seen
from a2e.watch.couriers import Courier, Sender
from a2e.watch.db import WriterLock, get_meta, open_state, set_meta, transaction
from a2e.watch.messages import Draft, digest_draft, task_draft, test_draft
from a2e.watch.pokes import requests_waiting, take_pokes, take_requests
from a2e.watch.rounds import KindRead, look_up, read_kinds, to_look_up, trouble_of
from a2e.watch.trouble import next_wait, note_trouble, note_unlisted

if TYPE_CHECKING:
    from a2e.watch.redis_pokes import PokeListener

LOG = logging.getLogger("a2e.watch")
DIGEST_ABOVE = 5
POKE_EVERY_SECONDS = 1.0
CACHE_BYTES = 32 * 1024 * 1024


class StateMismatch(RuntimeError):
    """The state was made by a watcher of another server."""


@dataclass(frozen=True)
class WatchSettings:
    """What to watch and how: followed kinds (each with a list call), or ids and the kinds they
    may be (every kind when none is given); the rhythm; the filters."""

    kinds: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()
    id_kinds: tuple[str, ...] = ()
    interval: float = 30.0
    only_failed: bool = False
    digest: float = 60.0
    until_done: bool = False
    retry_delays: tuple[float, ...] = DEFAULT_RETRY_DELAYS
    dashboard_url: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        unknown = [k for k in self.id_kinds if k not in KINDS]
        unlisted = [k for k in self.kinds if k not in KINDS or not KINDS[k].can_list]
        if unknown:
            raise ValueError(f"not kinds: {', '.join(unknown)}")
        if unlisted:
            raise ValueError(f"no list call is known for {', '.join(unlisted)}: name their ids")

    @property
    def search(self) -> tuple[str, ...] | None:
        """The kinds an id of unknown kind is asked as (None: every kind)."""
        return self.kinds or self.id_kinds or None

    @property
    def id_kind(self) -> str:
        """The kind named ids are noted as: the one kind they may be, else ``auto``."""
        return self.id_kinds[0] if len(self.id_kinds) == 1 else AUTO_KIND


@dataclass(frozen=True)
class _Asked:
    """What one poll's calls brought back."""

    baseline: set[str]
    reads: list[KindRead]
    listed: dict[str, Task]
    looked: list[Task]


@dataclass(frozen=True)
class PollReport:
    """What one poll cost and found."""

    list_calls: int
    looked_up: int
    finishes: int
    trouble: str | None
    next_in: float


class Watcher:
    """One watcher on one state; ``start`` takes the state's lock (or raises ``StateLocked``)."""

    def __init__(
        self,
        state_path: str | Path,
        settings: WatchSettings,
        client: A2EClient,
        token: str,
        targets: Sequence[Target],
        *,
        signer: Webhook | None = None,
        clock: Callable[[], float] = time.time,
        sender: Sender | None = None,
        redis_url: str | None = None,
    ) -> None:
        self.path, self.settings, self._client, self._token = state_path, settings, client, token
        self._targets, self._signer, self._clock, self._sender = targets, signer, clock, sender
        self._cache = TaskCache(max_bytes=CACHE_BYTES)
        self._lock = WriterLock(state_path)
        self._db: sqlite3.Connection | None = None
        self._couriers: list[Courier] = []
        self._reading = threading.Lock()
        self._redis_url = redis_url
        self._listener: PokeListener | None = None
        self.target_ids: list[str] = []

    @property
    def db(self) -> sqlite3.Connection:
        """The watcher's own connection to its state."""
        if self._db is None:
            raise RuntimeError("the watcher is not started")
        return self._db

    def start(self) -> Watcher:
        """Lock the state, note what is watched and where it goes, start the couriers."""
        self._lock.acquire()
        try:
            self._db = open_state(self.path)
            with transaction(self.db):
                self._claim_server()
                self.target_ids = self._register_targets()
                seen.watch_ids(self.db, self.settings.ids, self.settings.id_kind, self._clock())
                set_meta(self.db, "watching", self._description())
        except BaseException:
            self.stop()
            raise
        for target, target_id in zip(self._targets, self.target_ids, strict=True):
            courier = Courier(
                self.path,
                target,
                target_id,
                signer=self._signer,
                delays=self.settings.retry_delays,
                clock=self._clock,
                **({"sender": self._sender} if self._sender else {}),
            )
            courier.start()
            self._couriers.append(courier)
        if self._redis_url:
            from a2e.watch.redis_pokes import PokeListener  # only with Redis: keeps it unimported

            self._listener = PokeListener(self.path, self._redis_url)
            self._listener.start()
        return self

    def stop(self) -> None:
        """Stop the couriers (an attempt under way finishes) and let go of the state."""
        if self._listener is not None:
            self._listener.stopping.set()
        for courier in self._couriers:
            courier.stopping.set()
            courier.wake.set()
        for courier in self._couriers:
            courier.join(timeout=15)
        self._couriers = []
        if self._db is not None:
            self._db.close()
            self._db = None
        self._lock.release()

    def run(self, stopping: threading.Event) -> int:
        """Poll and answer pokes until ``stopping`` is set (or, with ``--until-done``, done)."""
        next_poll = self._clock()
        while not stopping.is_set():
            if self._clock() >= next_poll:
                next_poll = self._clock() + self.poll().next_in
            self.answer_pokes()
            if self.settings.until_done and self.done():
                return 1 if self._given_up() else 0
            stopping.wait(max(0.0, min(POKE_EVERY_SECONDS, next_poll - self._clock())))
        return 0

    def poll(self) -> PollReport:
        """One poll: lists, lookups, then what they taught, recorded and queued at once."""
        asked = self._ask()
        now, trouble = self._clock(), trouble_of(asked.reads, asked.looked)
        calls, looked = sum(read.calls for read in asked.reads), len(asked.looked)
        with transaction(self.db):
            finishes = self._observe(asked, now)
            self._announce(finishes, now)
            self._queue(note_trouble(self.db, trouble, now), now)
            note_unlisted(self.db, asked.reads)
            wait = next_wait(self.db, self.settings.interval)
            last = {"at": now, "list_calls": calls, "looked_up": looked, "next_at": now + wait}
            set_meta(self.db, "last_poll", last)
        self._wake()
        return PollReport(calls, looked, len(finishes), trouble, wait)

    def _ask(self) -> _Asked:
        """This poll's calls: the followed kinds' lists, then lookups of what they left out."""
        baseline = set(self.settings.kinds) - self._baseline_done()
        reads = read_kinds(self._client, self._token, self.settings.kinds, baseline, self._known)
        listed = {t.id: t for r in reads if r.kind not in baseline for t in r.tasks}
        # A task of a kind this run does not follow (a state reused with other options) waits.
        open_tasks = seen.open_tasks(self.db, self.settings.kinds)
        unsettled = {i for i, _ in open_tasks} | (set(listed) - self._known(listed))
        wanted = to_look_up(listed, open_tasks, unsettled)
        looked = look_up(self._cache, self._client, self._token, wanted, self.settings.search)
        return _Asked(baseline, reads, listed, looked)

    def _observe(self, asked: _Asked, now: float) -> list[Task]:
        """Record what the poll saw (a lookup's answer wins over a list row); the finishes."""
        answers = {t.id: t for t in asked.looked if t.outcome is not TaskOutcome.LOOKUP_ERROR}
        finishes: list[Task] = []
        for read in asked.reads:
            tasks = [answers.get(task.id, task) for task in read.tasks]
            rules = self._rules(read.kind in asked.baseline)
            finishes += seen.observe(self.db, tasks, now, rules)
        others = [task for task in asked.looked if task.id not in asked.listed]
        finishes += seen.observe(self.db, others, now, self._rules(False))
        done = {read.kind for read in asked.reads if read.error is None}
        set_meta(self.db, "baseline", sorted(self._baseline_done() | done))
        return finishes

    def _known(self, ids: Iterable[str]) -> set[str]:
        # Called from the list threads too: one statement on the connection at a time.
        with self._reading:
            return seen.known_ids(self.db, ids)

    def _baseline_done(self) -> set[str]:
        return set(get_meta(self.db, "baseline") or [])

    def answer_pokes(self) -> int:
        """Look up the poked ids now (and send any test message asked for); how many."""
        now = self._clock()
        if requests_waiting(self.db):
            with transaction(self.db):  # taken and queued at once: a kill loses no test message
                self._queue([test_draft(str(seq), now) for seq in take_requests(self.db, now)], now)
            self._wake()
        poked = take_pokes(self.db)
        if not poked:
            return 0
        wanted = self._poke_kinds(poked)
        looked = look_up(self._cache, self._client, self._token, wanted, self.settings.search)
        relevant = [task for task in looked if self._follows(task)]
        with transaction(self.db):
            self._announce(seen.observe(self.db, relevant, self._clock(), self._rules(False)), now)
        self._wake()
        return len(poked)

    def done(self) -> bool:
        """True when every named id is settled and nothing is left to deliver."""
        return seen.watched_left(self.db) == 0 and self._pending() == 0

    def _rules(self, baseline: bool) -> seen.Rules:
        return seen.Rules(baseline=baseline, only_failed=self.settings.only_failed)

    def _poke_kinds(self, poked: Iterable[tuple[str, str | None]]) -> dict[str, list[str]]:
        """Poked ids by the kind to ask them as: the one known, else the poke's, else any."""
        stored = dict(seen.open_tasks(self.db))
        wanted: dict[str, list[str]] = {}
        for task_id, kind in poked:
            chosen = stored.get(task_id) or kind
            wanted.setdefault(chosen if chosen in KINDS else AUTO_KIND, []).append(task_id)
        return wanted

    def _follows(self, task: Task) -> bool:
        """A poked task matters when it is named, or of a followed kind past its baseline."""
        row = self.db.execute("SELECT watched FROM tasks WHERE id = ?", (task.id,)).fetchone()
        if row is not None and row["watched"]:
            return True
        return task.kind in self.settings.kinds and task.kind in self._baseline_done()

    def _announce(self, finishes: Sequence[Task], now: float) -> None:
        if not finishes:
            return
        url = self.settings.dashboard_url
        if len(finishes) > 1 and self._digest_due(len(finishes), now):
            self._queue([digest_draft(uuid.uuid4().hex, finishes, url)], now)
        else:
            self._queue([task_draft(task, url) for task in finishes], now)

    def _digest_due(self, count: int, now: float) -> bool:
        if self.settings.digest <= 0:
            return False
        recent = self.db.execute(
            "SELECT COUNT(DISTINCT subject) FROM announcements "
            "WHERE subject LIKE 'task:%' AND created_at >= ?",
            (now - self.settings.digest,),
        ).fetchone()[0]
        return int(recent) + count > DIGEST_ABOVE

    def _queue(self, drafts: Iterable[Draft], now: float) -> None:
        for draft in drafts:
            ledger.queue(self.db, draft, self.target_ids, now)

    def _wake(self) -> None:
        for courier in self._couriers:
            courier.wake.set()

    def _pending(self) -> int:
        return self._count(ledger.PENDING)

    def _given_up(self) -> int:
        return self._count(ledger.GIVEN_UP)

    def _count(self, state: str) -> int:
        """This run's targets' announcements in ``state``."""
        marks = ", ".join("?" for _ in self.target_ids)
        sql = f"SELECT COUNT(*) FROM announcements WHERE state = ? AND target_id IN ({marks})"  # noqa: S608
        return int(self.db.execute(sql, (state, *self.target_ids)).fetchone()[0])

    def _claim_server(self) -> None:
        server = get_meta(self.db, "server")
        if server is not None and server != self._client.base_url:
            raise StateMismatch(
                f"this state belongs to a watcher of {server}: give another --state file"
            )
        set_meta(self.db, "server", self._client.base_url)

    def _register_targets(self) -> list[str]:
        salt = get_meta(self.db, "target_key") or secrets.token_hex(16)
        set_meta(self.db, "target_key", salt)
        ids = [target.target_id(bytes.fromhex(salt)) for target in self._targets]
        self.db.execute("UPDATE targets SET active = 0")
        for target, target_id in zip(self._targets, ids, strict=True):
            self.db.execute(
                "INSERT INTO targets (id, label, kind, active) VALUES (?, ?, ?, 1) "
                "ON CONFLICT (id) DO UPDATE SET label = excluded.label, active = 1",
                (target_id, target.label, target.kind),
            )
        return ids

    def _description(self) -> dict[str, object]:
        described = asdict(self.settings)
        described.pop("dashboard_url", None)
        described["ids"] = len(self.settings.ids)
        return described | {"started_at": self._clock(), "server": self._client.base_url}
