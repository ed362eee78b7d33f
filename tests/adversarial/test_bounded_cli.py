"""``labs-tui call`` never floods a terminal: binary previews, bounded text and JSON, -o, --full-body.

A loopback server answers with bodies a terminal must not receive whole: NULs labelled JSON, random
bytes, megabytes of text, a hundred thousand lines, a big JSON document. Human output shows a bounded
preview and says how to get the rest; ``--json`` stays valid and bounded and says it was cut;
``-o FILE`` writes the body byte for byte and keeps it off stdout; ``--full-body`` lifts the bound.
"""

from __future__ import annotations

import json
import random
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from .conftest import assert_one_line_error, run_cli

PREVIEW = 1024 * 1024
RANDOM = random.Random(7).randbytes(300_000)
BIG_TEXT = ("a line of plain text, long enough to count " * 2 + "\n").encode() * 15_000  # ~1.3 MB
MANY_LINES = b"x\n" * 100_000
BIG_JSON = json.dumps([{"id": i, "name": "n" * 30} for i in range(26_000)]).encode()  # ~1.3 MB
BODIES: dict[str, tuple[bytes, str]] = {
    "/nul-json": (b"\x00" * 200_000, "application/json"),
    "/random": (RANDOM, "application/octet-stream"),
    "/big-text": (BIG_TEXT, "text/plain; charset=utf-8"),
    "/many-lines": (MANY_LINES, "text/plain"),
    "/big-json": (BIG_JSON, "application/json"),
    "/small-json": (b'{"ok": true}', "application/json"),
}
DOCUMENTED_KEYS = {
    "request", "status", "reason", "elapsedMs", "headers", "body", "contentKind", "requestId",
    "requestIdSource", "error", "retryAfter", "servedVersion", "hint",
}  # fmt: skip


class _Handler(BaseHTTPRequestHandler):
    seen: list[str]

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self.seen.append(self.path)
        body, content_type = BODIES[self.path]
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def server(user_dirs: Path) -> Iterator[tuple[str, list[str]]]:
    seen: list[str] = []
    handler = type("Handler", (_Handler,), {"seen": seen})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", seen
    finally:
        httpd.shutdown()
        httpd.server_close()


def call(server: tuple[str, list[str]], route: str, *extra: str) -> Result:
    url = server[0]
    result = run_cli("call", "GET", f"{url}{route}", "--base-url", url, *extra, env={"NO_COLOR": "1"})
    assert_one_line_error(result)
    return result


def as_json(result: Result) -> dict[str, Any]:
    value: dict[str, Any] = json.loads(result.stdout)
    return value


def test_nuls_labelled_json_show_a_hex_preview_not_the_body(server: Any) -> None:
    result = call(server, "/nul-json")
    assert result.exit_code == 0
    assert len(result.stdout_bytes) < 2_000
    assert "<binary body: 195.3 KB of application/json; not shown>" in result.stdout
    assert "00000000  00 00 00 00 00 00 00 00  00 00" in result.stdout
    assert "-o FILE" in result.stdout


def test_json_output_of_a_binary_body_is_a_flagged_hex_preview(server: Any) -> None:
    out = as_json(call(server, "/random", "--json"))
    assert DOCUMENTED_KEYS <= out.keys()
    assert out["contentKind"] == "binary"
    assert out["body"] == RANDOM[:64].hex()
    assert (out["bodyEncoding"], out["bodyTruncated"], out["bodySize"]) == ("hex", True, len(RANDOM))
    assert out["bodyCapped"] is False and out["bodyFile"] is None


def test_output_file_gets_the_body_byte_for_byte_and_stdout_does_not(server: Any, tmp_path: Path) -> None:
    target = tmp_path / "body.bin"
    result = call(server, "/random", "-o", str(target))
    assert result.exit_code == 0
    assert target.read_bytes() == RANDOM
    assert len(result.stdout_bytes) < 500 and "binary body" not in result.stdout
    assert f"body saved to {target}: 300,000 bytes" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["body.bin"]  # no temporary file left


def test_output_file_with_json_leaves_body_null_and_names_the_file(server: Any, tmp_path: Path) -> None:
    target = tmp_path / "big.txt"
    out = as_json(call(server, "/big-text", "--json", "--output", str(target)))
    assert target.read_bytes() == BIG_TEXT
    assert out["body"] is None and out["bodyFile"] == str(target) and out["bodySize"] == len(BIG_TEXT)


def test_output_into_a_missing_directory_is_refused_before_sending(server: Any, tmp_path: Path) -> None:
    result = call(server, "/random", "-o", str(tmp_path / "nowhere" / "x.bin"))
    assert result.exit_code == 2
    assert result.stderr.startswith("error: -o ") and "does not exist" in result.stderr
    assert server[1] == []


def test_big_text_shows_its_first_mebibyte_and_says_how_to_get_all(server: Any) -> None:
    result = call(server, "/big-text")
    assert PREVIEW <= len(result.stdout) < PREVIEW + 1_000
    assert "showing the first 1,048,576 characters" in result.stderr
    assert "-o FILE saves the whole body" in result.stderr and "--full-body" in result.stderr
    full = call(server, "/big-text", "--full-body")
    assert BIG_TEXT.decode() in full.stdout and "showing the first" not in full.stderr


def test_many_lines_are_cut_at_the_line_bound(server: Any) -> None:
    result = call(server, "/many-lines")
    assert result.stdout.count("\n") < 20_100
    assert "20,000 lines" in result.stderr


def test_json_output_of_big_text_is_valid_bounded_and_flagged(server: Any) -> None:
    out = as_json(call(server, "/big-text", "--json"))
    assert DOCUMENTED_KEYS <= out.keys()
    assert len(out["body"]) == PREVIEW and BIG_TEXT.decode().startswith(out["body"])
    assert (out["bodyEncoding"], out["bodyTruncated"], out["bodySize"]) == ("text", True, len(BIG_TEXT))
    full = as_json(call(server, "/big-text", "--json", "--full-body"))
    assert full["body"] == BIG_TEXT.decode() and full["bodyTruncated"] is False


def test_json_output_of_a_big_json_body_is_a_text_preview(server: Any) -> None:
    out = as_json(call(server, "/big-json", "--json"))
    assert out["contentKind"] == "json"
    assert isinstance(out["body"], str) and len(out["body"]) == PREVIEW
    assert (out["bodyEncoding"], out["bodyTruncated"]) == ("text", True)
    full = as_json(call(server, "/big-json", "--json", "--full-body"))
    assert full["body"] == json.loads(BIG_JSON) and full["bodyEncoding"] == "json"


def test_small_json_is_unchanged_with_its_new_keys(server: Any) -> None:
    out = as_json(call(server, "/small-json", "--json"))
    assert out["body"] == {"ok": True}
    assert (out["bodyEncoding"], out["bodyTruncated"], out["bodySize"]) == ("json", False, 12)


def test_big_json_in_human_mode_is_bounded(server: Any) -> None:
    result = call(server, "/big-json")
    assert len(result.stdout) < PREVIEW + 1_000
    assert "showing the first" in result.stderr
