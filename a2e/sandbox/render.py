"""How a stored task looks on the wire, in its kind's field names and order.

The image-to-video shape mirrors the docs' example answer field for field; other kinds follow
the same pattern with the names the registry gives them. Status answers keep exactly the
docs' fields; rows of a list call add ``updatedAt`` (and face swap's ``initialized_time``,
``processing_time`` and ``completed_time``).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from a2e.sandbox.tasks import MediaFile, StoredTask

Record = dict[str, object]
PROCESSING_DELAY = timedelta(seconds=5)


def iso_millis(when: datetime) -> str:
    """``when`` as ISO-8601 UTC with milliseconds and a ``Z``: 2025-03-13T07:58:27.863Z."""
    utc = when.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def wire_value(value: object, media_base: str) -> object:
    """A stored value as JSON: media files become URLs, datetimes become ISO text."""
    if isinstance(value, MediaFile):
        return f"{media_base}/{value.name}"
    if isinstance(value, tuple):
        return [wire_value(item, media_base) for item in value]
    if isinstance(value, datetime):
        return iso_millis(value)
    return value


def render_record(task: StoredTask, elapsed: float, media_base: str) -> Record:
    """The task's record as the API would answer it at ``elapsed`` seconds."""
    if task.kind.data_is_list:
        record = _avatar_video_record(task, elapsed)
    else:
        record = _status_record(task, elapsed)
    record.update(task.overrides)
    return {key: wire_value(value, media_base) for key, value in record.items()}


def render_list_row(task: StoredTask, elapsed: float, media_base: str, anchor: datetime) -> Record:
    """The task as a list call answers it: its status record plus when it last changed."""
    record = render_record(task, elapsed, media_base)
    times = _times(task, elapsed, anchor)
    extra = {key: wire_value(value, media_base) for key, value in times.items()}
    return record | {key: value for key, value in extra.items() if key not in task.overrides}


def _times(task: StoredTask, elapsed: float, anchor: datetime) -> Record:
    updated = task.last_change(elapsed, anchor)
    times: Record = {"updatedAt": updated}
    if "initialized_time" in task.kind.updated_fields:  # face swap's own times (doc)
        started = task.step_at(elapsed).status not in ("initialized", "sent")
        times["initialized_time"] = task.created_at
        times["processing_time"] = task.created_at + PROCESSING_DELAY if started else ""
        times["completed_time"] = updated if task.succeeded_at(elapsed) else ""
    return times


def _status_record(task: StoredTask, elapsed: float) -> Record:
    kind = task.kind
    step = task.step_at(elapsed)
    record: Record = {"_id": task.id, "name": task.name}
    if kind.image_fields:
        record[kind.image_fields[0]] = task.image if task.image is not None else ""
    record |= {"prompt": task.prompt, "negative_prompt": task.negative_prompt}
    record[kind.status_field] = step.status
    if kind.progress_field:
        record[kind.progress_field] = step.progress if step.progress is not None else 0
    record |= {"coins": task.coins, "createdAt": task.created_at}
    record |= _failure_fields(task, elapsed)
    record[task.answered_result_field] = _result(task, elapsed)
    return record


def _avatar_video_record(task: StoredTask, elapsed: float) -> Record:
    kind = task.kind
    step = task.step_at(elapsed)
    record: Record = {"_id": task.id, "name": task.name, kind.status_field: step.status}
    if kind.progress_field:
        record[kind.progress_field] = step.progress if step.progress is not None else 0
    record[task.answered_result_field] = _result(task, elapsed)
    record |= _failure_fields(task, elapsed)
    record |= {"coins": task.coins, "createdAt": task.created_at}
    return record


def _failure_fields(task: StoredTask, elapsed: float) -> Record:
    code, message = task.failure if task.failed_at(elapsed) else ("", "")
    kind = task.kind
    fields: Record = {}
    if kind.failure_message_fields:
        fields[kind.failure_message_fields[0]] = message
    if kind.failure_code_fields:
        fields[kind.failure_code_fields[0]] = code
    return fields


def _result(task: StoredTask, elapsed: float) -> object:
    if task.succeeded_at(elapsed) and task.result is not None:
        return task.result
    return [] if isinstance(task.result, tuple) else ""
