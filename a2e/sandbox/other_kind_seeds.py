"""Demo tasks for every kind but image-to-video: one finished, one running, one failed each."""

from __future__ import annotations

from a2e.sandbox.tasks import FACE_NOT_DETECTED, Step, TaskSeed, ago, finished, timeline

_NEGATIVE = "blurry, low quality, distorted face, extra teeth, watermark, text"
_SPEAKING = "The person speaks naturally, looking at the camera, natural blinking, still background"

TALKING_PHOTO = (
    TaskSeed(
        "CEO welcome message",
        ago(days=1, hours=1),
        finished(),
        50,
        _SPEAKING,
        _NEGATIVE,
        image="source-1.png",
        result="result-1.mp4",
    ),
    TaskSeed(
        "Birthday greeting from grandpa",
        ago(seconds=30),
        timeline(
            (0, "initialized"), (4, "sent"), (10, "pending"), (18, "processing"), (40, "completed")
        ),
        50,
        _SPEAKING,
        _NEGATIVE,
        image="source-1.png",
        result="result-1.mp4",
    ),
    TaskSeed(
        "Support avatar – Anna",
        ago(hours=9, minutes=2),
        finished("failed"),
        50,
        _SPEAKING,
        _NEGATIVE,
        image="source-4.png",
        failure=FACE_NOT_DETECTED,
    ),
)

TALKING_VIDEO = (
    TaskSeed(
        "Course intro – lesson 1",
        ago(days=2, hours=5),
        finished(),
        150,
        image="source-1.png",
        result="result-1.mp4",
    ),
    TaskSeed(
        "Podcast clip – episode 12",
        ago(minutes=1),
        timeline((0, "sent"), (10, "pending"), (25, "processing"), (70, "completed")),
        150,
        image="source-1.png",
        result="result-1.mp4",
    ),
    TaskSeed(
        "Webinar teaser",
        ago(hours=14, minutes=20),
        finished("failed"),
        150,
        image="source-3.png",
        failure=(
            "audio_too_long",
            "The audio track is longer than the 5-minute limit. Trim it and try again.",
        ),
    ),
)

CUSTOM_AVATAR = (
    TaskSeed(
        "Studio avatar – Maya",
        ago(days=3, hours=2),
        finished(),
        300,
        image="source-1.png",
        result="result-1.mp4",
    ),
    TaskSeed(
        "Outdoor avatar – Leo",
        ago(minutes=4),
        timeline((0, "sent"), (15, "pending"), (60, "processing"), (300, "completed")),
        300,
        image="source-3.png",
        result="result-3.mp4",
    ),
    TaskSeed(
        "Webcam avatar – test",
        ago(days=1, hours=4),
        finished("failed"),
        300,
        image="source-4.png",
        failure=(
            "video_too_short",
            "The training video must be at least 30 seconds of one person speaking.",
        ),
    ),
)

DUBBING = (
    TaskSeed(
        "Product demo – Spanish dub",
        ago(hours=10, minutes=44),
        finished(),
        80,
        image=None,
        result="result-2.mp4",
    ),
    TaskSeed(
        "Webinar – German dub",
        ago(seconds=20),
        timeline((0, "sent"), (10, "pending"), (20, "processing"), (50, "completed")),
        80,
        image=None,
        result="result-1.mp4",
    ),
    TaskSeed(
        "Keynote – Japanese dub",
        ago(days=1, hours=9),
        finished("failed"),
        80,
        image=None,
        failure=("no_speech_detected", "No speech was found in the audio track."),
    ),
)

CAPTION_REMOVAL = (
    TaskSeed(
        "Travel vlog – remove subtitles",
        ago(hours=5, minutes=3),
        finished(),
        40,
        image=None,
        result="result-3.mp4",
    ),
    TaskSeed(
        "Recipe short – remove captions",
        ago(seconds=15),
        timeline((0, "pending"), (10, "processing"), (25, "completed")),
        40,
        image=None,
        result="result-2.mp4",
    ),
    TaskSeed(
        "Interview clip – 8K master",
        ago(hours=16),
        finished("failed"),
        40,
        image=None,
        failure=(
            "unsupported_resolution",
            "Videos above 4K are not supported. Re-encode to 4K or 1080p.",
        ),
    ),
)

FACE_SWAP = (
    TaskSeed(
        "Movie scene – swap lead actor",
        ago(days=1, hours=3),
        finished(),
        100,
        image="source-1.png",
        result="result-1.mp4",
    ),
    TaskSeed(
        "Dance clip – swap face",
        ago(seconds=25),
        timeline((0, "sent"), (8, "pending"), (15, "processing"), (35, "completed")),
        100,
        image="source-1.png",
        result="result-1.mp4",
    ),
    TaskSeed(
        "Group photo swap",
        ago(hours=7, minutes=50),
        finished("failed"),
        100,
        image="source-4.png",
        failure=(
            "multiple_faces",
            "More than one face was found in the source image. Use a photo with exactly one face.",
        ),
    ),
)

AVATAR_VIDEO = (
    TaskSeed(
        "Sales pitch – Emma (EN)",
        ago(days=1, hours=6),
        (Step(0, "success", 100),),
        60,
        image=None,
        result="result-1.mp4",
    ),
    TaskSeed(
        "Onboarding video – chapter 2",
        ago(seconds=10),
        (
            Step(0, "init", 0),
            Step(3, "start", 0),
            Step(6, "pending", 0),
            Step(10, "process", 10),
            Step(20, "process", 35),
            Step(30, "process", 60),
            Step(40, "process", 85),
            Step(48, "copy", 100),
            Step(55, "success", 100),
        ),
        60,
        image=None,
        result="result-1.mp4",
    ),
    TaskSeed(
        "Product FAQ – Spanish",
        ago(hours=3, minutes=33),
        (Step(0, "fail", 42),),
        60,
        image=None,
        failure=(
            "",
            "Lip-sync failed: the audio could not be aligned with the avatar. "
            "Please upload the audio again.",
        ),
    ),
)
