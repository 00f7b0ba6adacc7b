"""The rows of the kinds registry: every task kind of A2E's public API reference.

From ``shared/A2E_API.md`` ("The whole catalogue", and the older sections for the first eight
kinds). Most kinds live under ``/api/v1/<base>``: a detail call ``/{id}`` (or ``/detail/{id}``),
a list call (``allRecords`` paged by ``pageNum``/``pageSize`` unless noted) and ``batchDetail``.
Where the reference says nothing the row says so: ``batch_path=None`` for "not stated",
``batch_max`` at ``ASSUMED_BATCH_MAX`` where no maximum is stated, ``max_size=None`` where no
largest page is documented (the client never asks more than 100). Registry order is the order
*Auto* tries kinds in before it has seen any (the first eight as before, then the rest by family).
"""

from __future__ import annotations

from typing import Any

from a2e.core.taskkind import ASSUMED_BATCH_MAX, DetailCall, ListCall, TaskKind

DOCUMENTED_MAX_PAGE = 100
_STATUS = "status"


def _base(name: str) -> str:
    return f"/api/v1/{name}"


def _records(name: str, call: str = "allRecords", **paging: Any) -> ListCall:
    """A list call under the kind's base path (``pageNum``/``pageSize`` unless given)."""
    return ListCall(f"{_base(name)}/{call}", **paging)


def _list(name: str, **paging: Any) -> ListCall:
    """The newer image kinds' ``GET …/list``, paged by ``page``/``page_size``."""
    return ListCall(f"{_base(name)}/list", page_param="page", size_param="page_size", **paging)


def _row(
    key: str,
    label: str,
    family: str,
    name: str,
    *,
    detail: str = "/{id}",
    listing: ListCall | None = None,
    batch_max: int | None = ASSUMED_BATCH_MAX,
    avg: bool = False,
    **fields: Any,
) -> TaskKind:
    """A kind whose calls live under ``/api/v1/<name>``; ``batch_max=None``: no batchDetail.

    ``avg``: the kind has ``avgProcessingTime`` (documented for image to video, assumed by the
    same pattern for the first kinds; a 404 means "none").
    """
    return TaskKind(
        key=key,
        label=label,
        family=family,
        detail=DetailCall(_base(name) + detail),
        listing=listing if listing is not None else _records(name),
        batch_path=f"{_base(name)}/batchDetail" if batch_max else None,
        batch_max=batch_max,
        avg_time_path=f"{_base(name)}/avgProcessingTime" if avg else None,
        **fields,
    )


_FIRST_KINDS = (
    _row(
        "image2video",
        "Image to video",
        "video",
        "userImage2Video",
        listing=_records("userImage2Video", max_size=DOCUMENTED_MAX_PAGE),
        avg=True,
        mark_downloaded_path=_base("userImage2Video") + "/{id}/markDownloaded",
    ),
    _row("talking_photo", "Talking photo", "video", "talkingPhoto", avg=True),
    _row(
        "talking_video",
        "Talking video",
        "video",
        "talkingVideo",
        image_fields=("cover_url", "image_url"),
        avg=True,
    ),
    _row(
        "custom_avatar",
        "Custom avatar training",
        "training",
        "userVideoTwin",
        listing=_records(
            "userVideoTwin", "records", max_size=DOCUMENTED_MAX_PAGE, status_param=_STATUS
        ),
        image_fields=("image_url", "cover_url"),
    ),
    _row(
        "dubbing",
        "AI dubbing",
        "voice",
        "userDubbing",
        batch_max=None,
        avg=True,
    ),
    _row(
        "caption_removal",
        "Caption removal",
        "editing",
        "userCaptionRemoval",
        image_fields=(),
        avg=True,
    ),
    _row(
        "face_swap",
        "Face swap",
        "face",
        "userFaceSwapTask",
        listing=_records("userFaceSwapTask", "records", max_size=DOCUMENTED_MAX_PAGE),
        failure_code_fields=("error_code", "failed_code"),
        failure_message_fields=("faild_message", "failed_message"),
        updated_fields=("updatedAt", "completed_time", "processing_time", "initialized_time"),
        finished_fields=("completed_time",),
        avg=True,
    ),
    TaskKind(
        key="avatar_video",
        label="Avatar video (lip-sync)",
        family="video",
        # The newer detail call first; a server without it answers "not found" and is asked
        # the older, documented awsResult (whose data is a list of zero or one record).
        detail=DetailCall("/api/v1/video/detail", query_id="video_id"),
        older_details=(DetailCall("/api/v1/video/awsResult", "POST", body_id="_id"),),
        data_is_list=True,
        status_field="status",
        success_words=frozenset({"success"}),
        failure_words=frozenset({"fail", "failed", "error"}),
        running_words=("init", "start", "pending", "process", "copy"),
        result_field="result",
        image_fields=(),
        failure_code_fields=(),
        failure_message_fields=("msg",),
        progress_field="process",
        listing=ListCall("/api/v1/video/awsList", page_param="current"),
    ),
)

