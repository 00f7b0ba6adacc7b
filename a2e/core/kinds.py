"""The registry of A2E task kinds: how to ask for a task's status and how to read the answer.

The client, the emulator and the dashboard all read this one table, so a field name is
spelled once. Facts come from ``shared/A2E_API.md``; where the API is known to misspell a
field (face swap's ``faild_message``), the misspelling is what we read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

HttpMethod = Literal["GET", "POST"]

DEFAULT_SUCCESS_WORDS = frozenset({"completed"})
DEFAULT_FAILURE_WORDS = frozenset({"failed", "fail", "error"})


@dataclass(frozen=True)
class TaskKind:
    """One kind of A2E task: where its status lives and which fields mean what."""

    key: str
    label: str
    path: str
    method: HttpMethod = "GET"
    body_id_field: str | None = None
    data_is_list: bool = False
    status_field: str = "current_status"
    success_words: frozenset[str] = DEFAULT_SUCCESS_WORDS
    failure_words: frozenset[str] = DEFAULT_FAILURE_WORDS
    result_field: str = "result_url"
    image_fields: tuple[str, ...] = ("image_url",)
    failure_code_fields: tuple[str, ...] = ("failed_code",)
    failure_message_fields: tuple[str, ...] = ("failed_message",)
    progress_field: str | None = None
    list_path: str | None = None

    def status_path(self, task_id: str) -> str:
        """The URL path that answers this task's status."""
        return self.path.format(id=task_id)

    def status_body(self, task_id: str) -> dict[str, str] | None:
        """The JSON body of the status request, for kinds that take the id in the body."""
        return {self.body_id_field: task_id} if self.body_id_field else None


IMAGE_TO_VIDEO = TaskKind(
    key="image2video",
    label="Image to video",
    path="/api/v1/userImage2Video/{id}",
    list_path="/api/v1/userImage2Video/allRecords",
)

KINDS: dict[str, TaskKind] = {
    kind.key: kind
    for kind in (
        IMAGE_TO_VIDEO,
        TaskKind(
            key="talking_photo",
            label="Talking photo",
            path="/api/v1/talkingPhoto/{id}",
        ),
        TaskKind(
            key="talking_video",
            label="Talking video",
            path="/api/v1/talkingVideo/{id}",
            image_fields=("cover_url", "image_url"),
        ),
        TaskKind(
            key="custom_avatar",
            label="Custom avatar training",
            path="/api/v1/userVideoTwin/{id}",
            image_fields=("image_url", "cover_url"),
        ),
        TaskKind(
            key="dubbing",
            label="AI dubbing",
            path="/api/v1/userDubbing/{id}",
        ),
        TaskKind(
            key="caption_removal",
            label="Caption removal",
            path="/api/v1/userCaptionRemoval/{id}",
        ),
        TaskKind(
            key="face_swap",
            label="Face swap",
            path="/api/v1/userFaceSwapTask/{id}",
            failure_code_fields=("error_code", "failed_code"),
            failure_message_fields=("faild_message", "failed_message"),
        ),
        TaskKind(
            key="avatar_video",
            label="Avatar video (lip-sync)",
            path="/api/v1/video/awsResult",
            method="POST",
            body_id_field="_id",
            data_is_list=True,
            status_field="status",
            success_words=frozenset({"success"}),
            failure_words=frozenset({"fail", "failed", "error"}),
            result_field="result",
            image_fields=(),
            failure_code_fields=(),
            failure_message_fields=("msg",),
            progress_field="process",
        ),
    )
}

DEFAULT_KIND = IMAGE_TO_VIDEO.key


class UnknownKindError(ValueError):
    """Raised when a kind key is not in the registry."""


def get_kind(key: str) -> TaskKind:
    """The registered kind with this key; raises ``UnknownKindError`` naming the known ones."""
    try:
        return KINDS[key]
    except KeyError:
        known = ", ".join(KINDS)
        raise UnknownKindError(f"unknown task kind {key!r}; known kinds: {known}") from None
