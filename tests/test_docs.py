"""The README documents every setting, every CLI option and every task kind (or a test fails)."""

from __future__ import annotations

from pathlib import Path

import pytest

from a2e.cache.stores import MAX_BYTES_SETTING, SECRET_SETTING, URL_SETTING
from a2e.cli import status
from a2e.core.kinds import KINDS
from a2e.ui.server_routes import METRICS_PATH, METRICS_SETTING
from a2e.ui.sidebar import ALLOW_CUSTOM_SETTING, BASE_URL_SETTING, TOKEN_SETTING

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()


CACHE_AND_METRICS_SETTINGS = [URL_SETTING, SECRET_SETTING, MAX_BYTES_SETTING, METRICS_SETTING]


@pytest.mark.parametrize(
    "setting",
    [TOKEN_SETTING, BASE_URL_SETTING, ALLOW_CUSTOM_SETTING, *CACHE_AND_METRICS_SETTINGS],
)
def test_every_setting_is_documented(setting):
    assert f"| `{setting}` |" in README


def test_the_readme_documents_metrics_health_and_the_deployment_recipe():
    assert f"`{METRICS_PATH}`" in README
    assert "`/_stcore/health`" in README
    for recipe_file in ("deploy/nginx.conf", "deploy/compose.yaml", "deploy/Dockerfile"):
        assert f"`{recipe_file}`" in README
        assert (Path(__file__).resolve().parents[1] / recipe_file).exists()


@pytest.mark.parametrize(
    "option", [opt for param in status.params for opt in param.opts if opt.startswith("--")]
)
def test_every_cli_option_is_documented(option):
    assert f"`{option}" in README


@pytest.mark.parametrize("kind", KINDS.values(), ids=lambda kind: kind.key)
def test_every_task_kind_is_documented(kind):
    assert kind.label.split(" (")[0].lower() in README.lower()


def test_the_readme_gives_the_two_commands_ci_runs():
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text()
    assert "./scripts/dashboard" in README
    assert "./scripts/test" in README
    assert "scripts/test" in ci
