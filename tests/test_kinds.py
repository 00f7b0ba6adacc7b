"""The registry of task kinds."""

import pytest

from a2e.core.kinds import DEFAULT_KIND, KINDS, UnknownKindError, get_kind

TASK_ID = "67d29023dd27a536fdf6e809"


def test_image_to_video_is_the_default_and_uses_the_documented_path():
    kind = get_kind(DEFAULT_KIND)
    assert kind.key == "image2video"
    assert kind.method == "GET"
    assert kind.status_path(TASK_ID) == f"/api/v1/userImage2Video/{TASK_ID}"
    assert kind.status_body(TASK_ID) is None
    assert kind.status_field == "current_status"
    assert kind.result_field == "result_url"
    assert kind.failure_code_fields[0] == "failed_code"
    assert kind.failure_message_fields[0] == "failed_message"


@pytest.mark.parametrize(
    ("key", "path"),
    [
        ("talking_photo", "/api/v1/talkingPhoto/"),
        ("talking_video", "/api/v1/talkingVideo/"),
        ("custom_avatar", "/api/v1/userVideoTwin/"),
        ("dubbing", "/api/v1/userDubbing/"),
        ("caption_removal", "/api/v1/userCaptionRemoval/"),
        ("face_swap", "/api/v1/userFaceSwapTask/"),
    ],
)
def test_get_kinds_put_the_id_at_the_end_of_their_documented_path(key, path):
    assert get_kind(key).status_path(TASK_ID) == path + TASK_ID


def test_face_swap_reads_the_apis_own_spellings_first():
    kind = get_kind("face_swap")
    assert kind.failure_code_fields[0] == "error_code"
    assert kind.failure_message_fields[0] == "faild_message"


def test_avatar_video_posts_the_id_in_the_body_and_reads_a_list():
    kind = get_kind("avatar_video")
    assert (kind.method, kind.status_path(TASK_ID)) == ("POST", "/api/v1/video/awsResult")
    assert kind.status_body(TASK_ID) == {"_id": TASK_ID}
    assert kind.data_is_list
    assert (kind.status_field, kind.result_field, kind.progress_field) == (
        "status",
        "result",
        "process",
    )
    assert "success" in kind.success_words
    assert "fail" in kind.failure_words


def test_talking_video_takes_its_thumbnail_from_cover_url():
    assert get_kind("talking_video").image_fields[0] == "cover_url"


def test_every_kind_has_a_label_and_a_unique_key():
    assert all(kind.label and kind.key == key for key, kind in KINDS.items())
    assert len(KINDS) == 8


def test_an_unknown_kind_names_the_known_ones():
    with pytest.raises(UnknownKindError, match="image2video"):
        get_kind("nope")
