"""The demo that stays alive: new tasks keep starting, so a visitor an hour on still sees some run.

Every ``START_EVERY_SECONDS`` of emulator time one image-to-video task starts, named and
pictured like the demo's, and runs sent → pending → completed (one in five: failed) over 40
to 120 s. Nothing runs in the background: the store catches up whenever it is read, starting
the tasks that are due (only the last ``CATCH_UP`` of them after a long quiet spell), so a
fake clock moves it too. Past ``MAX_LIVE_TASKS`` the oldest go: memory stays bounded, and
the live tasks never push the seeded examples (every failure kind, long names) off the first
page of the account's list, however long the demo runs.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from a2e.core.kinds import get_kind
from a2e.sandbox.seeds import CONTENT_MODERATION
from a2e.sandbox.tasks import DEFAULT_FAILURE, FACE_NOT_DETECTED, MediaFile, Step, StoredTask

START_EVERY_SECONDS = 45.0
MAX_LIVE_TASKS = 12
CATCH_UP = 6
_RUN_SECONDS = (40, 120)
_FAILURES = (FACE_NOT_DETECTED, CONTENT_MODERATION, DEFAULT_FAILURE)
_SUBJECTS = (
    ("Portrait – live demo", "source-1.png", "result-1.mp4"),
    ("Sneaker spin – live demo", "source-2.png", "result-2.mp4"),
    ("Lake at dusk – live demo", "source-3.png", "result-3.mp4"),
    ("Cat on the sill – live demo", "source-4.png", "result-1.mp4"),
)


@dataclass
class LiveDemo:
    """Which live tasks exist, newest last, and how many have started so far."""

    anchor: datetime
    seed: int
    started: int = 0
    ids: list[str] = field(default_factory=list)

    def due(self, elapsed: float) -> range:
        """The numbers of the starts due by ``elapsed`` that have not happened yet."""
        due = int(elapsed // START_EVERY_SECONDS) + 1
        return range(max(self.started, due - CATCH_UP), due)

    def task(self, number: int) -> StoredTask:
        """Start number ``number``: a task created at its start time, on its own timeline."""
        rng = random.Random(f"a2e-sandbox/live/{self.seed}/{number}")
        at = number * START_EVERY_SECONDS
        run = rng.uniform(*_RUN_SECONDS)
        name, image, result = _SUBJECTS[number % len(_SUBJECTS)]
        ending = "failed" if rng.random() < 0.2 else "completed"
        timeline = (Step(at, "sent"), Step(at + run * 0.2, "pending"), Step(at + run, ending))
        return StoredTask(
            id=f"{rng.getrandbits(96):024x}",
            kind=get_kind("image2video"),
            created_at=self.anchor + timedelta(seconds=at),
            name=f"{name} #{number + 1}",
            timeline=timeline,
            image=MediaFile(image),
            prompt="Gentle movement, static camera",
            result=MediaFile(result),
            failure=rng.choice(_FAILURES),
        )

    def started_task(self, task: StoredTask, number: int) -> list[str]:
        """Note a start; the ids of live tasks that no longer fit and must go."""
        self.started = number + 1
        self.ids.append(task.id)
        overflow = max(0, len(self.ids) - MAX_LIVE_TASKS)
        gone, self.ids = self.ids[:overflow], self.ids[overflow:]
        return gone
