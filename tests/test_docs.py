"""The README documents every setting, every CLI option and every task kind (or a test fails)."""

from __future__ import annotations

from pathlib import Path

import pytest

from a2e.cli import recent, status
from a2e.core.kinds import KINDS
from a2e.ui.recent_query import QUERY_KEYS
from a2e.ui.sidebar import ALLOW_CUSTOM_SETTING, BASE_URL_SETTING, TOKEN_SETTING

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()


@pytest.mark.parametrize("setting", [TOKEN_SETTING, BASE_URL_SETTING, ALLOW_CUSTOM_SETTING])
def test_every_setting_is_documented(setting):
    assert f"| `{setting}` |" in README


@pytest.mark.parametrize(
    "option", [opt for param in status.params for opt in param.opts if opt.startswith("--")]
)
def test_every_cli_option_is_documented(option):
    assert f"`{option}" in README


def readme_section(heading: str) -> str:
    """The README's text from ``heading`` to the next heading of any level."""
    start = README.index(heading)
    ends = [README.find("\n#", start + len(heading)), len(README)]
    return README[start : min(end for end in ends if end >= 0)]


@pytest.mark.parametrize(
    "option", [opt for param in recent.params for opt in param.opts if opt.startswith("--")]
)
def test_every_recent_option_is_documented_in_its_own_section(option):
    assert f"`{option}" in readme_section("### `python -m a2e recent`")


@pytest.mark.parametrize("parameter", QUERY_KEYS)
def test_every_recent_url_parameter_is_documented_in_its_own_section(parameter):
    assert f"| `{parameter}` |" in readme_section("## The Recent page")


def test_the_overviews_windows_are_documented():
    assert "`?window=24h|7d|30d`" in readme_section("## The Overview")


@pytest.mark.parametrize("kind", KINDS.values(), ids=lambda kind: kind.key)
def test_every_task_kind_is_documented(kind):
    assert kind.label.split(" (")[0].lower() in README.lower()


def test_the_readme_gives_the_two_commands_ci_runs():
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text()
    assert "./scripts/dashboard" in README
    assert "./scripts/test" in README
    assert "scripts/test" in ci
