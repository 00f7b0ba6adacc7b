"""`python -m a2e kinds`, and the kind names every command's --kind takes."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from a2e.cli import main
from a2e.core.kinds import FAMILIES, KINDS
from tests.test_cli import run_cli

UNKNOWN = "0123456789abcdef01234567"


def test_kinds_lists_every_kind_by_family_with_its_calls():
    result = CliRunner().invoke(main, ["kinds"])
    assert result.exit_code == 0
    for family, label in FAMILIES.items():
        assert f"{label} (--kind {family})" in result.output
    for kind in KINDS.values():
        assert f"  {kind.key:<16}{kind.label}" in result.output
        assert kind.detail.path in result.output
    assert "GET /api/v1/video/detail?video_id={id}" in result.output
    assert "POST /api/v1/video/awsResult" in result.output
    assert "GET /api/v1/userVoice/trainingRecord  (no paging)" in result.output
    assert "(up to 200 ids)" in result.output


def test_kinds_as_json_gives_one_line_per_kind():
    result = CliRunner().invoke(main, ["kinds", "--json"])
    records = [json.loads(line) for line in result.output.splitlines()]
    assert [record["key"] for record in records] == list(KINDS)
    nano = next(record for record in records if record["key"] == "nano_banana")
    assert nano["list_status_filter"] is True
    assert nano["detail"] == ["GET /api/v1/userNanoBanana/detail/{id}"]


def test_a_family_looks_ids_up_as_that_familys_kinds_only(emulator, token):
    nano = emulator.add_task(kind="nano_banana", status="completed")
    emulator.clear_requests()
    result = run_cli(emulator, "--kind", "image", "--json", nano, UNKNOWN, token=token)
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert records[0]["kind"] == "nano_banana"
    assert records[1]["error"] == "not found as any of the 10 kinds tried"
    asked = {path.split("/")[3] for _, path, _ in emulator.request_log()}
    assert asked == {
        "userText2Image",
        "userNanoBanana",
        "userGptImage",
        "userFlux2",
        "userQwen2Image",
        "userKlingImage",
        "userImageEdit",
        "virtualTryOn",
        "productAvatar",
        "userPhotobook",
    }


@pytest.mark.parametrize("choice", ["all", "auto"])
def test_all_and_auto_find_a_new_kinds_task(emulator, token, choice):
    veo = emulator.add_task(kind="veo", status="completed")
    result = run_cli(emulator, "--kind", choice, "--json", veo, token=token)
    assert json.loads(result.stdout)["kind"] == "veo"


def test_an_unknown_kind_names_the_known_ones(emulator, token):
    result = run_cli(emulator, "--kind", "veo3", UNKNOWN, token=token)
    assert result.returncode == 2
    assert "'veo3' is not one of" in result.stderr
    assert all(name in result.stderr for name in ("'auto'", "'video'", "'veo'", "'nano_banana'"))
