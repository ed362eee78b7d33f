"""Shared by the benchmarks: run a measurement in a fresh interpreter and read back its figures.

Each measured case runs in its own process so its imports, caches and peak RSS are its own. The
child prints one JSON object (the last line starting with ``{``); anything else it prints is ignored.
Not a benchmark itself: ``make bench`` skips files whose name starts with ``_``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def run_child(
    script: str, args: list[str], *, env: dict[str, str] | None = None, timeout: float = 600
) -> dict[str, Any]:
    """Run ``python script *args`` and return the last JSON object it printed; raise on failure."""
    done = subprocess.run(
        [sys.executable, script, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        raise RuntimeError(f"{' '.join(args)} failed (exit {done.returncode}): {' | '.join(tail)}")
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def serve_bodies(bodies: Mapping[str, tuple[bytes, str]]) -> None:
    """Serve ``{path: (body, content type)}`` on a free loopback port, printed on stdout, until stdin closes.

    Run in a process of its own, so the bodies it holds count in no measured child's peak RSS.
    """

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
            pass

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            body, content_type = bodies[self.path]
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    print(f"http://127.0.0.1:{httpd.server_address[1]}", flush=True)
    sys.stdin.read()
    httpd.shutdown()
