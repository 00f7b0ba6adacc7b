"""The demo account's past: many finished tasks over the last 30 days, for the list calls.

Generated from a seed, so one seed always gives the same mix: mostly completed, some failed
with realistic codes and coins, a few still running when they were made moments ago. Their
ids are ObjectIds whose first 8 hex digits are their creation time, as MongoDB's are. The
seeded demo tasks (``seeds.py``) are not touched: history only adds tasks.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import TypeVar

from a2e.core.kinds import KINDS, TaskKind
from a2e.sandbox.seeds import CONTENT_MODERATION, GENERATION_TIMEOUT
from a2e.sandbox.tasks import (
    DEFAULT_FAILURE,
    FACE_NOT_DETECTED,
    MediaFile,
    Step,
    StoredTask,
    busy_word,
    demo_result,
)

T = TypeVar("T")

HISTORY_DAYS = 30
DEMO_HISTORY = 130
OTHER_KIND_SHARE = 6  # every other demo kind gets this fraction of image to video's count
# The dozen kinds the demo account uses (the other kinds have only their seeded demo tasks).
DEMO_KINDS = (
    "image2video",
    "talking_photo",
    "talking_video",
    "dubbing",
    "caption_removal",
    "face_swap",
    "avatar_video",
    "veo",
    "sora",
    "nano_banana",
    "flux2",
    "voice_clone",
)

_FAILURES = (
    (GENERATION_TIMEOUT, 5),
    (FACE_NOT_DETECTED, 4),
    (CONTENT_MODERATION, 3),
    (DEFAULT_FAILURE, 2),
    (
        (
            "image_too_small",
            "The source image is smaller than 256×256 pixels. Upload a larger image.",
        ),
        1,
    ),
)
_COINS = ((100, 14), (50, 4), (150, 2))
_NAMES = (
    "Product teaser",
    "Portrait – smile and blink",
    "Mountain lake loop",
    "Founder intro",
    "Sneaker drop",
    "Cat on the windowsill",
    "Team photo – wave",
    "Coffee pour close-up",
    "City skyline timelapse",
    "Birthday card animation",
)
_PROMPTS = (
    "Slow pan across the scene, gentle movement, static camera",
    "The person looks at the camera, blinks and smiles warmly",
    "Clouds drift, water ripples, soft light",
)


def history_tasks(count: int, anchor: datetime, seed: int) -> list[StoredTask]:
    """``count`` image-to-video tasks, and a share for each other of the ``DEMO_KINDS``."""
    rng = random.Random(f"a2e-sandbox/history/{seed}")
    tasks: list[StoredTask] = []
    for key in DEMO_KINDS:
        share = count if key == "image2video" else count // OTHER_KIND_SHARE
        tasks += [_past_task(KINDS[key], index, anchor, rng) for index in range(share)]
    return tasks


def _past_task(kind: TaskKind, index: int, anchor: datetime, rng: random.Random) -> StoredTask:
    created = anchor - timedelta(seconds=HISTORY_DAYS * 86_400 * rng.random() ** 1.4)
    failure = _pick(rng, _FAILURES) if rng.random() < 0.14 else None
    ran_for = _run_time(rng, failure)
    age = anchor - created
    return StoredTask(
        id=f"{int(created.timestamp()):08x}{rng.getrandbits(64):016x}",
        kind=kind,
        created_at=created,
        name=_name(kind, index),
        timeline=_timeline(kind, failure is not None, (ran_for - age).total_seconds()),
        image=MediaFile(f"source-{rng.randint(1, 4)}.png") if kind.image_fields else None,
        prompt=rng.choice(_PROMPTS),
        negative_prompt="blurry, low quality, watermark",
        coins=0 if failure == CONTENT_MODERATION else _pick(rng, _COINS),
        result=demo_result(kind, rng.randint(0, 11)),
        failure=failure or DEFAULT_FAILURE,
        ran_for=ran_for,
    )


def _name(kind: TaskKind, index: int) -> str:
    if kind.key == "image2video":
        return f"{_NAMES[index % len(_NAMES)]} #{index + 1}"
    return f"{kind.label.split(' (')[0]} – take {index + 1}"


def _timeline(kind: TaskKind, fails: bool, seconds_left: float) -> tuple[Step, ...]:
    """Final from the start, or still running for ``seconds_left`` more seconds."""
    word = _word(kind, fails)
    if seconds_left <= 0:
        return (Step(0.0, word),)
    return (Step(0.0, busy_word(kind)), Step(seconds_left, word))


def _word(kind: TaskKind, fails: bool) -> str:
    if fails:
        return "failed" if "failed" in kind.failure_words else sorted(kind.failure_words)[0]
    return sorted(kind.success_words)[0]


def _run_time(rng: random.Random, failure: tuple[str, str] | None) -> timedelta:
    if failure == GENERATION_TIMEOUT:
        return timedelta(minutes=10, seconds=rng.randint(0, 20))
    if failure == CONTENT_MODERATION:
        return timedelta(seconds=rng.randint(2, 10))
    return timedelta(seconds=min(900, max(40, rng.lognormvariate(5.0, 0.5))))


def _pick(rng: random.Random, weighted: tuple[tuple[T, int], ...]) -> T:
    return rng.choices([value for value, _ in weighted], [weight for _, weight in weighted])[0]
