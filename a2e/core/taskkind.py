"""What a row of the kinds registry holds: where a kind's calls live and how to read its answers.

The rows are in ``a2e.core.catalogue``; ``a2e.core.kinds`` is the registry that serves them. A
new kind is a new row; new behaviour is a new field with a default, never a test of a kind's key.

A row says:

- **Detail**: ``detail`` answers one task's record, with the id in the path (``/{id}``,
  ``/detail/{id}``), in the query (avatar video's ``video/detail?video_id=``) or in a JSON body
  (``awsResult``'s ``{"_id": …}``). ``older_details`` are asked in turn when the one before says
  "not found" (a server that has only the older call). ``detail_stated`` is False where the
  reference states no detail call and the path follows the kind's pattern (Seedance 1.5).
- **List** (``listing``, ``None`` when none is known): the path, how it pages (``pageNum`` /
  ``pageSize``, ``page`` / ``page_size``, ``current`` / ``pageSize``, or not at all), the
  documented default and largest page size, and the server-side ``status`` filter where the
  reference has one. Query values travel as strings (face swap's documented call requires it).
- **batchDetail** (``batch_path``, ``batch_max``): several tasks in one call, where documented.
- **Words**: the status field and which words mean done or failed (anything else is running,
  shown as the raw word); ``running_words`` lists the documented running ones (voice training's
  ``pendding`` among them), for the emulator and the docs.
- **Family** (``family``): how people find the kind (Video, Image, Face, Voice & audio, Editing,
  Training); ``result_media`` is what its results usually are when a link does not say.
- **markDownloaded** (``mark_downloaded_path``): the kind's ``POST {_id}/markDownloaded`` where
  documented (image to video), for ``a2e archive --mark-downloaded``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from a2e.core.media import MediaKind

HttpMethod = Literal["GET", "POST"]

DEFAULT_SUCCESS_WORDS = frozenset({"completed"})
DEFAULT_FAILURE_WORDS = frozenset({"failed", "fail", "error"})
DEFAULT_RUNNING_WORDS = ("initialized", "sent", "pending", "processing")
# A batchDetail call whose reference states no maximum is sent at most this many ids.
ASSUMED_BATCH_MAX = 100

# Families in the order people see them: key (for --kind and ?kind=) → label.
FAMILIES: dict[str, str] = {
    "video": "Video",
    "image": "Image",
    "face": "Face",
    "voice": "Voice & audio",
    "editing": "Editing",
    "training": "Training",
}


@dataclass(frozen=True)
class DetailCall:
    """One call that answers a task's record; ``{id}`` in ``path`` marks a path id."""

    path: str
    method: HttpMethod = "GET"
    query_id: str | None = None
    body_id: str | None = None

    def target(self, task_id: str) -> str:
        """The path (and query) to ask about ``task_id``."""
        path = self.path.replace("{id}", task_id)
        return f"{path}?{self.query_id}={task_id}" if self.query_id else path

    def body(self, task_id: str) -> dict[str, str] | None:
        """The JSON body of the request, for calls that take the id in the body."""
        return {self.body_id: task_id} if self.body_id else None


@dataclass(frozen=True)
class ListCall:
    """How a kind's tasks are listed, page by page (or all at once when not paged)."""

    path: str
    page_param: str | None = "pageNum"
    size_param: str | None = "pageSize"
    default_size: int | None = None
    max_size: int | None = None
    status_param: str | None = None
    status_values: Mapping[str, str] | None = None

    @property
    def paged(self) -> bool:
        """False for a list answered whole (voice training's ``trainingRecord``)."""
        return self.page_param is not None and self.size_param is not None

    def query(self, page: int, size: int, status: str | None = None) -> dict[str, str]:
        """The query for one page (1-based), values as strings; ``status`` is a filter name."""
        query = {self.page_param: str(page), self.size_param: str(size)} if self.paged else {}
        word = self.server_status(status)
        if word is not None and self.status_param is not None:
            query[self.status_param] = word
        return {key: value for key, value in query.items() if key is not None}

    def server_status(self, status: str | None) -> str | None:
        """The server's word for a filter (``completed``, ``failed``, ``running``), if any."""
        if status is None or self.status_param is None:
            return None
        return (self.status_values or SERVER_STATUS_VALUES).get(status)


# What a documented ``status`` filter takes for each of the dashboard's filters. Running spans
# several words (initialized, processing…) and one call takes one: it filters the page instead.
SERVER_STATUS_VALUES: Mapping[str, str] = {"completed": "completed", "failed": "failed"}


@dataclass(frozen=True)
class TaskKind:
    """One kind of A2E task: its calls, its words and which fields mean what."""

    key: str
    label: str
    detail: DetailCall
    family: str = "video"
    older_details: tuple[DetailCall, ...] = ()
    detail_stated: bool = True
    data_is_list: bool = False
    status_field: str = "current_status"
    success_words: frozenset[str] = DEFAULT_SUCCESS_WORDS
    failure_words: frozenset[str] = DEFAULT_FAILURE_WORDS
    running_words: tuple[str, ...] = DEFAULT_RUNNING_WORDS
    result_field: str = "result_url"
    result_media: MediaKind = "video"
    image_fields: tuple[str, ...] = ("image_url",)
    failure_code_fields: tuple[str, ...] = ("failed_code",)
    failure_message_fields: tuple[str, ...] = ("failed_message",)
    progress_field: str | None = None
    listing: ListCall | None = None
    batch_path: str | None = None
    batch_max: int | None = None
    avg_time_path: str | None = None
    updated_fields: tuple[str, ...] = ("updatedAt",)
    finished_fields: tuple[str, ...] = ()
    mark_downloaded_path: str | None = None

    @property
    def detail_calls(self) -> tuple[DetailCall, ...]:
        """The detail call, then the older ones asked when it says "not found"."""
        return (self.detail, *self.older_details)

    @property
    def path(self) -> str:
        """The detail call's path (``{id}`` marks the id)."""
        return self.detail.path

    @property
    def method(self) -> HttpMethod:
        """The detail call's HTTP method."""
        return self.detail.method

    def status_path(self, task_id: str) -> str:
        """The path (and query) of the detail call about this task."""
        return self.detail.target(task_id)

    def status_body(self, task_id: str) -> dict[str, str] | None:
        """The JSON body of the detail call, for kinds that take the id in the body."""
        return self.detail.body(task_id)

    @property
    def can_list(self) -> bool:
        """True when a call that lists the account's tasks of this kind is known."""
        return self.listing is not None

    @property
    def list_path(self) -> str | None:
        """The list call's path, when there is one."""
        return self.listing.path if self.listing else None

    def list_query(self, page: int, size: int, status: str | None = None) -> dict[str, str]:
        """The list call's query for one page (1-based), values as strings."""
        return self.listing.query(page, size, status) if self.listing else {}

    @property
    def can_batch(self) -> bool:
        """True when a batchDetail call (many ids in one request) is documented."""
        return self.batch_path is not None
