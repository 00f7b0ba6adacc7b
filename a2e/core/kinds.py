"""The registry of A2E task kinds: how to ask for a task's status and how to read the answer.

The client, the emulator and the dashboard all read this one table, so a field name is
spelled once. Facts come from ``shared/A2E_API.md``; where the API is known to misspell a
field (face swap's ``faild_message``), the misspelling is what we read.

Listing: a kind with a ``list_path`` lists the account's tasks page by page, with its page
number and page size in the query (``pageNum``/``pageSize``, or avatar video's
``current``/``pageSize``; query values always travel as strings, as face swap's documented
call requires). ``list_path is None`` means no list call is known for the kind (custom avatar
training). ``avg_time_path`` is the kind's ``avgProcessingTime`` call where one is known.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, TypedDict

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
    list_page_param: str = "pageNum"
    list_size_param: str = "pageSize"
    avg_time_path: str | None = None
    updated_fields: tuple[str, ...] = ("updatedAt",)
    finished_fields: tuple[str, ...] = ()

    def status_path(self, task_id: str) -> str:
        """The URL path that answers this task's status."""
        return self.path.format(id=task_id)

    def status_body(self, task_id: str) -> dict[str, str] | None:
        """The JSON body of the status request, for kinds that take the id in the body."""
        return {self.body_id_field: task_id} if self.body_id_field else None

    @property
    def can_list(self) -> bool:
        """True when a call that lists the account's tasks of this kind is known."""
        return self.list_path is not None

    def list_query(self, page: int, size: int) -> dict[str, str]:
        """The query of the list call for one page (1-based), values as strings."""
        return {self.list_page_param: str(page), self.list_size_param: str(size)}


class _FamilyPaths(TypedDict):
    list_path: str
    avg_time_path: str


def _family(name: str) -> _FamilyPaths:
    """The list and average-time calls of a kind whose calls live under ``/api/v1/<name>``.

    ``allRecords`` is known for these kinds (code); ``avgProcessingTime`` is documented for
    image to video and assumed by the same pattern for the others (a 404 means "none").
    """
    base = f"/api/v1/{name}"
    return {"list_path": f"{base}/allRecords", "avg_time_path": f"{base}/avgProcessingTime"}


IMAGE_TO_VIDEO = TaskKind(
    key="image2video",
    label="Image to video",
    path="/api/v1/userImage2Video/{id}",
    **_family("userImage2Video"),
)

KINDS: dict[str, TaskKind] = {
    kind.key: kind
    for kind in (
        IMAGE_TO_VIDEO,
        TaskKind(
            key="talking_photo",
            label="Talking photo",
            path="/api/v1/talkingPhoto/{id}",
            **_family("talkingPhoto"),
        ),
        TaskKind(
            key="talking_video",
            label="Talking video",
            path="/api/v1/talkingVideo/{id}",
            image_fields=("cover_url", "image_url"),
            **_family("talkingVideo"),
        ),
        TaskKind(
            key="custom_avatar",
            label="Custom avatar training",
            path="/api/v1/userVideoTwin/{id}",
            image_fields=("image_url", "cover_url"),
            # No list call or average time is known for custom avatar training.
        ),
        TaskKind(
            key="dubbing",
            label="AI dubbing",
            path="/api/v1/userDubbing/{id}",
            **_family("userDubbing"),
        ),
        TaskKind(
            key="caption_removal",
            label="Caption removal",
            path="/api/v1/userCaptionRemoval/{id}",
            **_family("userCaptionRemoval"),
        ),
        TaskKind(
            key="face_swap",
            label="Face swap",
            path="/api/v1/userFaceSwapTask/{id}",
            failure_code_fields=("error_code", "failed_code"),
            failure_message_fields=("faild_message", "failed_message"),
            list_path="/api/v1/userFaceSwapTask/records",
            avg_time_path="/api/v1/userFaceSwapTask/avgProcessingTime",
            updated_fields=("updatedAt", "completed_time", "processing_time", "initialized_time"),
            finished_fields=("completed_time",),
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
            list_path="/api/v1/video/awsList",
            list_page_param="current",
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
