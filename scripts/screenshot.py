"""Take the README's screenshot: the lookup page on the demo, with table and gallery.

    .venv/bin/python scripts/screenshot.py [docs/screenshot.png]

Starts `streamlit run app.py` (no token: the demo) on a free loopback port, opens it in
Debian's Chromium (/usr/bin/chromium) with Playwright, and saves a 1400x1900 screenshot.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshot.png"
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
            page = browser.new_page(viewport={"width": 1400, "height": 1900})
            page.goto(url)
            page.get_by_text("Results (").wait_for(timeout=60_000)
            page.wait_for_function("document.querySelectorAll('video').length > 0")
            page.evaluate("document.fonts.ready.then(() => true)")
            page.wait_for_timeout(2500)  # thumbnails and first video frames
            page.screenshot(path=str(out))
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"saved {out}")


if __name__ == "__main__":
    main()
