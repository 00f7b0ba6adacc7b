"""Take the README's screenshots of the demo, in a 1280 px wide window.

    .venv/bin/python scripts/screenshot.py [docs/]

Starts `streamlit run app.py` (no token: the demo) on a free loopback port, opens it in
Debian's Chromium (/usr/bin/chromium) with Playwright, and saves docs/screenshot.png (the
Recent page: the demo account's newest tasks), docs/lookup.png (Lookup: ids of every kind, the
Reason column) and docs/overview.png (the Overview of the last 7 days).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from playwright.sync_api import Browser, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# (path, a text to wait for, file name, rows to scroll the first table by: to a failure's reason)
SHOTS = (
    ("/recent?size=20", "Demo data.", "screenshot.png", 3),
    ("/", "Demo data.", "lookup.png", 0),
    ("/overview?window=7d", "Running tasks (", "overview.png", 0),
)
WINDOW = {"width": 1280, "height": 1250}


def shoot(browser: Browser, url: str, wait_for: str, path: Path, rows: int) -> None:
    """One page, once its tables, charts, thumbnails and fonts are drawn; the first table
    scrolled down ``rows`` rows inside itself (its header stays)."""
    page = browser.new_page(viewport=WINDOW)
    page.goto(url)
    page.get_by_text(wait_for).first.wait_for(timeout=60_000)
    grid = page.locator('[data-testid="stDataFrame"] canvas').first
    grid.wait_for(timeout=60_000)
    page.evaluate("document.fonts.ready.then(() => true)")
    page.wait_for_timeout(3000)  # thumbnails and charts
    box = grid.bounding_box()
    if rows and box is not None:
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.mouse.wheel(0, rows * 76)
        page.wait_for_timeout(1000)
    page.screenshot(path=str(path))
    page.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs"
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("A2E_")}
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)  # noqa: S603
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                if httpx.get(f"{url}/_stcore/health").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            for path, wait_for, name, rows in SHOTS:
                shoot(browser, f"{url}{path}", wait_for, out / name, rows)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"saved {', '.join(shot[2] for shot in SHOTS)} in {out}")


if __name__ == "__main__":
    main()
