"""The "Auto" kind: ids not found as the likeliest kind are asked as the others, within a cap."""

from __future__ import annotations

from a2e.cache.fetch import TaskCache
from a2e.core.kinds import KINDS
from a2e.core.model import LookupCause, Task, TaskOutcome, lookup_error
from a2e.views.auto_kind import (
    KIND_ORDER,
    MAX_SEARCH_CALLS,
    Asking,
    fetch_any_kind,
    likely_order,
    one_call_per_id,
    search_kinds,
)

UNKNOWN = "0123456789abcdef01234567"


def nothing_known(asked: list[tuple[str, int]]):
    def ask(kind: str, task_ids: list[str], progress: object) -> list[Task]:
        asked.append((kind, len(task_ids)))
        return [lookup_error(i, kind, "not found", LookupCause.NOT_FOUND) for i in task_ids]

    return ask


def test_each_id_is_found_as_its_own_kind_in_input_order(emulator, client, token):
    face = emulator.add_task(kind="face_swap", status="completed")
    video = emulator.add_task(status="pending")
    dubbing = emulator.add_task(kind="dubbing", status="failed")
    veo = emulator.add_task(kind="veo", status="completed")

    tasks = fetch_any_kind(TaskCache(), client, token, [face, video, dubbing, veo], max_age=0)

    assert [task.id for task in tasks] == [face, video, dubbing, veo]
    assert [task.kind for task in tasks] == ["face_swap", "image2video", "dubbing", "veo"]
    assert [task.outcome for task in tasks] == [
        TaskOutcome.COMPLETED,
        TaskOutcome.IN_PROGRESS,
        TaskOutcome.FAILED,
        TaskOutcome.COMPLETED,
    ]


def test_an_id_found_as_the_first_kind_costs_one_request(emulator, client, token):
    video = emulator.add_task(status="completed")
    emulator.clear_requests()

    fetch_any_kind(TaskCache(), client, token, [video], max_age=0)

    assert emulator.count_requests(task_id=video) == 1


def test_an_id_no_kind_knows_says_so_shortly_and_names_the_kinds_tried_in_a_note(
    emulator, client, token
):
    [task] = fetch_any_kind(TaskCache(), client, token, [UNKNOWN], max_age=0)

    assert task.outcome is TaskOutcome.LOOKUP_ERROR
    assert task.error_cause is LookupCause.NOT_FOUND
    assert task.error == f"not found as any of the {len(KINDS)} kinds tried"
    assert task.notes[-1] == "tried as " + ", ".join(kind.label for kind in KINDS.values())
    assert emulator.count_requests(task_id=UNKNOWN) == sum(
        len(kind.detail_calls) for kind in KINDS.values()
    )


def test_a_rejected_token_is_not_tried_as_other_kinds(emulator, client):
    video = emulator.add_task(status="completed")
    emulator.clear_requests()

    [task] = fetch_any_kind(TaskCache(), client, "sk_wrong", [video], max_age=0)

    assert task.error_cause is LookupCause.TOKEN
    assert emulator.count_requests(task_id=video) == 1


def test_kinds_seen_for_the_token_are_tried_first(emulator, client, token):
    cache = TaskCache()
    veo = emulator.add_task(kind="veo", status="completed")
    cache.note_kinds(token, ["nano_banana", "veo"])
    emulator.clear_requests()

    [task] = fetch_any_kind(cache, client, token, [veo], max_age=0)

    assert task.kind == "veo"
    assert [path.split("/")[3] for _, path, _ in emulator.request_log()] == [
        "userNanoBanana",
        "veoVideo",
    ]


def test_a_lookup_teaches_the_order_of_the_next_one_for_that_token_only(emulator, client, token):
    cache = TaskCache()
    first, second = (emulator.add_task(kind="sora", status="completed") for _ in range(2))
    fetch_any_kind(cache, client, token, [first], max_age=0)
    emulator.clear_requests()

    fetch_any_kind(cache, client, token, [second], max_age=0)

    assert emulator.count_requests(task_id=second) == 1
    assert cache.kinds_seen(token)[0] == "sora"
    assert cache.kinds_seen("sk_someone_else") == ()


def test_the_likely_order_puts_seen_kinds_first_and_keeps_every_kind_once():
    order = likely_order(["veo", "nope", "nano_banana", "veo"])
    assert order[:2] == ("veo", "nano_banana")
    assert sorted(order) == sorted(KINDS)


def test_the_search_stops_at_its_cap_in_calls_not_ids():
    ids = [f"{n:024x}" for n in range(100)]
    asked: list[tuple[str, int]] = []

    tasks = search_kinds(Asking(nothing_known(asked)), ids)

    assert asked[0] == (KIND_ORDER[0], 100)
    later = sum(one_call_per_id(kind, count) for kind, count in asked[1:])
    assert MAX_SEARCH_CALLS - 2 < later <= MAX_SEARCH_CALLS
    assert "the search stopped at its cap of 1,000 calls" in (tasks[-1].error or "")
    assert (tasks[0].error or "").startswith("not found as Image to video, Talking photo")


def test_a_few_ids_are_tried_as_every_kind_within_the_cap():
    asked: list[tuple[str, int]] = []

    tasks = search_kinds(Asking(nothing_known(asked)), [UNKNOWN, "f" * 24])

    assert [kind for kind, _ in asked] == list(KIND_ORDER)
    assert all(task.error and task.error.endswith(" kinds tried") for task in tasks)


def test_an_id_leaves_the_search_at_the_first_kind_that_knows_it():
    asked: list[tuple[str, list[str]]] = []

    def ask(kind: str, task_ids: list[str], progress: object) -> list[Task]:
        asked.append((kind, list(task_ids)))
        return [
            Task(i, kind, TaskOutcome.COMPLETED, status="completed")
            if (kind, i) == ("talking_photo", UNKNOWN)
            else lookup_error(i, kind, "not found", LookupCause.NOT_FOUND)
            for i in task_ids
        ]

    tasks = search_kinds(Asking(ask), [UNKNOWN, "f" * 24])

    assert tasks[0].kind == "talking_photo"
    assert all(UNKNOWN not in ids for _, ids in asked[2:])
    assert all(ids == ["f" * 24] for _, ids in asked[2:])


def test_each_pass_names_its_kind_as_it_starts():
    announced: list[tuple[str, int, int]] = []

    search_kinds(
        Asking(nothing_known([])),
        [UNKNOWN],
        order=("veo", "sora", "grok"),
        on_kind=lambda kind, place, of: announced.append((kind, place, of)),
    )

    assert announced == [("veo", 1, 3), ("sora", 2, 3), ("grok", 3, 3)]


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
