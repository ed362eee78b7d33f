"""Benchmark: the sandbox starting on a 10+ MB spec, and requests per second on the Labs demo.

1. Start: ``start(spec=FILE)`` on a generated JSON spec of 10+ MB until its first answered request
   (a schema-generated body for a templated path), against ``load_spec`` of the same file alone
   (the reference, same run): the sandbox's own start-up cost is the difference.
2. Throughput: sequential keep-alive ``GET /labs/v1/examples/demo`` with ``sandbox-token`` (rate
   limit off) for a few seconds, against a bare ``http.server.ThreadingHTTPServer`` answering a fixed
   JSON body on the same loopback in the same run; and the spec sandbox answering a generated,
   validated body on the large spec.

Run: ``.venv/bin/python benchmarks/sandbox.py [--operations N] [--seconds S]``. Informative only:
figures move with machine load. Target (issue 15): start <= 1.5 x load_spec; Labs demo >= 0.5 x bare.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from spec_load import make_spec

HERE = Path(__file__).resolve().parent
DATA = HERE / ".data"


class _Bare(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # as the sandbox does; else delayed ACKs cap it near 25 requests/s
    body = json.dumps({"proofOfConcept": "Labs example"}).encode()

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, format: str, *args: Any) -> None:
        return


def rate(seconds: float, call: Callable[[], int]) -> float:
    """Requests per second of ``call`` (which must return 200), sequentially, for ``seconds``."""
    for _ in range(20):  # warm-up
        assert call() == 200
    count = 0
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        assert call() == 200
        count += 1
    return count / (time.perf_counter() - started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--operations", type=int, default=8000, help="operations in the generated spec")
    parser.add_argument("--seconds", type=float, default=3.0, help="seconds per throughput figure")
    args = parser.parse_args()

    DATA.mkdir(exist_ok=True)
    cache = DATA / "sandbox-cache"
    shutil.rmtree(cache, ignore_errors=True)
    os.environ["XDG_CACHE_HOME"] = str(cache)

    import httpx

    from labs_tui.sandbox import start
    from labs_tui.spec import load_spec

    path = DATA / "sandbox-large.json"
    path.write_text(json.dumps(make_spec(args.operations), indent=1), encoding="utf-8")
    size = path.stat().st_size / 1e6
    some = f"/v1/organizations/o1/resources{args.operations // 4}/r1"

    started = time.perf_counter()
    load_spec(str(path), use_cache=False)
    loaded = time.perf_counter() - started

    started = time.perf_counter()
    handle = start(spec=load_spec(str(path), use_cache=False), rate_limit=None)
    listening = time.perf_counter() - started
    with httpx.Client(base_url=f"http://127.0.0.1:{handle.port}") as client:
        first = client.get(some, headers={"Authorization": "Bearer sandbox-token"})
        startup = time.perf_counter() - started
        assert first.status_code == 200, first.text[:200]
        spec_rps = rate(args.seconds, lambda: client.get(some).status_code)
    handle.stop()
    print(f"spec: {size:.1f} MB, {args.operations} operations")
    print(f"start to first answer: {startup * 1000:.0f} ms; load_spec alone: {loaded * 1000:.0f} ms;")
    print(f"   ratio {startup / loaded:.2f} (target <= 1.5); listening after {listening * 1000:.0f} ms")
    print("   (the first answer also waits for openapi-schema-validator's import, ~1 s cold)")
    print(f"spec sandbox, generated + validated body: {spec_rps:.0f} requests/s")

    labs = start(rate_limit=None)
    headers = {"Authorization": "Bearer sandbox-token"}
    with httpx.Client(base_url=labs.base_url, headers=headers) as client:
        labs_rps = rate(args.seconds, lambda: client.get("/examples/demo").status_code)
    labs.stop()

    bare = ThreadingHTTPServer(("127.0.0.1", 0), _Bare)
    thread = threading.Thread(target=bare.serve_forever, daemon=True)
    thread.start()
    with httpx.Client(base_url=f"http://127.0.0.1:{bare.server_address[1]}") as client:
        bare_rps = rate(args.seconds, lambda: client.get("/").status_code)
    bare.shutdown()
    bare.server_close()
    print(f"Labs demo: {labs_rps:.0f} requests/s; bare http.server: {bare_rps:.0f} requests/s;")
    print(f"   ratio {labs_rps / bare_rps:.2f} (target >= 0.5)")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    ok = startup / loaded <= 1.5 and labs_rps / bare_rps >= 0.5
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
