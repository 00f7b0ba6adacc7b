"""Demo tasks for the kinds of A2E's whole catalogue: one finished, one running, one failed each.

A table, not code per kind: each row names the three tasks, why the failed one failed, and the
result files of the finished one (a video, several images, or audio). Rows with several
images answer them as a list, in a field the reference leaves open (``image_urls``,
``result_urls``, ``output``, ``images``…), so the client meets every plausible shape. The
running task walks through its kind's own running words (voice training's ``pendding``) and
finishes about a minute after the emulator starts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from a2e.core.kinds import KINDS, TaskKind
from a2e.sandbox.tasks import FACE_NOT_DETECTED, Step, TaskSeed, ago, finished

RUNNING_FOR_SECONDS = 60.0

_MODERATION = (
    "content_moderation",
    "The prompt was flagged by content moderation. No coins were charged.",
)
_TIMEOUT = ("generation_timeout", "The render did not finish in time. Your coins were refunded.")
_BAD_IMAGE = ("image_too_small", "The input image is smaller than 256×256 pixels.")
_NO_SPEECH = ("no_speech_detected", "No speech was found in the audio sample.")


@dataclass(frozen=True)
class SeedRow:
    """The three demo tasks of one kind."""

    done: str
    running: str
    failed: str
    failure: tuple[str, str]
    results: tuple[str, ...]
    result_field: str | None = None
    coins: int = 100
    image: str | None = "source-1.png"


_VIDEO = ("result-1.mp4",)
_IMAGES = ("image-1.png", "image-2.png", "image-3.png")

ROWS: dict[str, SeedRow] = {
    "veo": SeedRow(
        "Veo – sneaker launch film",
        "Veo – city at dawn",
        "Veo – crowd scene",
        _MODERATION,
        ("result-2.mp4",),
        coins=400,
    ),
    "sora": SeedRow(
        "Sora – lake flyover",
        "Sora – product orbit",
        "Sora – stunt sequence",
        _MODERATION,
        ("result-3.mp4",),
        coins=500,
    ),
    "kling_video": SeedRow(
        "Kling – portrait turn", "Kling – sneaker spin", "Kling – cat jump", _TIMEOUT, _VIDEO
    ),
    "kling_omni": SeedRow(
        "Kling Omni – founder intro",
        "Kling Omni – teaser",
        "Kling Omni – remix",
        _TIMEOUT,
        _VIDEO,
    ),
    "seedance": SeedRow(
        "Seedance – dance loop",
        "Seedance – studio pan",
        "Seedance – night drive",
        _TIMEOUT,
        ("result-2.mp4",),
    ),
    "seedance_15": SeedRow(
        "Seedance 1.5 – lake loop",
        "Seedance 1.5 – zoom",
        "Seedance 1.5 – rain",
        _TIMEOUT,
        ("result-3.mp4",),
    ),
    "wan": SeedRow("Wan – portrait smile", "Wan – waves", "Wan – fireworks", _TIMEOUT, _VIDEO),
    "wan_spicy": SeedRow(
        "Wan Spicy – beach clip", "Wan Spicy – party", "Wan Spicy – flagged", _MODERATION, _VIDEO
    ),
    "grok": SeedRow(
        "Grok – sneaker drop", "Grok – skyline", "Grok – mascot", _MODERATION, ("result-2.mp4",)
    ),
    "happyhorse": SeedRow(
        "HappyHorse – gallop",
        "HappyHorse – meadow",
        "HappyHorse – rodeo",
        _TIMEOUT,
        ("result-3.mp4",),
    ),
    "motion_transfer": SeedRow(
        "Motion transfer – dance move",
        "Motion transfer – wave",
        "Motion transfer – jump",
        FACE_NOT_DETECTED,
        _VIDEO,
    ),
    "actor_swap": SeedRow(
        "Actor swap – trailer lead",
        "Actor swap – ad spot",
        "Actor swap – crowd",
        FACE_NOT_DETECTED,
        _VIDEO,
    ),
    "text2image": SeedRow(
        "Poster – mountain lake",
        "Poster – sneaker",
        "Poster – flagged",
        _MODERATION,
        ("image-3.png", "image-2.png"),
        result_field="image_urls",
        coins=20,
        image=None,
    ),
    "nano_banana": SeedRow(
        "Nano Banana – product set",
        "Nano Banana – portraits",
        "Nano Banana – logo",
        _MODERATION,
        _IMAGES,
        result_field="image_urls",
        coins=30,
        image=None,
    ),
    "gpt_image": SeedRow(
        "GPT Image – cat poster",
        "GPT Image – menu card",
        "GPT Image – flagged",
        _MODERATION,
        ("image-4.png", "image-1.png"),
        result_field="result_urls",
        coins=40,
        image=None,
    ),
    "flux2": SeedRow(
        "Flux 2 – lake at night",
        "Flux 2 – sneaker ad",
        "Flux 2 – banner",
        _TIMEOUT,
        ("image-3.png",),
        result_field="output",
        coins=30,
        image=None,
    ),
    "qwen_image": SeedRow(
        "Qwen – storyboard",
        "Qwen – icons",
        "Qwen – flagged",
        _MODERATION,
        _IMAGES,
        coins=20,
        image=None,
    ),
    "kling_image": SeedRow(
        "Kling Image – colourways",
        "Kling Image – lookbook",
        "Kling Image – flagged",
        _MODERATION,
        ("image-2.png", "image-1.png"),
        result_field="images",
        coins=20,
        image=None,
    ),
    "image_edit": SeedRow(
        "Image edit – warm tones",
        "Image edit – background",
        "Image edit – tiny input",
        _BAD_IMAGE,
        ("image-1.png",),
        coins=20,
    ),
    "virtual_try_on": SeedRow(
        "Try-on – green sneaker",
        "Try-on – jacket",
        "Try-on – no person",
        FACE_NOT_DETECTED,
        ("image-2.png",),
        coins=40,
        image="source-2.png",
    ),
    "product_avatar": SeedRow(
        "Product avatar – sneaker",
        "Product avatar – mug",
        "Product avatar – blurry",
        _BAD_IMAGE,
        ("image-2.png",),
        coins=60,
        image="source-2.png",
    ),
    "photobook": SeedRow(
        "Photobook – summer trip",
        "Photobook – pets",
        "Photobook – family",
        _BAD_IMAGE,
        ("image-3.png", "image-4.png", "image-1.png", "image-2.png"),
        result_field="result_images",
        coins=80,
    ),
    "head_swap": SeedRow(
        "Head swap – poster",
        "Head swap – meme",
        "Head swap – group",
        FACE_NOT_DETECTED,
        ("image-1.png",),
    ),
    "voice_clone": SeedRow(
        "Voice – Maya (EN)",
        "Voice – Leo (DE)",
        "Voice – noisy sample",
        _NO_SPEECH,
        ("audio-1.wav",),
        coins=200,
        image=None,
    ),
    "thinksound": SeedRow(
        "ThinkSound – lake ambience",
        "ThinkSound – sneaker squeak",
        "ThinkSound – silent clip",
        _NO_SPEECH,
        ("audio-1.wav",),
        coins=30,
        image=None,
    ),
    "upscale": SeedRow(
        "Upscale – lake 4K",
        "Upscale – portrait 2×",
        "Upscale – 8K source",
        _BAD_IMAGE,
        ("result-3.mp4",),
        coins=50,
    ),
}


def seeds_of(kind: TaskKind, row: SeedRow, place: int = 0) -> tuple[TaskSeed, ...]:
    """The finished, running and failed demo tasks of one kind (``place``: the row's position,
    which spreads the kinds' creation times so no moment holds them all)."""
    done, failed = _word(kind.success_words, "completed"), _word(kind.failure_words, "failed")
    return (
        _seed(row, row.done, ago(days=1 + place % 3, hours=place), finished(done)),
        _seed(row, row.running, ago(minutes=place * 7 % 45, seconds=25), _running(kind, done)),
        _seed(row, row.failed, ago(hours=2 + place, minutes=15), finished(failed), row.failure),
    )


def _seed(
    row: SeedRow,
    name: str,
    age: timedelta,
    timeline: tuple[Step, ...],
    failure: tuple[str, str] = ("", ""),
) -> TaskSeed:
    first, *more = row.results
    return TaskSeed(
        name,
        age,
        timeline,
        coins=row.coins,
        image=row.image,
        result=first,
        failure=failure,
        more_results=tuple(more),
        result_field=row.result_field,
    )


def _word(words: frozenset[str], preferred: str) -> str:
    return preferred if preferred in words else sorted(words)[0]


def _running(kind: TaskKind, done: str) -> tuple[Step, ...]:
    """The kind's running words in turn, then its success word after a minute."""
    words = kind.running_words or ("pending",)
    step = RUNNING_FOR_SECONDS / (len(words) + 1)
    running = (Step(index * step, word) for index, word in enumerate(words))
    return (*running, Step(RUNNING_FOR_SECONDS, done))


CATALOGUE_SEEDS: dict[str, tuple[TaskSeed, ...]] = {
    key: seeds_of(KINDS[key], row, place) for place, (key, row) in enumerate(ROWS.items())
}
