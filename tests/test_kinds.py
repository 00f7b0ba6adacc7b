"""The registry of task kinds: every kind of the catalogue, as rows."""

import pytest

from a2e.core.kinds import (
    DEFAULT_KIND,
    FAMILIES,
    KINDS,
    UnknownKindError,
    get_kind,
    kinds_in_family,
)

TASK_ID = "67d29023dd27a536fdf6e809"
FIRST_EIGHT = (
    "image2video",
    "talking_photo",
    "talking_video",
    "custom_avatar",
    "dubbing",
    "caption_removal",
    "face_swap",
    "avatar_video",
)
# The catalogue (shared/A2E_API.md), kind by kind: key → (family, detail path, list path).
CATALOGUE = {
    "image2video": ("video", "/api/v1/userImage2Video/", "/api/v1/userImage2Video/allRecords"),
    "talking_photo": ("video", "/api/v1/talkingPhoto/", "/api/v1/talkingPhoto/allRecords"),
    "talking_video": ("video", "/api/v1/talkingVideo/", "/api/v1/talkingVideo/allRecords"),
    "custom_avatar": ("training", "/api/v1/userVideoTwin/", "/api/v1/userVideoTwin/records"),
    "dubbing": ("voice", "/api/v1/userDubbing/", "/api/v1/userDubbing/allRecords"),
    "caption_removal": (
        "editing",
        "/api/v1/userCaptionRemoval/",
        "/api/v1/userCaptionRemoval/allRecords",
    ),
    "face_swap": ("face", "/api/v1/userFaceSwapTask/", "/api/v1/userFaceSwapTask/records"),
    "veo": ("video", "/api/v1/veoVideo/", "/api/v1/veoVideo/allRecords"),
    "sora": ("video", "/api/v1/soraVideo/", "/api/v1/soraVideo/allRecords"),
    "kling_video": ("video", "/api/v1/klingVideo/", "/api/v1/klingVideo/allRecords"),
    "kling_omni": ("video", "/api/v1/klingOmni/", "/api/v1/klingOmni/allRecords"),
    "seedance": ("video", "/api/v1/seedance2Video/", "/api/v1/seedance2Video/allRecords"),
    "seedance_15": ("video", "/api/v1/seedanceVideo/", "/api/v1/seedanceVideo/allRecords"),
    "wan": ("video", "/api/v1/userWan25/", "/api/v1/userWan25/allRecords"),
    "wan_spicy": ("video", "/api/v1/userWanSpicy/", "/api/v1/userWanSpicy/allRecords"),
    "grok": ("video", "/api/v1/grokVideo/", "/api/v1/grokVideo/allRecords"),
    "happyhorse": (
        "video",
        "/api/v1/userHappyhorseVideo/",
        "/api/v1/userHappyhorseVideo/allRecords",
    ),
    "motion_transfer": ("video", "/api/v1/motionTransfer/", "/api/v1/motionTransfer/allRecords"),
    "actor_swap": ("video", "/api/v1/actorSwap/", "/api/v1/actorSwap/allRecords"),
    "text2image": ("image", "/api/v1/userText2Image/", "/api/v1/userText2Image/allRecords"),
    "nano_banana": (
        "image",
        "/api/v1/userNanoBanana/detail/",
        "/api/v1/userNanoBanana/allRecords",
    ),
    "gpt_image": ("image", "/api/v1/userGptImage/detail/", "/api/v1/userGptImage/list"),
    "flux2": ("image", "/api/v1/userFlux2/detail/", "/api/v1/userFlux2/list"),
    "qwen_image": ("image", "/api/v1/userQwen2Image/detail/", "/api/v1/userQwen2Image/list"),
    "kling_image": ("image", "/api/v1/userKlingImage/detail/", "/api/v1/userKlingImage/list"),
    "image_edit": ("image", "/api/v1/userImageEdit/", "/api/v1/userImageEdit/allRecords"),
    "virtual_try_on": ("image", "/api/v1/virtualTryOn/", "/api/v1/virtualTryOn/allRecords"),
    "product_avatar": ("image", "/api/v1/productAvatar/", "/api/v1/productAvatar/allRecords"),
    "photobook": ("image", "/api/v1/userPhotobook/", "/api/v1/userPhotobook/allRecords"),
    "head_swap": ("face", "/api/v1/headSwap/", "/api/v1/headSwap/allRecords"),
    "voice_clone": ("voice", "/api/v1/userVoice/", "/api/v1/userVoice/trainingRecord"),
    "thinksound": ("voice", "/api/v1/thinkSound/", "/api/v1/thinkSound/allRecords"),
    "upscale": ("editing", "/api/v1/userUpscale/", "/api/v1/userUpscale/allRecords"),
}


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


