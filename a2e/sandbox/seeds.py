"""The demo tasks every emulator starts with: a few per kind, in every state.

Running tasks move on by themselves, measured from the moment the emulator was made; the
times are chosen so a person watching the dashboard sees a task finish within a minute or two.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from a2e.sandbox import other_kind_seeds
from a2e.sandbox.catalogue_seeds import CATALOGUE_SEEDS
from a2e.sandbox.tasks import (
    DEFAULT_FAILURE,
    FACE_NOT_DETECTED,
    TaskSeed,
    ago,
    finished,
    timeline,
)

_ID_EPOCH = 0x67D29023  # 2025-03-13, the docs' example task; gives real-looking ObjectIds


CONTENT_MODERATION = (
    "content_moderation",
    "The image or prompt was flagged by content moderation. No coins were charged.",
)
# Said only of a task that ran at least 10 minutes (seeds, history and live tasks alike).
GENERATION_TIMEOUT = (
    "generation_timeout",
    "The render did not finish within 10 minutes and was stopped. Your coins have been refunded.",
)
TIMED_OUT_AFTER = timedelta(minutes=10, seconds=4)
_NEGATIVE = "blurry, low quality, distorted hands, extra fingers, watermark, text, moving camera"
_SPEAKING = "The person speaks naturally, looking at the camera, natural blinking, still background"

_IMAGE_TO_VIDEO = (
    TaskSeed(
        "Product teaser – sneaker",
        ago(days=2, hours=3, minutes=12),
        finished(),
        prompt="The red sneaker bounces twice on a studio floor, soft shadows, static camera",
        negative_prompt=_NEGATIVE,
        image="source-2.png",
        result="result-2.mp4",
    ),
    TaskSeed(
        "Portrait – gentle smile and blink",
        ago(days=1, hours=7, minutes=41),
        finished(),
        prompt="The woman looks around, blinks and smiles warmly, gentle head movement",
        negative_prompt=_NEGATIVE,
        image="source-1.png",
        result="result-1.mp4",
    ),
    TaskSeed(
        "Mountain lake at sunset",
        ago(hours=20, minutes=5),
        finished(),
        coins=50,
        prompt="Clouds drift over the peaks, the lake ripples and sparkles, birds fly past",
        negative_prompt=_NEGATIVE,
        image="source-3.png",
        result="result-3.mp4",
    ),
    TaskSeed(
        "Founder headshot – hello",
        ago(hours=6, minutes=15),
        finished(),
        prompt=_SPEAKING,
        negative_prompt=_NEGATIVE,
        image="source-1.png",
        result="result-1.mp4",
    ),
    TaskSeed(
        "Sneaker drop – social cut",
        ago(hours=2, minutes=40),
        finished(),
        coins=150,
        prompt="The sneaker lands with a squash and tilts toward the camera, clean studio light",
        negative_prompt=_NEGATIVE,
        image="source-2.png",
        result="result-2.mp4",
    ),
    TaskSeed(
        "Alpine lake – drifting clouds",
        ago(seconds=40),
        timeline((0, "sent"), (6, "pending"), (20, "completed")),
        prompt="Slow pan across the lake at sunset, clouds drift, the water shimmers",
        negative_prompt=_NEGATIVE,
        image="source-3.png",
        result="result-3.mp4",
    ),
    TaskSeed(
        "Profile photo – talking intro",
        ago(minutes=2, seconds=5),
        timeline((0, "sent"), (12, "pending"), (45, "completed")),
        prompt=_SPEAKING,
        negative_prompt=_NEGATIVE,
        image="source-1.png",
        result="result-1.mp4",
    ),
    TaskSeed(
        "Sneaker – hero bounce",
        ago(minutes=5, seconds=30),
        timeline((0, "pending"), (90, "completed")),
        coins=50,
        prompt="The sneaker bounces in slow motion, its reflection follows on the glossy floor",
        negative_prompt=_NEGATIVE,
        image="source-2.png",
        result="result-2.mp4",
    ),
    TaskSeed(
        "Cat stretching on the windowsill",
        ago(minutes=1, seconds=30),
        timeline((0, "sent"), (8, "pending"), (60, "failed")),
        prompt="The cat stretches and yawns in the sun, tail swaying slowly",
        negative_prompt=_NEGATIVE,
        image="source-4.png",
        failure=DEFAULT_FAILURE,
    ),
    TaskSeed(
        "Lake reflection – 4K long loop",
        ago(minutes=3),
        timeline((0, "pending"), (1800, "completed")),
        prompt="A seamless loop of the lake at golden hour, reeds sway, light sparkles on water",
        negative_prompt=_NEGATIVE,
        image="source-3.png",
        result="result-3.mp4",
    ),
    TaskSeed(
        "Talking cat portrait",
        ago(days=1, hours=2, minutes=3),
        finished("failed"),
        prompt=_SPEAKING,
        negative_prompt=_NEGATIVE,
        image="source-4.png",
        failure=FACE_NOT_DETECTED,
    ),
    TaskSeed(
        "Boxing match highlight",
        ago(hours=11, minutes=27),
        finished("failed"),
        coins=0,
        prompt="Two boxers trade punches in slow motion, blood on the canvas",
        negative_prompt=_NEGATIVE,
        image="source-3.png",
        failure=CONTENT_MODERATION,
    ),
    # (Added last: a seed's id follows its place in this list.)
    TaskSeed(
        "Lake reflection – 8K extended cut",
        ago(hours=4, minutes=48),
        finished("failed"),
        prompt="A long, slow dolly across the lake at golden hour, in 8K",
        negative_prompt=_NEGATIVE,
        image="source-3.png",
        failure=GENERATION_TIMEOUT,
        ran_for=TIMED_OUT_AFTER,
    ),
)

SEEDS: dict[str, tuple[TaskSeed, ...]] = {
    "image2video": _IMAGE_TO_VIDEO,
    "talking_photo": other_kind_seeds.TALKING_PHOTO,
    "talking_video": other_kind_seeds.TALKING_VIDEO,
    "custom_avatar": other_kind_seeds.CUSTOM_AVATAR,
    "dubbing": other_kind_seeds.DUBBING,
    "caption_removal": other_kind_seeds.CAPTION_REMOVAL,
    "face_swap": other_kind_seeds.FACE_SWAP,
    "avatar_video": other_kind_seeds.AVATAR_VIDEO,
    **CATALOGUE_SEEDS,
}
# Ids stay what they were for the first eight kinds; the catalogue's kinds follow them.
_FIRST_SEEDED = (
    "avatar_video",
    "caption_removal",
    "custom_avatar",
    "dubbing",
    "face_swap",
    "image2video",
    "talking_photo",
    "talking_video",
)
_ID_ORDER = (*_FIRST_SEEDED, *sorted(set(SEEDS) - set(_FIRST_SEEDED)))


def seed_id(kind_key: str, index: int) -> str:
    """The fixed 24-hex id of the ``index``-th demo task of a kind."""
    digest = hashlib.sha256(f"a2e-sandbox/{kind_key}/{index}".encode()).hexdigest()
    order = _ID_ORDER.index(kind_key) * 50 + index if kind_key in _ID_ORDER else index
    return f"{_ID_EPOCH + order * 3607:08x}{digest[:16]}"
