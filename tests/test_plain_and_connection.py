"""API text shown literally in Markdown, and which server and token a page uses (no Streamlit)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from a2e.api.servers import CHINA_SERVER, GLOBAL_SERVER
from a2e.core.model import Task, TaskOutcome
from a2e.ui.connection_model import (
    CUSTOM_CHOICE,
    DEMO_CHOICE,
    Connection,
    TokenSource,
    default_choice,
    server_token_applies,
)
from a2e.ui.plain import plain
from a2e.views.export import tasks_to_csv

TOKEN = "sk_live_4f9c2b7e1a3d5f6a8b0c9d2e4f6a8b0c"
EMULATOR = "http://127.0.0.1:9000"
STATIC = "http://localhost:8501/app/static/demo/"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("**x**", r"\*\*x\*\*"),
        ("[a](javascript:alert(1))", r"\[a\]\(javascript\:alert\(1\)\)"),
        (":red[x]", r"\:red\[x\]"),
        ("$x$", r"\$x\$"),
        ("<img src=x>", r"\<img src\=x\>"),
        ("# heading", r"\# heading"),
        ("_x_ and `code`", r"\_x\_ and \`code\`"),
        ("~~gone~~ | cell", r"\~\~gone\~\~ \| cell"),
        ("1. item", r"1\. item"),
        (r"back\slash", r"back\\slash"),
        ("face not detected", "face not detected"),
    ],
)
def test_markdown_in_api_text_is_escaped_so_it_shows_literally(text, shown):
    assert plain(text) == shown


def test_line_breaks_and_control_characters_become_spaces():
    assert plain("a\nb\tc\x1bd") == "a b c d"


def test_non_text_values_are_shown_as_text():
    assert plain(502) == "502"
    assert plain(None) == "None"


def test_text_longer_than_the_limit_is_cut_to_the_limit_with_an_ellipsis():
    assert plain("abcdef", limit=4) == "abc…"
    assert plain("a" * 501) == "a" * 499 + "…"


def test_text_exactly_at_the_limit_is_kept_whole():
    assert plain("abcd", limit=4) == "abcd"
    assert plain("a" * 500) == "a" * 500


def test_the_limit_counts_characters_before_escaping():
    assert plain("**bold**", limit=3) == r"\*\*…"


def demo_connection() -> Connection:
    return Connection(
        base_url=EMULATOR,
        token=TOKEN,
        source=TokenSource.DEMO,
        media_prefix=f"{EMULATOR}/media/",
        media_replacement=STATIC,
    )


def test_demo_media_urls_are_served_from_the_dashboard_itself():
    url = demo_connection().media_url(f"{EMULATOR}/media/videos/a.mp4")
    assert url == "http://localhost:8501/app/static/demo/videos/a.mp4"


@pytest.mark.parametrize(
    "url",
    [
        "https://cdn.example.com/out.mp4",
        f"https://cdn.example.com/?next={EMULATOR}/media/a.mp4",
        f"{EMULATOR}/other/a.mp4",
        "",
        None,
    ],
)
def test_only_urls_that_start_with_the_demo_media_prefix_are_rewritten(url):
    assert demo_connection().media_url(url) == url


def test_a_connection_without_a_media_prefix_leaves_urls_alone():
    connection = Connection(GLOBAL_SERVER, TOKEN, TokenSource.VIEWER)
    assert connection.media_url(f"{EMULATOR}/media/a.mp4") == f"{EMULATOR}/media/a.mp4"


def test_the_token_never_shows_in_the_connection_repr():
    connection = Connection(GLOBAL_SERVER, TOKEN, TokenSource.SERVER)
    assert TOKEN not in repr(connection)
    assert TOKEN not in str(connection)
    assert repr(connection) == (
        "Connection(base_url='https://video.a2e.ai', source=<TokenSource.SERVER: 'server'>, "
        "media_prefix=None, media_replacement=None, scope=<AddressScope.ANY: 'any'>)"
    )


def test_only_the_built_in_emulator_connection_is_a_demo():
    assert demo_connection().is_demo is True
    assert Connection(GLOBAL_SERVER, TOKEN, TokenSource.VIEWER).is_demo is False
    assert Connection(GLOBAL_SERVER, TOKEN, TokenSource.SERVER).is_demo is False


@pytest.mark.parametrize(
    ("configured", "has_server_token", "choice"),
    [
        (None, False, DEMO_CHOICE),
        ("", False, DEMO_CHOICE),
        (None, True, "Global"),
        ("https://video.a2e.ai", False, "Global"),
        ("  https://video.a2e.ai/  ", True, "Global"),
        ("https://video.a2e.com.cn/", True, "China"),
        ("https://a2e-proxy.example.com", True, CUSTOM_CHOICE),
        ("http://video.a2e.ai", False, CUSTOM_CHOICE),
    ],
)
def test_the_page_opens_on_the_configured_server_or_else_by_whether_a_token_is_set(
    configured, has_server_token, choice
):
    assert default_choice(configured, has_server_token) == choice


def test_a_configured_url_that_is_not_a_url_opens_on_the_custom_choice():
    assert default_choice("video.a2e.ai", True) == CUSTOM_CHOICE


@pytest.mark.parametrize(
    ("chosen", "configured_for", "applies"),
    [
        (GLOBAL_SERVER, GLOBAL_SERVER, True),
        ("https://video.a2e.ai/", " https://video.a2e.ai", True),
        (CHINA_SERVER, GLOBAL_SERVER, False),
        ("http://video.a2e.ai", GLOBAL_SERVER, False),
        ("https://video.a2e.ai.evil.example", GLOBAL_SERVER, False),
        ("https://video.a2e.ai/other", GLOBAL_SERVER, False),
        (GLOBAL_SERVER, "https://a2e-proxy.example.com", False),
    ],
)
def test_a_server_token_is_only_sent_to_the_server_it_was_configured_for(
    chosen, configured_for, applies
):
    assert server_token_applies(chosen, configured_for) is applies


def test_a_chosen_url_that_is_not_http_is_refused_rather_than_matched():
    with pytest.raises(ValueError, match="is http:// or https:// and a host"):
        server_token_applies("ftp://video.a2e.ai", GLOBAL_SERVER)


def test_plain_text_never_becomes_an_autolink():
    escaped = plain("see https://evil.example/a, www.evil.example or foo@bar.example")
    assert "://" not in escaped.replace("\\", "")
    assert "www." not in escaped.replace("\\", "")
    assert "o@b" not in escaped.replace("\\", "")
    assert escaped.replace("\\", "").replace("\u200b", "") == (
        "see https://evil.example/a, www.evil.example or foo@bar.example"
    )


def test_a_share_link_opens_on_the_server_it_names():
    assert default_choice(None, False, link_server="china") == "China"
    assert default_choice(None, True, link_server="GLOBAL") == "Global"


def test_a_share_link_never_opens_on_the_demo():
    assert default_choice(None, False, shared_ids=True) == "Global"
    assert default_choice(None, False) == "Demo"


def test_a_share_link_cannot_name_a_custom_url():
    assert default_choice(None, False, link_server="http://10.0.0.1", shared_ids=True) == "Global"


def test_demo_tasks_are_shown_and_exported_with_the_dashboards_own_media_links():
    connection = Connection(
        "http://127.0.0.1:9999",
        TOKEN,
        TokenSource.DEMO,
        media_prefix="http://127.0.0.1:9999/media/",
        media_replacement="https://dash.example/app/static/demo/",
    )
    task = Task(
        id="67d29023dd27a536fdf6e809",
        kind="image2video",
        outcome=TaskOutcome.COMPLETED,
        image_url="http://127.0.0.1:9999/media/source-1.png",
        result_url="http://127.0.0.1:9999/media/result-1.mp4",
    )
    shown = connection.as_browser_sees(task)
    assert shown.image_url == "https://dash.example/app/static/demo/source-1.png"
    assert "https://dash.example/app/static/demo/result-1.mp4" in tasks_to_csv([shown])
    assert "127.0.0.1:9999" not in tasks_to_csv([shown])
    images = replace(
        task, result_urls=("http://127.0.0.1:9999/media/image-1.png", "https://x.example/b.png")
    )
    assert connection.as_browser_sees(images).result_urls == (
        "https://dash.example/app/static/demo/image-1.png",
        "https://x.example/b.png",
    )
