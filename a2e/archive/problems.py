"""Why a file of a task could not be kept: the archive's branch of the package's exception tree.

    A2EError                      (a2e.api.errors)
     └── MediaProblem             a file was not kept; ``reason`` is fit to show a person
          ├── MediaExpired        the media server answered 403, 404 or 410: the link is gone
          ├── MediaRefused        not fetched, or not kept: not an http(s) URL, an address
          │                       that is not allowed, not image/video/audio, past a size cap
          └── MediaFailed         the server or the network failed (worth another run)

No message holds a token, a URL's query or a byte of what a server sent.
"""

from __future__ import annotations

from a2e.api.errors import A2EError

EXPIRED = "expired: A2E no longer serves this result"


class MediaProblem(A2EError):
    """A file of a task was not kept."""

    label = "failed"

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class MediaExpired(MediaProblem):
    """The link answered 403, 404 or 410: A2E no longer serves it."""

    label = "expired"

    def __init__(self, reason: str = EXPIRED) -> None:
        super().__init__(reason)


class MediaRefused(MediaProblem):
    """The file was refused: what it is, where it is, or how large it is."""

    label = "refused"


class MediaFailed(MediaProblem):
    """The media server or the network failed; another run may succeed."""

    label = "failed"


class StoreFailed(MediaFailed):
    """The archive itself (a folder, an S3 store) could not be written or read."""
