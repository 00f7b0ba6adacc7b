"""The state the emulator's app answers from, shared with the ``Emulator`` that owns it."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from starlette.requests import Request

from a2e.sandbox.accounting import BatchLog, RequestLog
from a2e.sandbox.batch_answers import BatchBehaviour
from a2e.sandbox.credits import CreditsShape
from a2e.sandbox.faults import FaultBook
from a2e.sandbox.list_answers import DEFAULT_LIST_SHAPES, AvgTime, ListShape
from a2e.sandbox.store import TaskStore

AuthFailure = Literal["http_401", "code_200"]


@dataclass
class SandboxState:
    """Everything the app reads while answering: tasks, token, faults, log and settings."""

    store: TaskStore
    token: str
    media_dir: Path
    auth_failure: AuthFailure = "http_401"
    media_base_url: str | None = None
    latency: float = 0.0
    faults: FaultBook = field(default_factory=FaultBook)
    requests: RequestLog = field(default_factory=RequestLog)
    media_requests: RequestLog = field(default_factory=RequestLog)
    stopping: threading.Event = field(default_factory=threading.Event)
    list_shapes: dict[str, ListShape] = field(default_factory=dict)
    avg_times: dict[str, AvgTime] = field(default_factory=dict)
    max_page_size: int = 100
    # Lists that lie about paging: every task at once, and rows repeated (id -> copies).
    whole_lists: bool = False
    repeated_rows: dict[str, int] = field(default_factory=dict)
    missing_calls: set[str] = field(default_factory=set)
    credits_shape: CreditsShape = "rows"
    batch_behaviours: dict[str, BatchBehaviour] = field(default_factory=dict)
    batches: BatchLog = field(default_factory=BatchLog)

    def list_shape(self, kind_key: str) -> ListShape:
        """The shape list answers of ``kind_key`` take now."""
        return self.list_shapes.get(kind_key) or DEFAULT_LIST_SHAPES.get(kind_key, ListShape())

    def avg_time(self, kind_key: str) -> AvgTime:
        """What ``avgProcessingTime`` of ``kind_key`` answers now."""
        return self.avg_times.get(kind_key, AvgTime())

    def batch_behaviour(self, kind_key: str) -> BatchBehaviour:
        """How ``batchDetail`` of ``kind_key`` answers now."""
        return self.batch_behaviours.get(kind_key, BatchBehaviour())

    def reset_answers(self) -> None:
        """Every list, average-time and batch answer in its default shape, every call served."""
        self.list_shapes.clear()
        self.avg_times.clear()
        self.whole_lists = False
        self.repeated_rows.clear()
        self.missing_calls.clear()
        self.credits_shape = "rows"
        self.batch_behaviours.clear()

    def media_base(self, request: Request) -> str:
        """The URL prefix of media files, as seen by the client that asked."""
        if self.media_base_url:
            return self.media_base_url.rstrip("/")
        return str(request.base_url).rstrip("/") + "/media"
