"""Every kind of the catalogue against the emulator: its status, its list and its results."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from a2e.api.client import A2EClient
from a2e.api.errors import TaskNotFound
from a2e.core.kinds import KINDS, TaskKind, get_kind
from a2e.core.model import LookupCause, TaskOutcome
from a2e.core.result_links import result_links
from a2e.sandbox import Emulator
from tests.conftest import make_client

EVERY_KIND = list(KINDS.values())
UNKNOWN = "0123456789abcdef01234567"


def by_key(kind: TaskKind) -> str:
    return kind.key


@pytest.fixture(scope="module")
def still() -> Iterator[tuple[Emulator, A2EClient]]:
    """An emulator whose clock stands still (its running tasks stay running), and a client."""
    with Emulator(clock=lambda: 0.0) as emulator, make_client(emulator.base_url) as client:
        yield emulator, client


@pytest.mark.parametrize("kind", EVERY_KIND, ids=by_key)
def test_each_kind_answers_a_finished_a_running_and_a_failed_task(still, kind):
    emulator, client = still
    tasks = client.lookup_many(emulator.token, emulator.demo_ids(kind.key), kind.key)
    by_outcome = {task.outcome: task for task in tasks}
    assert set(by_outcome) == {TaskOutcome.COMPLETED, TaskOutcome.IN_PROGRESS, TaskOutcome.FAILED}
    assert by_outcome[TaskOutcome.FAILED].failed_message
    assert by_outcome[TaskOutcome.FAILED].result_urls == ()
    assert by_outcome[TaskOutcome.IN_PROGRESS].result_urls == ()
    assert all(task.kind == kind.key for task in tasks)
    completed = [task for task in tasks if task.outcome is TaskOutcome.COMPLETED]
    assert all(task.result_urls for task in completed), "a finished task without results"


@pytest.mark.parametrize("kind", EVERY_KIND, ids=by_key)
def test_each_kind_lists_its_tasks_newest_first(still, kind):
    # An emulator of its own: the session's gains tasks from other tests, past a page of 50.
    emulator, client = still
    page = client.list_tasks(emulator.token, kind.key, 1, 50)
    assert {task.id for task in page.tasks} >= set(emulator.demo_ids(kind.key))
    assert page.total == len(emulator.task_ids(kind.key))
    assert all(task.kind == kind.key for task in page.tasks)


@pytest.mark.parametrize("kind", EVERY_KIND, ids=by_key)
def test_each_kinds_results_are_of_its_usual_media(emulator, client, token, kind):
    done = client.lookup(token, emulator.demo_ids(kind.key)[0], kind.key)
    assert {link.media for link in result_links(done)} == {kind.result_media}


def test_image_kinds_answer_several_images_and_voice_kinds_audio(emulator, client, token):
    nano = client.lookup(token, emulator.demo_ids("nano_banana")[0], "nano_banana")
    voice = client.lookup(token, emulator.demo_ids("voice_clone")[0], "voice_clone")
    veo = client.lookup(token, emulator.demo_ids("veo")[0], "veo")
    assert [link.file_name for link in result_links(nano)] == [
        "result-1.png",
        "result-2.png",
        "result-3.png",
    ]
    assert [link.file_name for link in result_links(voice)] == ["result-1.wav"]
    assert [link.file_name for link in result_links(veo)] == ["result-1.mp4"]


def test_voice_training_shows_its_pendding_word_while_it_runs():
    now = [0.0]
    with Emulator(clock=lambda: now[0]) as emulator, make_client(emulator.base_url) as client:
        task_id = emulator.demo_ids("voice_clone")[1]
        seen = []
        for _ in range(4):
            task = client.lookup(emulator.token, task_id, "voice_clone")
            seen.append((task.outcome, task.status))
            now[0] += 20
    running = TaskOutcome.IN_PROGRESS
    assert seen == [
        (running, "sent"),
        (running, "pendding"),
        (running, "processing"),
        (TaskOutcome.COMPLETED, "completed"),
    ]


# Detail calls in every path style


def test_the_detail_path_styles_each_reach_the_task(emulator, client, token):
    for key in ("veo", "nano_banana", "avatar_video"):
        task_id = emulator.demo_ids(key)[0]
        emulator.clear_requests()
        assert client.lookup(token, task_id, key).outcome is TaskOutcome.COMPLETED
        path = get_kind(key).path.replace("{id}", task_id)
        assert emulator.request_log() == [("GET", path, task_id)]


def test_avatar_video_falls_back_to_aws_result_on_a_server_without_the_newer_call(
    emulator, client, token
):
    task_id = emulator.demo_ids("avatar_video")[0]
    emulator.without_call("/api/v1/video/detail")
    task = client.lookup(token, task_id, "avatar_video")
    assert (task.outcome, task.status) == (TaskOutcome.COMPLETED, "success")
    assert [(m, p) for m, p, _ in emulator.request_log()] == [
        ("GET", "/api/v1/video/detail"),
        ("POST", "/api/v1/video/awsResult"),
    ]


def test_an_id_no_detail_call_knows_is_not_found(emulator, client, token):
    task = client.lookup(token, UNKNOWN, "avatar_video")
    assert task.outcome is TaskOutcome.LOOKUP_ERROR
    assert task.error_cause is LookupCause.NOT_FOUND
    assert emulator.count_requests(task_id=UNKNOWN) == 2


# Lists in every paging style, with and without a status filter


@pytest.mark.parametrize("key", ["veo", "gpt_image", "avatar_video", "voice_clone"])
def test_page_two_holds_the_tasks_after_page_one_in_every_paging_style(
    emulator, client, token, key
):
    first = client.list_tasks(token, key, 1, 2)
    second = client.list_tasks(token, key, 2, 2)
    ids = emulator.task_ids(key)
    assert [t.id for t in first.tasks] + [t.id for t in second.tasks] == ids[:4]
    assert first.total == second.total == len(ids)


def test_an_unpaged_list_is_asked_without_paging_parameters(emulator, client, token):
    client.list_tasks(token, "voice_clone", 2, 1)
    assert emulator.request_log() == [("GET", "/api/v1/userVoice/trainingRecord", None)]


@pytest.mark.parametrize("key", ["nano_banana", "flux2", "custom_avatar"])
def test_a_list_with_a_status_filter_answers_only_that_status_with_its_total(still, key):
    emulator, client = still
    page = client.list_tasks(emulator.token, key, 1, 50, status="failed")
    assert page.status == "failed"
    assert [task.outcome for task in page.tasks] == [TaskOutcome.FAILED]
    assert page.total == 1


def test_a_list_without_a_status_filter_answers_every_task(still):
    emulator, client = still
    page = client.list_tasks(emulator.token, "veo", 1, 50, status="failed")
    assert page.status is None
    assert len(page.tasks) == 3


def test_running_is_filtered_on_the_page_even_where_the_server_filters(still):
    emulator, client = still
    page = client.list_tasks(emulator.token, "nano_banana", 1, 50, status="running")
    assert page.status is None
    assert len(page.tasks) == 3


def test_a_list_call_the_server_lacks_is_not_found(emulator, client, token):
    emulator.without_call(get_kind("veo").list_path or "")
    with pytest.raises(TaskNotFound):
        client.list_tasks(token, "veo")


def test_the_emulator_answers_the_kinds_documented_default_page_size():
    with Emulator(kinds=("gpt_image",)) as emulator:
        for _ in range(25):
            emulator.add_task(kind="gpt_image", status="completed")
        headers = {"Authorization": f"Bearer {emulator.token}"}
        with httpx.Client(base_url=emulator.base_url, headers=headers) as api:
            data = api.get("/api/v1/userGptImage/list").json()["data"]
    assert data["count"] == 28
    assert len(data["rows"]) == get_kind("gpt_image").listing.default_size == 20


# batchDetail, where documented


def batch(emulator: Emulator, token: str, kind: TaskKind, ids: list[str]) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=emulator.base_url, headers=headers) as api:
        return api.post(kind.batch_path or "/api/v1/none", json={"ids": ids})


@pytest.mark.parametrize("kind", [k for k in EVERY_KIND if k.can_batch], ids=by_key)
def test_batch_detail_answers_the_known_ids_of_its_kind_as_a_list(emulator, token, kind):
    ids = emulator.demo_ids(kind.key)
    other = emulator.demo_ids("image2video" if kind.key != "image2video" else "veo")[0]
    answer = batch(emulator, token, kind, [*ids, UNKNOWN, other])
    assert answer.status_code == 200
    assert sorted(record["_id"] for record in answer.json()["data"]) == sorted(ids)


def test_batch_detail_refuses_more_ids_than_the_kind_takes(emulator, token):
    kind = get_kind("veo")
    answer = batch(emulator, token, kind, [f"{n:024x}" for n in range((kind.batch_max or 0) + 1)])
    assert answer.status_code == 400


@pytest.mark.parametrize("kind", [k for k in EVERY_KIND if not k.can_batch], ids=by_key)
def test_kinds_without_batch_detail_have_no_such_call(emulator, token, kind):
    base = kind.detail.path.rsplit("/", 1)[0]
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=emulator.base_url, headers=headers) as api:
        answer = api.post(f"{base}/batchDetail", json={"ids": emulator.demo_ids(kind.key)})
    assert answer.status_code == 404