def test_the_registry_holds_every_kind_of_the_catalogue_and_keeps_the_first_eight_first():
    assert set(KINDS) == set(CATALOGUE) | {"avatar_video"}
    assert tuple(KINDS)[: len(FIRST_EIGHT)] == FIRST_EIGHT


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_each_kind_asks_its_documented_detail_and_list_calls(key):
    family, detail, listing = CATALOGUE[key]
    kind = get_kind(key)
    assert kind.family == family
    assert kind.status_path(TASK_ID) == detail + TASK_ID
    assert kind.list_path == listing


def test_face_swap_reads_the_apis_own_spellings_first():
    kind = get_kind("face_swap")
    assert kind.failure_code_fields[0] == "error_code"
    assert kind.failure_message_fields[0] == "faild_message"


def test_avatar_video_asks_the_newer_detail_call_then_the_older_aws_result():
    kind = get_kind("avatar_video")
    newer, older = kind.detail_calls
    assert (newer.method, newer.target(TASK_ID)) == (
        "GET",
        f"/api/v1/video/detail?video_id={TASK_ID}",
    )
    assert (older.method, older.target(TASK_ID)) == ("POST", "/api/v1/video/awsResult")
    assert older.body(TASK_ID) == {"_id": TASK_ID}
    assert kind.data_is_list
    assert (kind.status_field, kind.result_field, kind.progress_field) == (
        "status",
        "result",
        "process",
    )
    assert "success" in kind.success_words
    assert "fail" in kind.failure_words
    assert kind.list_query(2, 10) == {"current": "2", "pageSize": "10"}


def test_talking_video_takes_its_thumbnail_from_cover_url():
    assert get_kind("talking_video").image_fields[0] == "cover_url"


def test_each_paging_style_names_its_own_parameters_as_strings():
    assert get_kind("veo").list_query(3, 50) == {"pageNum": "3", "pageSize": "50"}
    assert get_kind("gpt_image").list_query(3, 50) == {"page": "3", "page_size": "50"}
    assert get_kind("voice_clone").list_query(3, 50) == {}
    assert not get_kind("voice_clone").listing.paged


def test_a_status_filter_goes_to_the_server_only_where_the_list_takes_one():
    for key in ("nano_banana", "flux2", "custom_avatar"):
        assert get_kind(key).list_query(1, 10, "failed") == {
            **get_kind(key).list_query(1, 10),
            "status": "failed",
        }
    # Running spans several words: one call can't ask for it.
    assert "status" not in get_kind("nano_banana").list_query(1, 10, "running")
    assert get_kind("veo").list_query(1, 10, "failed") == {"pageNum": "1", "pageSize": "10"}


def test_documented_page_sizes_are_kept():
    assert get_kind("gpt_image").listing.default_size == 20
    assert get_kind("kling_omni").listing.default_size == 20
    assert get_kind("nano_banana").listing.max_size == 100
    assert get_kind("veo").listing.max_size is None


def test_batch_detail_is_known_where_documented_with_its_largest_batch():
    assert get_kind("seedance").batch_path == "/api/v1/seedance2Video/batchDetail"
    assert get_kind("qwen_image").batch_max == 200
    assert get_kind("veo").batch_max == 100
    not_stated = [key for key, kind in KINDS.items() if not kind.can_batch]
    assert sorted(not_stated) == ["avatar_video", "dubbing", "seedance_15", "voice_clone"]
    assert all(kind.batch_max is None for kind in KINDS.values() if not kind.can_batch)


def test_voice_training_counts_pendding_as_a_running_word():
    kind = get_kind("voice_clone")
    assert "pendding" in kind.running_words
    assert "pendding" not in kind.success_words | kind.failure_words


def test_product_avatar_reads_its_documented_result_image_field():
    kind = get_kind("product_avatar")
    assert (kind.result_field, kind.result_media) == ("result_image_url", "image")


def test_only_seedance_15s_detail_call_is_assumed():
    assert [key for key, kind in KINDS.items() if not kind.detail_stated] == ["seedance_15"]


def test_every_family_has_kinds_and_every_kind_a_family():
    assert all(kinds_in_family(family) for family in FAMILIES)
    assert sum(len(kinds_in_family(family)) for family in FAMILIES) == len(KINDS)
    assert kinds_in_family("face") == ["face_swap", "head_swap"]
    assert FAMILIES[get_kind("voice_clone").family] == "Voice & audio"


def test_family_keys_and_the_words_all_and_auto_never_name_a_kind():
    assert not (set(FAMILIES) | {"all", "auto"}) & set(KINDS)


def test_every_kind_has_a_label_and_a_unique_key():
    assert all(kind.label and kind.key == key for key, kind in KINDS.items())
    assert len({kind.label for kind in KINDS.values()}) == len(KINDS) == 34


def test_an_unknown_kind_names_the_known_ones():
    with pytest.raises(UnknownKindError, match=r"image2video.*nano_banana"):
        get_kind("nope")
