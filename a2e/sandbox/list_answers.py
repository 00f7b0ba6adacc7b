"""How the emulator answers list and ``avgProcessingTime`` calls: every shape seen in the wild.

A list answer carries its rows as ``data.rows`` (face swap's documented shape), ``data.list``,
``data`` itself, or a bare list with no envelope, and its total as ``count``, ``total`` or not
at all (as a number or as text). Two malformed shapes (``data`` as text, ``rows`` as an object)
let tests check that a client refuses them. The average time comes as an object in seconds
(the default), a bare number of seconds, minutes or milliseconds by their field's name, text,
null, or not at all (Express's 404). Two lies about paging, for tests: every task at once
whatever page size was asked (``WHOLE_LIST``), and one task's row repeated (``with_repeats``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from starlette.responses import Response

from a2e.sandbox.responses import Answer, express_not_found, success

ListContainer = Literal["rows", "list", "data", "bare", "data_text", "rows_object"]
TotalField = Literal["count", "total"]
AvgShape = Literal["object", "seconds", "minutes", "milliseconds", "text", "null", "absent"]

LIST_CONTAINERS: tuple[ListContainer, ...] = ("rows", "list", "data", "bare")
AVG_SHAPES: tuple[AvgShape, ...] = (
    "object",
    "seconds",
    "minutes",
    "milliseconds",
    "text",
    "null",
    "absent",
)
DEFAULT_AVG_SECONDS = 180.0
# As many rows as a list call can hold: every task of the kind, on one page.
WHOLE_LIST = 1_000_000


@dataclass(frozen=True)
class ListShape:
    """The shape of a list answer: where the rows go and how the total is given."""

    container: ListContainer = "rows"
    total: TotalField | None = "count"
    total_as_text: bool = False
    echo_page: bool = False


# The defaults differ by kind, as A2E's products do; image to video keeps the answer the
# emulator always gave (``list``, ``total`` and the page echoed back).
DEFAULT_LIST_SHAPES = {
    "image2video": ListShape("list", "total", echo_page=True),
    "avatar_video": ListShape("list", "total"),
}


@dataclass(frozen=True)
class AvgTime:
    """What ``avgProcessingTime`` answers for one kind."""

    seconds: float = DEFAULT_AVG_SECONDS
    shape: AvgShape = "object"


def list_answer(
    shape: ListShape, rows: list[dict[str, object]], total: int, page: tuple[int, int]
) -> Answer:
    """One page of rows in ``shape``; ``page`` is the (number, size) asked for."""
    if shape.container == "bare":
        bare: list[object] = list(rows)
        return Answer(bare)
    if shape.container == "data":
        return success(rows)
    if shape.container == "data_text":
        return success("no records")
    body: dict[str, object] = {"rows" if shape.container != "list" else "list": rows}
    if shape.container == "rows_object":
        body["rows"] = {str(index): row for index, row in enumerate(rows)}
    if shape.total is not None:
        body[shape.total] = str(total) if shape.total_as_text else total
    if shape.echo_page:
        body |= {"pageNum": page[0], "pageSize": page[1]}
    return success(body)


def with_repeats(rows: list[dict[str, object]], copies: dict[str, int]) -> list[dict[str, object]]:
    """``rows`` with each row whose ``_id`` is in ``copies`` repeated that many times in all."""
    repeated: list[dict[str, object]] = []
    for row in rows:
        repeated += [row] * max(1, copies.get(str(row.get("_id")), 1))
    return repeated


def avg_answer(avg: AvgTime, method: str, path: str) -> Answer | Response:
    """The ``avgProcessingTime`` answer in ``avg.shape``."""
    seconds = _plain(avg.seconds)
    data: dict[AvgShape, object] = {
        "object": {"avg_time": seconds},
        "seconds": seconds,
        "minutes": {"avg_minutes": _plain(avg.seconds / 60)},
        "milliseconds": {"avg_ms": _plain(avg.seconds * 1000)},
        "text": str(seconds),
        "null": None,
    }
    if avg.shape == "absent":
        return express_not_found(method, path)
    return success(data[avg.shape])


def _plain(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(value, 3)
