"""The emulator's tasks: seeded demo tasks, tasks added by tests or by ``start``, and the coins.

Every method takes one lock, so a test thread can change tasks while the server answers.
Changing a task's fields with ``update`` freezes it: it stops moving on by itself.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta

from a2e.core.kinds import KINDS, TaskKind, get_kind
from a2e.sandbox.credits import LedgerEntry, ledger
from a2e.sandbox.history import history_tasks
from a2e.sandbox.live_demo import LiveDemo
from a2e.sandbox.render import Record, render_list_row, render_record
from a2e.sandbox.seeds import SEEDS, seed_id
from a2e.sandbox.tasks import (
    DEFAULT_FAILURE,
    MediaFile,
    Step,
    StoredTask,
    TaskSeed,
    busy_word,
    demo_result,
)

Clock = Callable[[], float]

START_COST = 100
START_TIMELINE = ((0.0, "sent"), (5.0, "pending"), (30.0, "completed"))


class TaskStore:
    """Thread-safe home of every emulated task."""

    def __init__(
        self,
        clock: Clock,
        now: datetime,
        seed: int,
        coins: int,
        history: int = 0,
        *,
        keep_alive: bool = False,
        kinds: Iterable[str] | None = None,
    ) -> None:
        self._lock = threading.Lock()
        self._clock = clock
        self._origin = clock()
        self._anchor = now
        self._random = random.Random(seed)
        self._tasks: dict[str, StoredTask] = {}
        self._seeded: dict[str, list[str]] = {}
        self._coins = coins
        self._started = 0
        used = frozenset(KINDS) if kinds is None else frozenset(kinds)
        for kind_key, seeds in SEEDS.items():
            if kind_key in used:
                self._seed_kind(get_kind(kind_key), seeds)
        for task in history_tasks(history, now, seed):
            if task.kind.key in used:
                self._tasks.setdefault(task.id, task)
        self._live = LiveDemo(now, seed) if keep_alive else None

    def live_ids(self) -> list[str]:
        """The demo's newest live tasks first (empty unless the store keeps the demo alive)."""
        with self._lock:
            self._catch_up()
            return list(reversed(self._live.ids)) if self._live else []

    def _catch_up(self) -> None:
        """Start the live demo tasks that are due (called with the lock held)."""
        if self._live is None:
            return
        for number in self._live.due(self.elapsed()):
            task = self._live.task(number)
            self._tasks.setdefault(task.id, task)
            for gone in self._live.started_task(task, number):
                self._tasks.pop(gone, None)

    def elapsed(self) -> float:
        """Seconds since the store was made, by the injected clock."""
        return self._clock() - self._origin

    def demo_ids(self, kind_key: str) -> list[str]:
        """The seeded ids of one kind, in their fixed order."""
        get_kind(kind_key)
        return list(self._seeded.get(kind_key, []))

    def ledger(self) -> list[LedgerEntry]:
        """The account's credits history as of now: every task's charge and refund."""
        with self._lock:
            self._catch_up()
            return ledger(self._tasks.values(), self.elapsed(), self._anchor)

    def remaining_coins(self) -> int:
        """The account's coin balance."""
        with self._lock:
            return self._coins

    def record(self, kind_key: str, task_id: str, media_base: str) -> Record | None:
        """One task of ``kind_key`` as answered now; ``None`` when there is no such task."""
        with self._lock:
            self._catch_up()
            return self._record(kind_key, task_id, media_base)

    def page(
        self,
        kind_key: str,
        page: int,
        size: int | None,
        media_base: str,
        status: str | None = None,
    ) -> tuple[list[Record], int]:
        """One page (1-based) of ``kind_key``'s tasks as list rows, newest first, and the total.

        ``size`` None: every task. ``status``: only the tasks showing that word now.
        """
        with self._lock:
            self._catch_up()
            elapsed = self.elapsed()
            tasks = self._newest_first(kind_key)
            if status is not None:
                tasks = [t for t in tasks if t.step_at(elapsed).status == status]
            shown = tasks if size is None else tasks[(page - 1) * size : page * size]
            rows = [render_list_row(t, elapsed, media_base, self._anchor) for t in shown]
            return rows, len(tasks)

    def ids_newest_first(self, kind_key: str) -> list[str]:
        """Every task id of ``kind_key``, in the order the list call answers them."""
        with self._lock:
            self._catch_up()
            return [task.id for task in self._newest_first(kind_key)]

    def _newest_first(self, kind_key: str) -> list[StoredTask]:
        tasks = [t for t in self._tasks.values() if t.kind.key == kind_key]
        return sorted(tasks, key=lambda t: t.created_at, reverse=True)

    def delete(self, kind_key: str, task_id: str, media_base: str) -> Record | None:
        """Remove one task and return its last record; ``None`` when there is no such task."""
        with self._lock:
            record = self._record(kind_key, task_id, media_base)
            if record is not None:
                del self._tasks[task_id]
            return record

    def _record(self, kind_key: str, task_id: str, media_base: str) -> Record | None:
        task = self._tasks.get(task_id)
        if task is None or task.kind.key != kind_key:
            return None
        return render_record(task, self.elapsed(), media_base)

    def add(
        self,
        kind_key: str,
        status: str,
        fields: Mapping[str, object],
        advance: Iterable[tuple[float, str]] = (),
    ) -> str:
        """Add a task that shows ``status`` (moving on per ``advance``); returns its id."""
        kind = get_kind(kind_key)
        status, fields = _split_status(kind, fields, status)
        with self._lock:
            elapsed = self.elapsed()
            later = (Step(elapsed + after, word) for after, word in advance)
            task = self._new_task(kind, "Test task", (Step(elapsed, status), *later))
            task.overrides.update(fields)
            self._tasks[task.id] = task
            return task.id

    def update(self, task_id: str, fields: Mapping[str, object]) -> None:
        """Override fields (in the kind's names) of one task and freeze its progression."""
        with self._lock:
            task = self._tasks.get(task_id)
            if task is None:
                raise KeyError(f"no emulated task with id {task_id!r}")
            now = task.step_at(self.elapsed())
            status, fields = _split_status(task.kind, fields, now.status)
            task.timeline = (Step(0.0, status, now.progress),)
            task.overrides.pop(task.kind.status_field, None)
            task.overrides.update(fields)

    def run_long(self, task_id: str, seconds: float) -> None:
        """Make a task one that has been running for ``seconds`` and never finishes."""
        with self._lock:
            task = self._tasks.get(task_id)
            if task is None:
                raise KeyError(f"no emulated task with id {task_id!r}")
            elapsed = self.elapsed()
            task.created_at = self._anchor + timedelta(seconds=elapsed - seconds)
            task.timeline = (Step(0.0, busy_word(task.kind)),)
            task.overrides.pop(task.kind.status_field, None)

    def start_image_to_video(self, fields: Mapping[str, str], media_base: str) -> Record | None:
        """Start an image-to-video task as the real API would; ``None`` when coins run out."""
        kind = get_kind("image2video")
        with self._lock:
            if self._coins < START_COST:
                return None
            self._coins -= START_COST
            self._started += 1
            elapsed = self.elapsed()
            steps = tuple(Step(elapsed + at, word) for at, word in START_TIMELINE)
            task = self._new_task(kind, fields.get("name", ""), steps)
            task.image = fields.get("image_url", "")
            task.prompt = fields.get("prompt", "")
            task.negative_prompt = fields.get("negative_prompt", "")
            task.result = MediaFile(f"result-{(self._started - 1) % 3 + 1}.mp4")
            self._tasks[task.id] = task
            return render_record(task, elapsed, media_base)

    def _new_task(self, kind: TaskKind, name: str, steps: tuple[Step, ...]) -> StoredTask:
        created = self._anchor + timedelta(seconds=self.elapsed())
        image = MediaFile("source-1.png") if kind.image_fields else None
        result = demo_result(kind, 0)
        return StoredTask(
            id=self._fresh_id(),
            kind=kind,
            created_at=created,
            name=name,
            timeline=steps,
            image=image,
            result=result,
        )

    def _fresh_id(self) -> str:
        while True:
            task_id = f"{self._random.getrandbits(96):024x}"
            if task_id not in self._tasks:
                return task_id

    def _seed_kind(self, kind: TaskKind, seeds: tuple[TaskSeed, ...]) -> None:
        ids = []
        for index, seed in enumerate(seeds):
            task = _task_from_seed(kind, seed_id(kind.key, index), seed, self._anchor)
            self._tasks[task.id] = task
            ids.append(task.id)
        self._seeded[kind.key] = ids


def _split_status(
    kind: TaskKind, fields: Mapping[str, object], default: str
) -> tuple[str, dict[str, object]]:
    """The status word among ``fields`` (else ``default``) and the other fields.

    A status that is not a string (``None``, a number) stays among the fields, so the task
    answers it as given while its lifecycle keeps the last real word.
    """
    rest = dict(fields)
    given = rest.get(kind.status_field)
    if isinstance(given, str):
        del rest[kind.status_field]
        return given, rest
    return default, rest


def _task_from_seed(kind: TaskKind, task_id: str, seed: TaskSeed, anchor: datetime) -> StoredTask:
    return StoredTask(
        id=task_id,
        kind=kind,
        created_at=anchor - seed.age,
        name=seed.name,
        timeline=seed.timeline,
        image=MediaFile(seed.image) if seed.image and kind.image_fields else None,
        prompt=seed.prompt,
        negative_prompt=seed.negative_prompt,
        coins=seed.coins,
        result=seed.stored_result(),
        failure=seed.failure if any(seed.failure) else DEFAULT_FAILURE,
        result_field=seed.result_field,
        ran_for=seed.ran_for,
    )
