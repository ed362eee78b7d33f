"""Each failure mode against a small real server on loopback: the result is typed, never a traceback."""

from __future__ import annotations

import gzip
import json
import socket
import struct
import time
from email.utils import formatdate
from typing import Any

from labs_tui.client import NO_REQUEST_ID, Client, build_request, diagnose

TOKEN = "secret-token-123"


async def _send(profile: Any, path: str, **options: Any) -> Any:
    client_options = {k: options.pop(k) for k in ("timeout", "body_cap", "max_redirects") if k in options}
    async with Client(profile, **client_options) as client:
        return await client.send(build_request(profile, method="GET", path=path, **options))


async def test_text_plain_error_is_summarised_without_request_id(
    raw_server: Any, make_profile: Any, reply: Any
) -> None:
    server = raw_server({"/t": lambda r, s: reply(s, 403, b"RBAC: access denied", content_type="text/plain")})
    result = await _send(make_profile(server.url), "/t")
    diagnosis = diagnose(result)
    assert (result.status, result.content_kind) == (403, "text")
    assert diagnosis.summary == "RBAC: access denied"
    assert diagnosis.request_id is None and diagnosis.error is None
    assert NO_REQUEST_ID.lower() in (diagnosis.hint or "").lower()


async def test_html_error_is_summarised_by_its_title(raw_server: Any, make_profile: Any, reply: Any) -> None:
    page = b"<html><head><title>502 Bad &amp; Gateway</title></head><body><h1>x</h1></body></html>"
    server = raw_server({"/h": lambda r, s: reply(s, 502, page, content_type="text/html; charset=utf-8")})
    result = await _send(make_profile(server.url), "/h")
    diagnosis = diagnose(result)
    assert result.content_kind == "html"
    assert diagnosis.summary == "502 Bad & Gateway"
    assert "server-side" in (diagnosis.hint or "").lower()
    assert NO_REQUEST_ID.lower() in (diagnosis.hint or "").lower()


async def test_invalid_json_with_json_type_says_where(raw_server: Any, make_profile: Any, reply: Any) -> None:
    server = raw_server({"/j": lambda r, s: reply(s, 200, b'{"a": 1,\n oops}')})
    result = await _send(make_profile(server.url), "/j")
    assert result.content_kind == "text"
    assert result.json is None
    assert result.json_error is not None and "line 2 column 2" in result.json_error


async def test_request_id_only_in_header(raw_server: Any, make_profile: Any, reply: Any) -> None:
    server = raw_server(
        {"/r": lambda r, s: reply(s, 500, b'{"message": "boom"}', headers=[("X-Amzn-RequestId", "amz-1")])}
    )
    diagnosis = diagnose(await _send(make_profile(server.url), "/r"))
    assert (diagnosis.request_id, diagnosis.request_id_source) == ("amz-1", "header")
    assert diagnosis.error is not None and diagnosis.error.message == "boom"
    assert diagnosis.error.request_id == "amz-1"
    assert "amz-1" in (diagnosis.hint or "")


async def test_retry_after_as_http_date(raw_server: Any, make_profile: Any, reply: Any) -> None:
    now = time.time()
    when = formatdate(now + 120, usegmt=True)
    headers = [("Retry-After", when), ("X-RateLimit-Remaining", "0"), ("X-RateLimit-Limit", "10")]
    server = raw_server({"/l": lambda r, s: reply(s, 429, b'{"message":"slow"}', headers=headers)})
    diagnosis = diagnose(await _send(make_profile(server.url), "/l"), now=now)
    assert diagnosis.retry_at is not None and abs(diagnosis.retry_at - (now + 120)) < 1.5
    assert diagnosis.retry_after_s is not None and 118 <= diagnosis.retry_after_s <= 121
    assert diagnosis.rate_limit == {"X-RateLimit-Remaining": "0", "X-RateLimit-Limit": "10"}
    assert "retry in" in (diagnosis.hint or "")


async def test_binary_body(raw_server: Any, make_profile: Any, reply: Any) -> None:
    data = b"\x89PNG\r\n\x1a\n\x00\x00\x00"
    server = raw_server({"/b": lambda r, s: reply(s, 200, data, content_type="image/png")})
    result = await _send(make_profile(server.url), "/b")
    assert (result.content_kind, result.body, result.text) == ("binary", data, None)


async def test_charset_is_honoured(raw_server: Any, make_profile: Any, reply: Any) -> None:
    server = raw_server(
        {
            "/c": lambda r, s: reply(
                s, 200, "café".encode("latin-1"), content_type="text/plain; charset=ISO-8859-1"
            )
        }
    )
    result = await _send(make_profile(server.url), "/c")
    assert result.text == "café"


async def test_big_body_is_truncated_at_the_cap(raw_server: Any, make_profile: Any, reply: Any) -> None:
    server = raw_server({"/big": lambda r, s: reply(s, 200, b"x" * 200_000, content_type="text/plain")})
    result = await _send(make_profile(server.url), "/big", body_cap=1000)
    assert result.truncated and result.size == 1000 and result.body == b"x" * 1000
    assert result.network_error is None and result.status == 200


async def test_gzip_bomb_stops_at_the_cap(raw_server: Any, make_profile: Any, reply: Any) -> None:
    bomb = gzip.compress(b"\0" * (64 * 1024 * 1024), compresslevel=9)
    assert len(bomb) < 200_000
    headers = [("Content-Encoding", "gzip")]
    server = raw_server({"/z": lambda r, s: reply(s, 200, bomb, headers=headers, content_type="text/plain")})
    result = await _send(make_profile(server.url), "/z", body_cap=100_000)
    assert result.truncated and result.size == 100_000
    assert result.body == b"\0" * 100_000