_VIDEO_KINDS = (
    _row("veo", "Veo 3.1", "video", "veoVideo"),
    _row("sora", "Sora 2 Pro", "video", "soraVideo"),
    _row(
        "kling_video",
        "Kling video",
        "video",
        "klingVideo",
        listing=_records("klingVideo", default_size=20),
    ),
    _row(
        "kling_omni",
        "Kling Omni",
        "video",
        "klingOmni",
        listing=_records("klingOmni", default_size=20),
        batch_max=200,
    ),
    _row(
        "seedance",
        "Seedance 2.x",
        "video",
        "seedance2Video",
        listing=_records("seedance2Video", default_size=20),
        batch_max=200,
    ),
    # The reference states no detail call for Seedance 1.5: the kind's pattern is assumed.
    _row(
        "seedance_15",
        "Seedance 1.5 Pro",
        "video",
        "seedanceVideo",
        batch_max=None,
        detail_stated=False,
    ),
    _row("wan", "Wan 2.5/2.6/2.7", "video", "userWan25"),
    _row("wan_spicy", "Wan Spicy", "video", "userWanSpicy"),
    _row("grok", "Grok Imagine video", "video", "grokVideo"),
    _row("happyhorse", "HappyHorse video", "video", "userHappyhorseVideo", batch_max=200),
    _row(
        "motion_transfer",
        "Motion transfer",
        "video",
        "motionTransfer",
        listing=_records("motionTransfer", max_size=DOCUMENTED_MAX_PAGE),
    ),
    _row("actor_swap", "Actor swap", "video", "actorSwap"),
)

# Image kinds made from a prompt: no source image field is known, so any image field of the
# record is read as a result.
_GENERATED_IMAGES: dict[str, Any] = {"result_media": "image", "image_fields": ()}

_IMAGE_KINDS = (
    _row("text2image", "Text to image", "image", "userText2Image", **_GENERATED_IMAGES),
    _row(
        "nano_banana",
        "Nano Banana",
        "image",
        "userNanoBanana",
        detail="/detail/{id}",
        listing=_records("userNanoBanana", max_size=DOCUMENTED_MAX_PAGE, status_param=_STATUS),
        running_words=("initialized", "processing"),
        **_GENERATED_IMAGES,
    ),
    _row(
        "gpt_image",
        "GPT Image",
        "image",
        "userGptImage",
        detail="/detail/{id}",
        listing=_list("userGptImage", default_size=20),
        **_GENERATED_IMAGES,
    ),
    _row(
        "flux2",
        "Flux 2 Pro",
        "image",
        "userFlux2",
        detail="/detail/{id}",
        listing=_list("userFlux2", max_size=DOCUMENTED_MAX_PAGE, status_param=_STATUS),
        **_GENERATED_IMAGES,
    ),
    _row(
        "qwen_image",
        "Qwen Image",
        "image",
        "userQwen2Image",
        detail="/detail/{id}",
        listing=_list("userQwen2Image"),
        batch_max=200,
        **_GENERATED_IMAGES,
    ),
    _row(
        "kling_image",
        "Kling Image",
        "image",
        "userKlingImage",
        detail="/detail/{id}",
        listing=_list("userKlingImage"),
        batch_max=200,
        **_GENERATED_IMAGES,
    ),
    _row("image_edit", "Image edit", "image", "userImageEdit", result_media="image"),
    _row(
        "virtual_try_on",
        "Virtual try-on",
        "image",
        "virtualTryOn",
        listing=_records("virtualTryOn", max_size=DOCUMENTED_MAX_PAGE),
        result_media="image",
    ),
    _row(
        "product_avatar",
        "Product avatar",
        "image",
        "productAvatar",
        result_field="result_image_url",
        result_media="image",
    ),
    _row(
        "photobook",
        "Photobook",
        "image",
        "userPhotobook",
        listing=_records("userPhotobook", default_size=20),
        result_media="image",
    ),
)

_OTHER_KINDS = (
    _row(
        "head_swap",
        "Head swap",
        "face",
        "headSwap",
        listing=_records("headSwap", max_size=DOCUMENTED_MAX_PAGE),
        result_media="image",
    ),
    _row(
        "voice_clone",
        "Voice clone training",
        "voice",
        "userVoice",
        listing=_records("userVoice", "trainingRecord", page_param=None, size_param=None),
        batch_max=None,
        running_words=("sent", "pendding", "processing"),
        result_media="audio",
        image_fields=(),
    ),
    _row(
        "thinksound",
        "ThinkSound (video to audio)",
        "voice",
        "thinkSound",
        listing=_records("thinkSound", max_size=DOCUMENTED_MAX_PAGE),
        result_media="audio",
        image_fields=(),
    ),
    _row("upscale", "Upscale", "editing", "userUpscale"),
)

CATALOGUE: tuple[TaskKind, ...] = (*_FIRST_KINDS, *_VIDEO_KINDS, *_IMAGE_KINDS, *_OTHER_KINDS)
