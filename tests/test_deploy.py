"""The deployment recipe in deploy/: nginx's configuration and the compose file, as far as this
machine can check them (no container engine here: the compose file is parsed, not run)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx
import yaml
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from a2e.sandbox.server import BackgroundServer
from tests.deploy_nginx import Nginx, check_config, local_config, require_nginx

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"


def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def test_nginx_accepts_the_configuration(tmp_path):
    require_nginx()
    result = check_config(local_config(tmp_path, [18501, 18502]))
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr


def test_nginx_keeps_a_browser_on_one_replica_and_carries_the_websocket():
    text = (DEPLOY / "nginx.conf").read_text()
    assert "hash $a2e_replica consistent;" in text
    assert "default $cookie_a2e_replica;" in text
    assert "proxy_set_header Upgrade $http_upgrade;" in text
    assert "location = /_stcore/health" in text


@contextmanager
def replicas_that_log(
    seen: list[tuple[str, str]], hosts: list[str] | None = None
) -> Iterator[list[int]]:
    """Two stand-in replicas on loopback that answer anything and log what reached them (and,
    into ``hosts``, the Host each request named)."""

    async def anything(request: Request) -> PlainTextResponse:
        seen.append((request.method, request.url.path))
        if hosts is not None:
            hosts.append(request.headers.get("host", ""))
        return PlainTextResponse("replica")

    app = Starlette(routes=[Route("/{path:path}", anything, methods=["GET", "POST"])])
    with ExitStack() as stack:
        servers = [BackgroundServer(app, "127.0.0.1", 0) for _ in range(2)]
        ports = [server.start() for server in servers]
        for server in servers:
            stack.callback(server.stop)
        yield ports


def test_the_hooks_port_publishes_post_hooks_a2e_and_nothing_else(tmp_path):
    require_nginx()
    seen: list[tuple[str, str]] = []
    with replicas_that_log(seen) as ports:
        nginx = Nginx(tmp_path, ports).start()
        try:
            hooks = httpx.Client(base_url=nginx.hooks_url, timeout=10)
            posted = hooks.post("/hooks/a2e", json={"_id": "67d29023dd27a536fdf6e809"})
            seen_after_post = list(seen)
            others = [
                hooks.get("/hooks/a2e").status_code,
                hooks.get("/").status_code,
                hooks.get("/_stcore/health").status_code,
                hooks.post("/hooks/a2e/x").status_code,
                hooks.post("/metrics").status_code,
                hooks.post("/hooks/a2e", content=b"x" * 70_000).status_code,
            ]
            hooks.close()
        finally:
            nginx.stop()
    assert posted.status_code == 200
    assert seen_after_post[-1] == ("POST", "/hooks/a2e")
    assert others == [403, 404, 404, 404, 404, 413]
    assert seen == seen_after_post  # none of the others reached a replica


def test_the_hooks_port_passes_the_public_name_on_for_the_allowed_hosts_check(tmp_path):
    require_nginx()
    seen: list[tuple[str, str]] = []
    hosts: list[str] = []
    with replicas_that_log(seen, hosts) as ports:
        nginx = Nginx(tmp_path, ports).start()
        try:
            headers = {"Host": "hooks.example.com"}
            with httpx.Client(base_url=nginx.hooks_url, timeout=10) as hooks:
                posted = hooks.post("/hooks/a2e", json={"_id": "a" * 24}, headers=headers)
        finally:
            nginx.stop()
    assert posted.status_code == 200
    assert hosts[-1] == "hooks.example.com"  # (the start-up check named loopback)


def test_compose_runs_two_replicas_on_one_redis_behind_nginx():
    services = compose()["services"]
    assert set(services) == {"app1", "app2", "redis", "nginx", "watcher"}
    for name in ("app1", "app2"):
        app = services[name]
        assert app["build"] == {"context": "..", "dockerfile": "deploy/Dockerfile"}
        assert app["environment"]["A2E_CACHE_URL"].endswith("@redis:6379/0")
        assert "A2E_CACHE_SECRET" in app["environment"]
        assert app["environment"]["A2E_METRICS"] == "1"
        assert app["depends_on"]["redis"]["condition"] == "service_healthy"
    assert services["nginx"]["volumes"] == ["./nginx.conf:/etc/nginx/nginx.conf:ro"]
    assert services["nginx"]["ports"] == ["8080:8080", "8081:8081"]
    assert services["app1"]["environment"]["A2E_WEBHOOK_TOKEN"].startswith("${A2E_WEBHOOK_TOKEN")
    assert services["nginx"]["depends_on"]["app1"]["condition"] == "service_healthy"
    assert "volatile-lru" in services["redis"]["command"]


def test_the_watcher_runs_beside_the_replicas_sharing_their_state_volume():
    services = compose()["services"]
    watcher = services["watcher"]
    assert watcher["command"][:3] == ["python", "-m", "a2e"]
    assert watcher["command"][3] == "watch"
    state = watcher["command"][watcher["command"].index("--state") + 1]
    assert watcher["volumes"] == ["watch-state:/var/lib/a2e"]
    assert state.startswith("/var/lib/a2e/")
    for name in ("app1", "app2"):
        assert services[name]["volumes"] == ["watch-state:/var/lib/a2e"]
        assert services[name]["environment"]["A2E_HISTORY"] == state
    assert "watch-state" in compose()["volumes"]
    assert "chown dashboard /var/lib/a2e" in (DEPLOY / "Dockerfile").read_text()


def test_every_setting_the_compose_file_needs_is_in_the_example_env():
    example = (DEPLOY / "env.example").read_text()
    for setting in ("A2E_API_TOKEN", "A2E_CACHE_SECRET", "REDIS_PASSWORD", "A2E_NOTIFY"):
        assert f"\n{setting}=" in example
    assert not (DEPLOY / ".env").exists()


def test_the_image_serves_the_dashboard_the_readme_way():
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    assert 'CMD ["streamlit", "run", "app.py"' in dockerfile
    assert "/_stcore/health" in dockerfile
    assert "USER dashboard" in dockerfile
