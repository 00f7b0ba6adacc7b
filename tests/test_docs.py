"""The README documents every setting, every CLI option and every task kind (or a test fails)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from a2e.access.audit import AuditKind
from a2e.access.budgets import DEFAULT_PER_MINUTE
from a2e.api.batching import BATCH_SIZE_SETTING
from a2e.cache.stores import MAX_BYTES_SETTING, SECRET_SETTING, URL_SETTING
from a2e.cli.archive import DOWNLOADS_SETTING, archive
from a2e.cli.kinds import kinds
from a2e.cli.recent import recent
from a2e.cli.status import status
from a2e.cli.watch import NOTIFY_SETTING, WEBHOOK_SECRET_SETTING, watch
from a2e.core.kinds import KINDS
from a2e.ui.keeping import ARCHIVE_SETTING
from a2e.ui.recent_query import QUERY_KEYS
from a2e.ui.server_routes import METRICS_PATH, METRICS_SETTING
from a2e.ui.settings import (
    ALLOWED_HOSTS_SETTING,
    ALLOWED_USERS_SETTING,
    AUDIT_LOG_SETTING,
    AUTH_SECTION,
    BUDGET_SETTINGS,
    SERVER_TOKEN_FOR_SETTING,
    WEBHOOK_TOKEN_SETTING,
)
from a2e.ui.sidebar import ALLOW_CUSTOM_SETTING, BASE_URL_SETTING, TOKEN_SETTING
from a2e.watch.history import HISTORY_SETTING
from a2e.watch.messages import DASHBOARD_URL_SETTING

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()


CACHE_AND_METRICS_SETTINGS = [URL_SETTING, SECRET_SETTING, MAX_BYTES_SETTING, METRICS_SETTING]


@pytest.mark.parametrize(
    "setting",
    [
        TOKEN_SETTING,
        BASE_URL_SETTING,
        ALLOW_CUSTOM_SETTING,
        SERVER_TOKEN_FOR_SETTING,
        f"[{AUTH_SECTION}]",
        ALLOWED_USERS_SETTING,
        ALLOWED_HOSTS_SETTING,
        *BUDGET_SETTINGS.values(),
        AUDIT_LOG_SETTING,
        *CACHE_AND_METRICS_SETTINGS,
        HISTORY_SETTING,
        DASHBOARD_URL_SETTING,
        NOTIFY_SETTING,
        WEBHOOK_SECRET_SETTING,
        ARCHIVE_SETTING,
        DOWNLOADS_SETTING,
        WEBHOOK_TOKEN_SETTING,
        BATCH_SIZE_SETTING,
    ],
)
def test_every_setting_is_documented(setting):
    assert f"| `{setting}` |" in README


@pytest.mark.parametrize("budget", BUDGET_SETTINGS, ids=str)
def test_every_budget_is_documented_with_its_default(budget):
    row = next(
        line for line in README.splitlines() if line.startswith(f"| `{BUDGET_SETTINGS[budget]}`")
    )
    assert f"(default {DEFAULT_PER_MINUTE[budget]:,})" in row


@pytest.mark.parametrize("kind", AuditKind, ids=str)
def test_every_kind_of_audit_line_is_documented(kind):
    team_section = README.split("## Deploying for a team", 1)[1].split("\n## ", 1)[0]
    assert kind.value.replace("_", " ") in team_section


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


def readme_section(heading: str) -> str:
    """The README's text from ``heading`` to the next heading of any level."""
    start = README.index(heading)
    ends = [README.find("\n#", start + len(heading)), len(README)]
    return README[start : min(end for end in ends if end >= 0)]


@pytest.mark.parametrize(
    "option", [opt for param in recent.params for opt in param.opts if opt.startswith("--")]
)
def test_every_recent_option_is_documented_in_its_own_section(option):
    assert f"`{option}" in readme_section("### `./scripts/a2e recent`")


@pytest.mark.parametrize(
    "option", [opt for param in archive.params for opt in param.opts if opt.startswith("--")]
)
def test_every_archive_option_is_documented_in_its_own_section(option):
    assert f"`{option}" in readme_section("### `./scripts/a2e archive`")


def test_keeping_results_has_its_figures():
    figures = readme_section("### Figures")
    assert "curl" in figures
    assert "first byte" in figures


@pytest.mark.parametrize("parameter", QUERY_KEYS)
def test_every_recent_url_parameter_is_documented_in_its_own_section(parameter):
    assert f"| `{parameter}` |" in readme_section("## The Recent page")


def test_the_overviews_windows_are_documented():
    assert "`?window=24h|7d|30d`" in readme_section("## The Overview")


@pytest.mark.parametrize("kind", KINDS.values(), ids=lambda kind: kind.key)
def test_every_task_kind_has_its_row_in_the_kinds_table(kind):
    table = readme_section("### Task kinds")
    assert f"| {kind.label} | `{kind.key}` |" in table


@pytest.mark.parametrize(
    "option", [opt for param in kinds.params for opt in param.opts if opt.startswith("--")]
)
def test_every_kinds_option_is_documented_in_its_own_section(option):
    assert f"`{option}" in readme_section("### `./scripts/a2e kinds`")


def test_the_readme_gives_the_two_commands_ci_runs():
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text()
    assert "./scripts/dashboard" in README
    assert "./scripts/test" in README
    assert "scripts/test" in ci


@pytest.mark.parametrize(
    "option", [opt for param in watch.params for opt in param.opts if opt.startswith("--")]
)
def test_every_watch_option_is_documented_in_its_own_section(option):
    assert f"`{option}" in readme_section("### `./scripts/a2e watch`")


def test_the_notifications_section_shows_slack_and_a_verified_signed_webhook():
    section = README.split("## Notifications", 1)[1].split("\n## ", 1)[0]
    assert '--notify "slack://' in section
    assert "webhook+https://" in section
    assert 'Webhook(os.environ["A2E_NOTIFY_WEBHOOK_SECRET"])' in section
    assert ".verify(body, headers)" in section
    assert "`a2e.watch.pokes.poke(state_path, ids, kind)`" in section


def test_every_command_line_example_runs_through_the_wrapper_that_works_on_a_fresh_machine():
    examples = "\n".join(README.split("```")[1::2])
    assert "./scripts/a2e status" in examples
    assert re.findall(r"^\$? ?python -m a2e (?:status|recent|watch)", examples, re.M) == []
    assert (Path(__file__).resolve().parents[1] / "scripts" / "a2e").stat().st_mode & 0o111


def test_the_readme_says_how_to_choose_the_dashboards_port_and_where_audit_lines_go():
    assert "./scripts/dashboard --server.port" in README
    assert "the terminal that runs" in readme_section("## Deploying for a team")
