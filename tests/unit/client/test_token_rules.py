"""The token goes only where it was given, in a form HTTP can carry, and never shows up in an error.

Peers are loopback servers from the conftest (``raw_server``); each test asserts what reached the
server (nothing, or no Authorization) as well as what the user sees.
"""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import Mapping
from typing import Any

import pytest
from click.testing import CliRunner

from labs_tui.client import Client, build_request, redact, redact_headers, resolve_profile
from labs_tui.client.model import CallRequest, Profile
from labs_tui.client.profiles import ProfileError, token_allowed
from labs_tui.client.request import RequestError

from .conftest import Seen, respond

SECRET = "s3cret-TOKEN-value-0123456789"


def cli(*args: str, env: Mapping[str, str | None] | None = None) -> Any:
    from labs_tui.cli import main

    return CliRunner().invoke(main, list(args), env={"NO_COLOR": "1", "COLUMNS": "120", **(env or {})})


def ok(seen: Seen, sock: socket.socket) -> None:
    respond(sock, 200, b'{"ok": true}')


def one_error_line(stderr: str) -> str:
    errors = [line for line in stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, stderr
    assert "Traceback" not in stderr
    return errors[0]


# -- a token HTTP cannot carry is refused when it is read ----------------------------------------


@pytest.mark.parametrize(
    "bad",
    [
        f"{SECRET[:10]} {SECRET[10:]}",
        f"{SECRET}\x1b]0;x\x07",
        f"{SECRET}\u00e9",
        f"{SECRET[:8]}\n{SECRET[8:]}",
    ],
)
def test_cli_refuses_a_bad_token_with_one_line_that_never_echoes_it(raw_server: Any, bad: str) -> None:
    server = raw_server({"/things": ok})
    config_env = {"ASTRO_API_TOKEN": bad}
    result = cli("call", "GET", "/things", "--profile", "live", "--base-url", server.url, env=config_env)
    assert result.exit_code == 2, result.output
    line = one_error_line(result.stderr)
    assert "token" in line
    for piece in (bad, SECRET[:10], SECRET[10:], SECRET[8:]):
        assert piece not in result.stdout + result.stderr
    assert server.seen == []  # nothing was sent


def test_resolve_profile_and_build_request_refuse_a_token_with_control_characters() -> None:
    with pytest.raises(ProfileError) as caught:
        resolve_profile("live", env={"ASTRO_API_TOKEN": SECRET + "\x00"})
    assert SECRET not in str(caught.value)
    profile = Profile(name="x", base_url="https://api.example.com/", token=SECRET + "\u200f")
    with pytest.raises(RequestError) as built:
        build_request(profile, method="GET", path="/a")
    assert SECRET not in str(built.value)


def test_surrounding_whitespace_of_a_token_is_trimmed_not_refused() -> None:
    profile = resolve_profile("live", env={"ASTRO_API_TOKEN": f"  {SECRET}\n"})
    assert profile.token == SECRET


# -- errors from the HTTP stack never carry header values ----------------------------------------


def test_a_header_httpx_refuses_is_named_without_its_value(raw_server: Any) -> None:
    server = raw_server({"/a": ok})
    profile = Profile(name="x", base_url=server.url, token=SECRET)
    request = CallRequest(
        method="GET", url=server.url + "/a", headers=(("X-Custom-Auth", f"Bearer {SECRET}\x00"),)
    )

    async def go() -> Any:
        async with Client(profile, timeout=5) as client:
            return await client.send(request)

    result = asyncio.run(go())
    assert result.network_error is not None
    message = result.network_error.message
    assert "X-Custom-Auth" in message and "invalid character" in message
    assert SECRET not in message and "\\x00" not in message and "b'" not in message
    assert server.seen == []


def test_redact_catches_repr_and_json_escaped_forms_of_the_token() -> None:
    token = 'tok\x01en"é\\' + SECRET
    texts = [
        f"illegal header value {(b'Bearer ' + token.encode()).__repr__()}",
        f"value: {token!r}",
        json.dumps({"token": token}),
        json.dumps({"token": token}, ensure_ascii=False),
    ]
    for text in texts:
        shown = redact(text, [token])
        assert SECRET not in shown, shown
        assert "***" in shown


# -- a token only for a profile that names one ----------------------------------------------------


def test_a_custom_config_profile_without_token_env_sends_no_token(raw_server: Any) -> None:
    server = raw_server({"/a": ok})
    config = {"profiles": {"mine": {"base_url": server.url}}}
    profile = resolve_profile("mine", config=config, env={"ASTRO_API_TOKEN": SECRET})
    assert profile.token is None
    request = build_request(profile, method="GET", path="/a")
    assert all(name.lower() != "authorization" for name, _ in request.headers)
    named = resolve_profile(
        "mine",
        config={"profiles": {"mine": {"base_url": server.url, "token_env": "MY_TOKEN"}}},
        env={"ASTRO_API_TOKEN": "other-token-xyz", "MY_TOKEN": SECRET},
    )
    assert named.token == SECRET


def test_cli_custom_profile_sends_no_astro_token(raw_server: Any, tmp_path: Any) -> None:
    server = raw_server({"/a": ok})
    (tmp_path / "labs-tui").mkdir(exist_ok=True)
    config = tmp_path / "labs-tui" / "config.yaml"
    config.write_text(f"profiles:\n  mine:\n    base_url: {server.url}\n")
    env = {"ASTRO_API_TOKEN": SECRET, "XDG_CONFIG_HOME": str(tmp_path)}
    result = cli("call", "GET", "/a", "--profile", "mine", env=env)
    assert result.exit_code == 0, result.output
    assert server.seen and "authorization" not in server.seen[0].headers


def test_warns_when_a_token_would_cross_the_network_over_plain_http() -> None:
    from labs_tui.client.profiles import plain_http_warning

    remote = Profile(name="p", base_url="http://api.example.com/", token=SECRET)
    assert "plain http" in (plain_http_warning(remote) or "")
    assert plain_http_warning(Profile(name="p", base_url="http://127.0.0.1:9/", token=SECRET)) is None
    assert plain_http_warning(Profile(name="p", base_url="https://api.example.com/", token=SECRET)) is None
    assert plain_http_warning(Profile(name="p", base_url="http://api.example.com/")) is None


# -- never downgrade; a bare host is one origin ---------------------------------------------------


def test_bare_allowed_host_matches_only_the_base_urls_scheme_and_default_port() -> None:
    profile = Profile(
        name="p",
        base_url="https://api.example.com/",
        token=SECRET,
        allowed_hosts=frozenset({"files.example.com", "up.example.com:8443"}),
    )
    assert token_allowed(profile, "https://files.example.com/x")
    assert not token_allowed(profile, "http://files.example.com/x")
    assert not token_allowed(profile, "https://files.example.com:8443/x")
    assert token_allowed(profile, "https://up.example.com:8443/x")
    assert not token_allowed(profile, "http://up.example.com:8443/x")


def test_https_to_http_redirect_drops_the_token_even_for_an_allowed_host(raw_server: Any) -> None:
    import httpx

    server = raw_server({"/b": ok})
    target = f"{server.url}/b"

    class Redirecting(httpx.AsyncBaseTransport):
        """https://secure.test answers with a redirect to the plain-http loopback server."""

        def __init__(self) -> None:
            self.plain = httpx.AsyncHTTPTransport()

        async def handle_async_request(self, request: Any) -> Any:
            if request.url.scheme == "https":
                return httpx.Response(302, headers={"Location": target})
            return await self.plain.handle_async_request(request)

    profile = Profile(
        name="p",
        base_url="https://secure.test/",
        token=SECRET,
        allowed_hosts=frozenset({f"127.0.0.1:{server.port}", f"http://127.0.0.1:{server.port}"}),
    )
    request = build_request(profile, method="GET", path="/a")

    async def go() -> Any:
        async with Client(profile, timeout=5, transport=Redirecting()) as client:
            return await client.send(request)

    result = asyncio.run(go())
    assert result.status == 200
    assert server.seen and "authorization" not in server.seen[0].headers
    assert any("https -> http" in note for note in result.notes)


# -- userinfo in a URL ------------------------------------------------------------------------------


def test_base_url_with_userinfo_is_refused_without_echoing_the_password(raw_server: Any) -> None:
    server = raw_server({"/a": ok})
    url = f"http://user:pw-{SECRET}@127.0.0.1:{server.port}/"
    result = cli("call", "GET", "/a", "--base-url", url)
    assert result.exit_code == 2
    line = one_error_line(result.stderr)
    assert "user name or password" in line
    assert SECRET not in result.stdout + result.stderr
    assert server.seen == []
    with pytest.raises(ProfileError):
        resolve_profile("mine", config={"profiles": {"mine": {"base_url": url}}}, env={})
    absolute = cli("call", "GET", f"http://u:{SECRET}@127.0.0.1:{server.port}/a")
    assert absolute.exit_code == 2 and SECRET not in absolute.stdout + absolute.stderr
    assert server.seen == []


# -- credential response headers are masked -------------------------------------------------------


CREDENTIAL_RESPONSE = [
    ("Set-Cookie", f"session={SECRET}; Path=/; HttpOnly"),
    ("X-Auth-Token", SECRET),
    ("X-Session-Token", SECRET),
    ("X-Client-Secret", SECRET),
    ("X-Custom-Api-Key", SECRET),
    ("Proxy-Authorization", f"Basic {SECRET}"),
]


def test_redact_headers_masks_credential_response_headers() -> None:
    shown = dict(redact_headers(tuple(CREDENTIAL_RESPONSE + [("X-Request-Id", "abc-123")]), []))
    for name, _ in CREDENTIAL_RESPONSE:
        assert SECRET not in shown[name], name
    assert shown["Set-Cookie"].startswith("session=***")
    assert shown["X-Request-Id"] == "abc-123"


def test_cli_masks_credential_response_headers_in_human_and_json_output(raw_server: Any) -> None:
    def leaky(seen: Seen, sock: socket.socket) -> None:
        respond(sock, 200, b'{"ok": true}', headers=CREDENTIAL_RESPONSE)

    server = raw_server({"/a": leaky})
    for extra in ((), ("--json",)):
        result = cli("call", "GET", "/a", "--base-url", server.url, *extra)
        assert result.exit_code == 0, result.output
        assert SECRET not in result.stdout + result.stderr, extra


def test_cli_warns_once_when_the_token_goes_over_plain_http_to_another_host(free_port: int) -> None:
    # A dead proxy in front of 192.0.2.1 (TEST-NET-1): nothing leaves this machine.
    env = {"ASTRO_API_TOKEN": SECRET, "HTTP_PROXY": f"http://127.0.0.1:{free_port}", "http_proxy": None}
    result = cli("call", "GET", "/a", "--profile", "live", "--base-url", "http://192.0.2.1/", env=env)
    assert result.exit_code == 3, result.output
    warnings = [line for line in result.stderr.splitlines() if "plain http" in line]
    assert len(warnings) == 1 and warnings[0].startswith("warning:")
    assert SECRET not in result.stdout + result.stderr