async def test_gzip_body_is_decoded(raw_server: Any, make_profile: Any, reply: Any) -> None:
    payload = json.dumps({"a": list(range(1000))}).encode()
    headers = [("Content-Encoding", "gzip")]
    server = raw_server({"/g": lambda r, s: reply(s, 200, gzip.compress(payload), headers=headers)})
    result = await _send(make_profile(server.url), "/g")
    assert result.content_kind == "json" and result.json == {"a": list(range(1000))}
    assert not result.truncated and result.size == len(payload)


def _reset_mid_body(request: Any, sock: socket.socket) -> None:
    sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 10000\r\n\r\n" + b"a" * 100)
    time.sleep(0.05)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


async def test_reset_mid_body(raw_server: Any, make_profile: Any) -> None:
    server = raw_server({"/reset": _reset_mid_body})
    result = await _send(make_profile(server.url), "/reset")
    assert result.network_error is not None and result.network_error.kind == "reset"
    assert "mid-body" in result.network_error.message
    assert result.status == 200 and result.body == b"a" * 100
    assert diagnose(result).title == "connection closed early"


async def test_redirect_loop_is_a_typed_error(raw_server: Any, make_profile: Any, reply: Any) -> None:
    server = raw_server({"/loop": lambda r, s: reply(s, 302, b"", headers=[("Location", "/loop")])})
    result = await _send(make_profile(server.url), "/loop", max_redirects=5)
    assert result.network_error is not None and result.network_error.kind == "too_many_redirects"
    assert len(server.seen) == 6
    assert result.status is None


async def test_redirect_to_another_port_drops_the_token(
    raw_server: Any, make_profile: Any, reply: Any
) -> None:
    other = raw_server({"/landing": lambda r, s: reply(s, 200, b'{"ok": true}')})
    target = f"{other.url}/landing"
    first = raw_server({"/go": lambda r, s: reply(s, 307, b"", headers=[("Location", target)])})
    result = await _send(make_profile(first.url), "/go")
    assert result.status == 200 and result.json == {"ok": True}
    assert first.seen[0].headers["authorization"] == f"Bearer {TOKEN}"
    assert "authorization" not in other.seen[0].headers
    assert result.redirects == (target,)
    assert any("Authorization not sent" in note for note in result.notes)


async def test_redirect_within_the_origin_keeps_the_token(
    raw_server: Any, make_profile: Any, reply: Any
) -> None:
    server = raw_server(
        {
            "/go": lambda r, s: reply(s, 301, b"", headers=[("Location", "/there")]),
            "/there": lambda r, s: reply(s, 200, b"{}"),
        }
    )
    result = await _send(make_profile(server.url), "/go")
    assert result.status == 200
    assert server.seen[1].headers["authorization"] == f"Bearer {TOKEN}"


async def test_redirect_to_an_allowed_host_keeps_the_token(
    raw_server: Any, make_profile: Any, reply: Any
) -> None:
    other = raw_server({"/landing": lambda r, s: reply(s, 200, b"{}")})
    first = raw_server(
        {"/go": lambda r, s: reply(s, 302, b"", headers=[("Location", f"{other.url}/landing")])}
    )
    profile = make_profile(first.url, allowed_hosts=frozenset({f"127.0.0.1:{other.port}"}))
    await _send(profile, "/go")
    assert other.seen[0].headers["authorization"] == f"Bearer {TOKEN}"


def _trickle(request: Any, sock: socket.socket) -> None:
    sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\n")
    for _ in range(100):
        sock.sendall(b"x")
        time.sleep(0.1)


async def test_slow_body_past_the_timeout(raw_server: Any, make_profile: Any) -> None:
    server = raw_server({"/slow": _trickle})
    started = time.perf_counter()
    result = await _send(make_profile(server.url), "/slow", timeout=0.5)
    assert time.perf_counter() - started < 5
    assert result.network_error is not None and result.network_error.kind == "timeout"
    assert "0.5 s" in result.network_error.message


async def test_refused_port(make_profile: Any, free_port: int) -> None:
    result = await _send(make_profile(f"http://127.0.0.1:{free_port}/labs/v1"), "/x")
    assert result.network_error is not None and result.network_error.kind == "refused"
    assert str(free_port) in result.network_error.message
    assert result.status is None and not result.ok


async def test_dns_failure_is_typed(make_profile: Any) -> None:
    result = await _send(make_profile("http://no-such-host.invalid/labs/v1"), "/x", timeout=5)
    assert result.network_error is not None
    assert result.network_error.kind in ("dns", "timeout")


async def test_token_echoed_by_the_server_is_redacted(raw_server: Any, make_profile: Any, reply: Any) -> None:
    def echo(request: Any, sock: socket.socket) -> None:
        auth = request.headers.get("authorization", "")
        reply(sock, 200, json.dumps({"auth": auth}).encode(), headers=[("X-Echo", auth)])

    server = raw_server({"/echo": echo})
    result = await _send(make_profile(server.url), "/echo")
    assert TOKEN not in repr(result)
    assert result.json == {"auth": "Bearer ***"}
    assert result.header("X-Echo") == "Bearer ***"
    assert dict(result.request.headers)["Authorization"] == "Bearer ***"


async def test_removed_header_is_not_sent_at_all(raw_server: Any, make_profile: Any, reply: Any) -> None:
    server = raw_server({"/x": lambda r, s: reply(s, 200, b"{}")})
    await _send(make_profile(server.url), "/x", headers=[("Authorization", ""), ("Accept", "")])
    seen = server.seen[0].headers
    assert "authorization" not in seen and "accept" not in seen
