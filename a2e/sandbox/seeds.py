"""The demo tasks every emulator starts with: a few per kind, in every state.

Running tasks move on by themselves, measured from the moment the emulator was made; the
times are chosen so a person watching the dashboard sees a task finish within a minute or two.
"""

from __future__ import annotations

import hashlib

from a2e.sandbox import other_kind_seeds
from a2e.sandbox.tasks import FACE_NOT_DETECTED, TaskSeed, ago, finished, timeline

_ID_EPOCH = 0x67D29023  # 2025-03-13, the docs' example task; gives real-looking ObjectIds


CONTENT_MODERATION = (
    "content_moderation",
    "The image or prompt was flagged by content moderation. No coins were charged.",
)
GENERATION_TIMEOUT = (
    "generation_timeout",
    "The render did not finish within 10 minutes and was stopped. "
    "Your 100 coins have been refunded.",
)
_NEGATIVE = "blurry, low quality, distorted hands, extra fingers, watermark, text, moving camera"
_SPEAKING = "The person speaks naturally, looking at the camera, natural blinking, still background"

_IMAGE_TO_VIDEO = (
    TaskSeed(
        "Product teaser – sneaker",
        ago(days=2, hours=3, minutes=12),
        finished(),
        prompt="A white running sneaker turns slowly on a turntable, studio light, soft shadows",
        negative_prompt=_NEGATIVE,
        image="source-1.png",
        result="result-1.mp4",
    ),
    TaskSeed(
        "Grandma's portrait waving",
        ago(days=1, hours=7, minutes=41),
        finished(),
        prompt="The elderly woman smiles warmly and waves at the camera, gentle head movement",
        negative_prompt=_NEGATIVE,
        image="source-2.png",
        result="result-2.mp4",
    ),
    TaskSeed(
        "Latte art slow pour",
        ago(hours=20, minutes=5),
        finished(),
        coins=50,
        prompt="Milk pours into espresso and forms a heart, slow motion, shallow depth of field",
        negative_prompt=_NEGATIVE,
        image="source-3.png",
        result="result-3.mp4",
    ),
    TaskSeed(
        "Golden retriever on the beach",
        ago(hours=6, minutes=15),
        finished(),
        prompt="The dog runs toward the camera along the shoreline, waves in the background",
        negative_prompt=_NEGATIVE,
        image="source-4.png",
        result="result-1.mp4",
    ),
    TaskSeed(
        "Café window at dawn – steam rising ☕",
        ago(hours=2, minutes=40),
        finished(),
        coins=150,
        prompt="Steam rises from a coffee cup by a rainy window, soft morning light",
        negative_prompt=_NEGATIVE,
        image="source-1.png",
        result="result-2.mp4",
    ),
    TaskSeed(
        "Watch ad – close-up",
        ago(seconds=40),
        timeline((0, "sent"), (6, "pending"), (20, "completed")),
        prompt="Macro shot of a wristwatch, the second hand ticks, light glints off the glass",
        negative_prompt=_NEGATIVE,
        image="source-2.png",
        result="result-3.mp4",
    ),
    TaskSeed(
        "Wedding photo, couple turns",
        ago(minutes=2, seconds=5),
        timeline((0, "sent"), (12, "pending"), (45, "completed")),
        prompt="The couple turns to each other and smiles, confetti drifts down, static camera",
        negative_prompt=_NEGATIVE,
        image="source-3.png",
        result="result-1.mp4",
    ),
    TaskSeed(
        "City skyline at dusk",
        ago(minutes=5, seconds=30),
        timeline((0, "pending"), (90, "completed")),
        coins=50,
        prompt="Timelapse of city lights switching on at dusk, clouds moving fast",
        negative_prompt=_NEGATIVE,
        image="source-4.png",
        result="result-2.mp4",
    ),
    TaskSeed(
        "Cat stretching on the windowsill",
        ago(minutes=1, seconds=30),
        timeline((0, "sent"), (8, "pending"), (60, "failed")),
        prompt="The cat stretches and yawns in the sun, tail swaying slowly",
        negative_prompt=_NEGATIVE,
        image="source-1.png",
        failure=GENERATION_TIMEOUT,
    ),
    TaskSeed(
        "Bakery storefront – holiday loop",
        ago(minutes=3),
        timeline((0, "pending"), (1800, "completed")),
        prompt="Snow falls gently in front of a bakery window, fairy lights blink",
        negative_prompt=_NEGATIVE,
        image="source-2.png",
        result="result-3.mp4",
    ),
    TaskSeed(
        "Selfie with sunglasses",
        ago(days=1, hours=2, minutes=3),
        finished("failed"),
        prompt=_SPEAKING,
        negative_prompt=_NEGATIVE,
        image="source-3.png",
        failure=FACE_NOT_DETECTED,
    ),
    TaskSeed(
        "Boxing match highlight",
        ago(hours=11, minutes=27),
        finished("failed"),
        coins=0,
        prompt="Two boxers trade punches in slow motion, blood on the canvas",
        negative_prompt=_NEGATIVE,
        image="source-4.png",
        failure=CONTENT_MODERATION,
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
}


def seed_id(kind_key: str, index: int) -> str:
    """The fixed 24-hex id of the ``index``-th demo task of a kind."""
    digest = hashlib.sha256(f"a2e-sandbox/{kind_key}/{index}".encode()).hexdigest()
    order = sorted(SEEDS).index(kind_key) * 50 + index if kind_key in SEEDS else index
    return f"{_ID_EPOCH + order * 3607:08x}{digest[:16]}"
