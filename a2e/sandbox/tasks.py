"""One emulated task: its fixed fields and the timeline of status words it moves through.

Time is measured in seconds since the emulator was made (its *elapsed* time), so a fake clock
can move every task forward at once without sleeping.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from a2e.core.kinds import TaskKind

DEFAULT_RUN_TIME = timedelta(minutes=3)

DEFAULT_FAILURE = (
    "generation_failed",
    "Video generation failed on the render worker. Your coins have been refunded.",
)

FACE_NOT_DETECTED = (
    "face_not_detected",
    "No face was detected in the source image. Use a clear, front-facing photo.",
)


@dataclass(frozen=True)
class MediaFile:
    """A file in the emulator's media folder; answered as a URL under the media base URL."""

    name: str


# The demo media of each kind of result (``static/demo``, made by scripts/make_demo_media.py).
RESULT_FILES = {
    "video": ("result-1.mp4", "result-2.mp4", "result-3.mp4"),
    "image": ("image-1.png", "image-2.png", "image-3.png", "image-4.png"),
    "audio": ("audio-1.wav",),
}


def busy_word(kind: TaskKind) -> str:
    """A running word of the kind for a task that stays running (``pending`` where it has it)."""
    return "pending" if "pending" in kind.running_words else kind.running_words[-1]


def demo_result(kind: TaskKind, pick: int) -> MediaFile | tuple[MediaFile, ...]:
    """The ``pick``-th demo result of a kind: one file, or for image kinds one to three images."""
    files = RESULT_FILES[kind.result_media]
    if kind.result_media != "image":
        return MediaFile(files[pick % len(files)])
    count = 1 + pick % 3
    return tuple(MediaFile(files[(pick + n) % len(files)]) for n in range(count))


@dataclass(frozen=True)
class Step:
    """From ``at`` seconds of elapsed time on, the task shows ``status`` (and ``progress``)."""

    at: float
    status: str
    progress: int | None = None


@dataclass
class StoredTask:
    """A task as the emulator keeps it; ``overrides`` (in the kind's field names) win last."""

    id: str
    kind: TaskKind
    created_at: datetime
    name: object
    timeline: tuple[Step, ...]
    image: object = None
    prompt: object = ""
    negative_prompt: object = ""
    coins: object = 100
    result: object = None
    failure: tuple[str, str] = DEFAULT_FAILURE
    overrides: dict[str, object] = field(default_factory=dict)
    ran_for: timedelta = DEFAULT_RUN_TIME
    result_field: str | None = None

    @property
    def answered_result_field(self) -> str:
        """The field its records give the result in (the kind's, unless the task says other)."""
        return self.result_field or self.kind.result_field

    def last_change(self, elapsed: float, anchor: datetime) -> datetime:
        """When the task last changed, as of ``elapsed`` (``anchor`` is elapsed time 0).

        A task final since before the emulator started finished ``ran_for`` after it was made.
        """
        step = self.step_at(elapsed)
        if step.at <= 0 and self.is_final_word(step.status):
            return min(self.created_at + self.ran_for, anchor)
        return max(self.created_at, anchor + timedelta(seconds=step.at))

    def is_final_word(self, word: str) -> bool:
        """True for the kind's success and failure words."""
        return word in self.kind.success_words or word in self.kind.failure_words

    def step_at(self, elapsed: float) -> Step:
        """The step showing at ``elapsed`` seconds (the first step before the timeline starts)."""
        shown = self.timeline[0]
        for step in self.timeline:
            if step.at <= elapsed:
                shown = step
        return shown

    def succeeded_at(self, elapsed: float) -> bool:
        """True when the task shows a success word at ``elapsed``."""
        return self.step_at(elapsed).status in self.kind.success_words

    def failed_at(self, elapsed: float) -> bool:
        """True when the task shows a failure word at ``elapsed``."""
        return self.step_at(elapsed).status in self.kind.failure_words


@dataclass(frozen=True)
class TaskSeed:
    """One demo task, before it gets an id and a creation time.

    ``more_results`` are further result files (an image kind's several images): the task then
    answers a list of links, under ``result_field`` when given (else its kind's field).
    """

    name: str
    age: timedelta
    timeline: tuple[Step, ...]
    coins: int = 100
    prompt: str = ""
    negative_prompt: str = ""
    image: str | None = "source-1.png"
    result: str = "result-1.mp4"
    failure: tuple[str, str] = ("", "")
    more_results: tuple[str, ...] = ()
    result_field: str | None = None
    # How long a task final from the start ran (its finish time is creation plus this).
    ran_for: timedelta = DEFAULT_RUN_TIME

    def stored_result(self) -> MediaFile | tuple[MediaFile, ...]:
        """The result as stored: one file, or a tuple of them when there are several."""
        if not self.more_results:
            return MediaFile(self.result)
        return tuple(MediaFile(name) for name in (self.result, *self.more_results))


def timeline(*pairs: tuple[float, str]) -> tuple[Step, ...]:
    """Steps from ``(seconds, status word)`` pairs."""
    return tuple(Step(at, word) for at, word in pairs)


def finished(word: str = "completed") -> tuple[Step, ...]:
    """A timeline that shows one final word from the start."""
    return (Step(0.0, word),)


def ago(days: int = 0, hours: int = 0, minutes: int = 0, seconds: int = 0) -> timedelta:
    """How long before the emulator was made a seeded task was created."""
    return timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)
