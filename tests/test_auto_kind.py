"""The "Auto" kind: ids not found as the first kind are asked as the others, boundedly."""

from __future__ import annotations

from a2e.cache.fetch import TaskCache
from a2e.core.kinds import KINDS
from a2e.core.model import LookupCause, Task, TaskOutcome, lookup_error
from a2e.views.auto_kind import KIND_ORDER, MAX_RETRIED_IDS, fetch_any_kind, look_up_any_kind

UNKNOWN = "0123456789abcdef01234567"


def test_each_id_is_found_as_its_own_kind_in_input_order(emulator, client, token):
    face = emulator.add_task(kind="face_swap", status="completed")
    video = emulator.add_task(status="pending")
    dubbing = emulator.add_task(kind="dubbing", status="failed")

    tasks = fetch_any_kind(TaskCache(), client, token, [face, video, dubbing], max_age=0)

    assert [task.id for task in tasks] == [face, video, dubbing]
    assert [task.kind for task in tasks] == ["face_swap", "image2video", "dubbing"]
    assert [task.outcome for task in tasks] == [
        TaskOutcome.COMPLETED,
        TaskOutcome.IN_PROGRESS,
        TaskOutcome.FAILED,
    ]


def test_an_id_found_as_the_first_kind_costs_one_request(emulator, client, token):
    video = emulator.add_task(status="completed")
    emulator.clear_requests()

    fetch_any_kind(TaskCache(), client, token, [video], max_age=0)

    assert emulator.count_requests(task_id=video) == 1


def test_an_id_no_kind_knows_says_which_kinds_were_tried(emulator, client, token):
    [task] = fetch_any_kind(TaskCache(), client, token, [UNKNOWN], max_age=0)

    assert task.outcome is TaskOutcome.LOOKUP_ERROR
    assert task.error_cause is LookupCause.NOT_FOUND
    assert (
        task.error
        == "not found as any kind (tried: " + ", ".join(kind.label for kind in KINDS.values()) + ")"
    )
    assert emulator.count_requests(task_id=UNKNOWN) == sum(
        len(kind.detail_calls) for kind in KINDS.values()
    )


def test_a_rejected_token_is_not_tried_as_other_kinds(emulator, client):
    video = emulator.add_task(status="completed")
    emulator.clear_requests()

    [task] = fetch_any_kind(TaskCache(), client, "sk_wrong", [video], max_age=0)

    assert task.error_cause is LookupCause.TOKEN
    assert emulator.count_requests(task_id=video) == 1


def test_only_the_first_hundred_unknown_ids_are_tried_as_other_kinds():
    ids = [f"{n:024x}" for n in range(MAX_RETRIED_IDS + 5)]
    asked: list[tuple[str, int]] = []

    def nothing_is_known(kind: str, task_ids: list[str], progress: object) -> list[Task]:
        asked.append((kind, len(task_ids)))
        return [lookup_error(i, kind, "not found", LookupCause.NOT_FOUND) for i in task_ids]

    tasks = look_up_any_kind(nothing_is_known, ids)

    assert asked[0] == (KIND_ORDER[0], len(ids))
    assert all(count == MAX_RETRIED_IDS for _, count in asked[1:])
    assert len(asked) == len(KIND_ORDER)
    assert "only the first 100 unknown ids" in (tasks[-1].error or "")
    assert "tried:" in (tasks[0].error or "")


def test_the_progress_counts_the_extra_requests_and_ends_at_its_total(emulator, client, token):
    face = emulator.add_task(kind="face_swap", status="completed")
    video = emulator.add_task(status="completed")
    reports: list[tuple[int, int]] = []

    fetch_any_kind(
        TaskCache(),
        client,
        token,
        [face, video],
        max_age=0,
        on_progress=lambda done, total: reports.append((done, total)),
    )

    done, total = reports[-1]
    # Two first-kind requests, then the face swap id asked as each kind up to face swap.
    assert done == total == 2 + KIND_ORDER.index("face_swap")
    assert all(d <= t for d, t in reports)
    assert [d for d, _ in reports] == sorted(d for d, _ in reports)
