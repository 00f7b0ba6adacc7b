"""A task's results, whatever shape its record gives them in, and what each link holds."""

from __future__ import annotations

import pytest

from a2e.api.records import task_from_data
from a2e.core.kinds import get_kind
from a2e.core.media import file_name, media_type
from a2e.core.model import MAX_RESULT_URLS, Task, TaskOutcome
from a2e.core.result_links import first_image, result_links

TASK_ID = "67d29023dd27a536fdf6e809"
CDN = "https://cdn.example.com"


def read(kind: str, **fields: object) -> Task:
    record = {"_id": TASK_ID, "current_status": "completed", **fields}
    return task_from_data(get_kind(kind), TASK_ID, record, None)


def test_one_result_link_is_the_result_url_as_before():
    task = read("image2video", image_url=f"{CDN}/in.png", result_url=f"{CDN}/out.mp4")
    assert task.result_urls == (f"{CDN}/out.mp4",)
    assert task.result_url == f"{CDN}/out.mp4"
    assert task.image_url == f"{CDN}/in.png"


@pytest.mark.parametrize(
    "field", ["result_url", "result_urls", "result_images", "output", "image_urls", "images"]
)
def test_several_images_are_every_link_of_a_list_in_order(field):
    links = [f"{CDN}/1.png", f"{CDN}/2.png", f"{CDN}/3.png"]
    task = read("nano_banana", **{field: links})
    assert task.result_urls == tuple(links)
    assert task.result_url == links[0]


def test_result_fields_come_first_then_outputs_and_each_link_is_kept_once():
    task = read(
        "gpt_image",
        output=[f"{CDN}/b.png"],
        result_urls=[f"{CDN}/a.png", f"{CDN}/b.png"],
        video_url=f"{CDN}/not-a-result.mp4",
    )
    assert task.result_urls == (f"{CDN}/a.png", f"{CDN}/b.png")


def test_the_kinds_own_result_field_is_read_first():
    task = read(
        "product_avatar", result_url=f"{CDN}/second.png", result_image_url=f"{CDN}/first.png"
    )
    assert task.result_urls == (f"{CDN}/first.png", f"{CDN}/second.png")


def test_media_fields_count_only_when_no_result_field_holds_a_link():
    task = read("veo", result_url="", video_url=f"{CDN}/veo.mp4", source_image_url=f"{CDN}/s.png")
    assert task.result_urls == (f"{CDN}/veo.mp4",)


def test_the_kinds_source_image_is_never_a_result():
    task = read("image_edit", image_url=f"{CDN}/source.png")
    assert task.result_urls == ()
    assert task.image_url == f"{CDN}/source.png"


def test_links_in_free_text_are_never_results():
    task = read(
        "veo",
        failed_message=f"see {CDN}/log.mp4 for details",
        result="done: https://cdn.example.com/x.mp4",
        prompt=f"{CDN}/prompt.mp4",
    )
    assert task.result_urls == ()


def test_objects_with_a_url_count_and_anything_else_in_a_list_is_skipped():
    task = read(
        "flux2",
        output=[{"url": f"{CDN}/a.png"}, {"href": f"{CDN}/x.png"}, 42, None, "javascript:x"],
    )
    assert task.result_urls == (f"{CDN}/a.png",)


def test_the_number_of_results_is_bounded():
    task = read("qwen_image", result_urls=[f"{CDN}/{n}.png" for n in range(500)])
    assert len(task.result_urls) == MAX_RESULT_URLS


def test_an_overlong_result_link_is_dropped_with_a_note():
    task = read("qwen_image", result_urls=[f"{CDN}/" + "a" * 3000, f"{CDN}/ok.png"])
    assert task.result_urls == (f"{CDN}/ok.png",)
    assert task.notes == ("result_urls dropped: longer than 2,048 characters",)


def test_result_url_alone_makes_the_one_result_and_result_urls_win_when_given():
    assert Task(TASK_ID, "veo", TaskOutcome.COMPLETED, result_url="u").result_urls == ("u",)
    both = Task(TASK_ID, "veo", TaskOutcome.COMPLETED, result_url="x", result_urls=("a", "b"))
    assert (both.result_url, both.result_urls) == ("a", ("a", "b"))
    assert Task(TASK_ID, "veo", TaskOutcome.COMPLETED).result_url is None


@pytest.mark.parametrize(
    ("url", "hint", "expected"),
    [
        (f"{CDN}/a.PNG?X-Amz-Signature=abc.mp4", None, "image"),
        (f"{CDN}/a.webm", "result_image_url", "video"),
        (f"{CDN}/clip.m4a", None, "audio"),
        (f"{CDN}/file", "result_image_url", "image"),
        (f"{CDN}/file", "audio_url", "audio"),
        (f"{CDN}/file", None, "video"),
    ],
)
def test_a_links_type_is_told_by_its_extension_then_its_field(url, hint, expected):
    assert media_type(url, hint) == expected


def test_a_link_with_nothing_to_go_by_is_the_kinds_usual_result():
    assert media_type(f"{CDN}/file", default="image") == "image"
    task = Task(TASK_ID, "nano_banana", TaskOutcome.COMPLETED, result_urls=(f"{CDN}/a", f"{CDN}/b"))
    assert [link.media for link in result_links(task)] == ["image", "image"]


def test_results_are_named_for_saving_in_order_with_their_types_extension():
    urls = (f"{CDN}/a.jpeg?sig=1", f"{CDN}/b", f"{CDN}/c.wav")
    task = Task(TASK_ID, "thinksound", TaskOutcome.COMPLETED, result_urls=urls)
    assert [link.file_name for link in result_links(task)] == [
        "result-1.jpeg",
        "result-2.mp3",
        "result-3.wav",
    ]
    assert file_name(f"{CDN}/x.mp4", 4, "image") == "result-4.png"


def test_the_first_image_result_serves_as_a_thumbnail():
    task = Task(TASK_ID, "veo", TaskOutcome.COMPLETED, result_urls=(f"{CDN}/v.mp4", f"{CDN}/p.png"))
    assert first_image(task) == f"{CDN}/p.png"
    assert first_image(Task(TASK_ID, "veo", TaskOutcome.COMPLETED)) is None
