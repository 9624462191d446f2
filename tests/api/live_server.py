"""A real uvicorn server on a free loopback port, and the Chromium settings, for the browser tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

CHROMIUM = Path("/usr/bin/chromium")
# Guards against a hang, never speed tests: two shared cores run several suites at once.
HANG_SECONDS = 600
WAIT_MS = 60_000  # what a browser test waits for a page to change (Playwright's own default is 5 s)
ROOT = Path(__file__).resolve().parents[2]
# Without the background-networking flags Chromium keeps dialling out, and this machine refuses it.
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Debian chromium not installed (apt-get install chromium)"
)


@contextmanager
def live_server(ready_path: str, env: dict[str, str] | None = None) -> Iterator[str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "api.app:create_app",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=os.environ | (env or {}),
    )
    base = f"http://127.0.0.1:{port}"
    try:
        # A guard against a server that never comes up, not a speed test: on two shared cores a first start
        # can take tens of seconds.
        give_up = time.monotonic() + HANG_SECONDS
        while True:
            assert proc.poll() is None, "the server stopped before answering"
            try:
                if httpx.get(base + ready_path, timeout=HANG_SECONDS).status_code == 200:
                    break
            except httpx.TransportError:
                assert time.monotonic() < give_up, f"the server did not answer within {HANG_SECONDS} s"
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=HANG_SECONDS)


def launch_chromium(pw: Any) -> Any:
    """Debian's Chromium through Playwright (no downloaded browser)."""
    return pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, chromium_sandbox=False)
