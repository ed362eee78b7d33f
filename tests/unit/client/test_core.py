"""Profiles, request building, diagnosis of 401/403/429, redaction and shell exports (pure parts)."""

from __future__ import annotations

import base64
import json
import shlex
import subprocess
from typing import Any

import pytest

from labs_tui.client import (
    LIVE_BASE_URL,
    CallRequest,
    CallResult,
    NetworkError,
    Profile,
    ProfileError,
    RequestError,
    build_request,
    diagnose,
    parse_retry_after,
    redact,
    resolve_profile,
    to_curl,
    to_httpie,
    token_allowed,
)

SECRET = "s3cr3t-'tok\"en$x"


def _jwt(claims: dict[str, Any]) -> str:
    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'none'})}.{part(claims)}.c2ln"


def test_default_profile_is_the_sandbox_without_a_url() -> None:
    profile = resolve_profile(env={})
    assert (profile.name, profile.is_sandbox, profile.base_url, profile.token) == (
        "sandbox",
        True,
        None,
        "sandbox-token",
    )


def test_live_reads_the_token_from_the_environment_only() -> None:
    profile = resolve_profile("live", env={"ASTRO_API_TOKEN": " abc "})
    assert (profile.base_url, profile.token) == (LIVE_BASE_URL, "abc")
    assert resolve_profile("live", env={}).token is None


def test_config_profiles_and_default() -> None:
    config = {
        "profiles": {"staging": {"base_url": "https://staging.example/labs/v1", "token_env": "STG"}},
        "default_profile": "staging",
    }
    profile = resolve_profile(config=config, env={"STG": "t"})
    assert (profile.name, profile.base_url, profile.token) == (
        "staging",
        "https://staging.example/labs/v1",
        "t",
    )
    with pytest.raises(ProfileError, match="unknown profile 'nope'; known: live, sandbox, staging"):
        resolve_profile("nope", config=config, env={})


def test_base_url_replaces_and_allows_that_host() -> None:
    profile = resolve_profile("live", base_url="http://127.0.0.1:9000/labs/v1", env={"ASTRO_API_TOKEN": "t"})
    assert profile.base_url == "http://127.0.0.1:9000/labs/v1"
    assert token_allowed(profile, "http://127.0.0.1:9000/other")
    assert not token_allowed(profile, "http://127.0.0.1:9001/labs/v1")
    assert not token_allowed(profile, "https://api.astronomer.io/labs/v1/x")
    with pytest.raises(ProfileError):
        resolve_profile("live", base_url="ftp://x", env={})


def test_build_request_fills_path_query_pin_and_auth() -> None:
    profile = Profile("p", "https://h.example/labs/v1/", token="tok")
    request = build_request(
        profile,
        method="get",
        path="/things/{id}",
        path_params={"id": "a b/c"},
        query=[("q", "1"), ("q", "2 3")],
        pin="1.0",
    )
    assert request.url == "https://h.example/labs/v1/things/a%20b%2Fc?q=1&q=2+3"
    headers = dict(request.headers)
    assert headers["Authorization"] == "Bearer tok" and headers["X-Labs-API-Version"] == "1.0"
    assert "X-Labs-API-Version" not in dict(
        build_request(profile, method="GET", path="/x", pin="latest").headers
    )
    with pytest.raises(RequestError, match="'id'"):
        build_request(profile, method="GET", path="/things/{id}")


def test_empty_header_removes_it_including_authorization() -> None:
    profile = Profile("p", "https://h.example", token="tok")
    request = build_request(profile, method="GET", path="/x", headers=[("authorization", ""), ("X-A", "1")])
    names = [name.lower() for name, _ in request.headers]
    assert "authorization" not in names and ("X-A", "1") in request.headers
    replaced = build_request(profile, method="GET", path="/x", headers=[("Accept", "text/plain")])
    assert [v for n, v in replaced.headers if n == "Accept"] == ["text/plain"]
    with pytest.raises(RequestError):
        build_request(profile, method="GET", path="/x", headers=[("X-A", "a\r\nInjected: 1")])


def test_token_is_not_attached_for_another_host() -> None:
    profile = Profile("p", "https://h.example", token="tok")
    request = build_request(profile, method="GET", path="https://elsewhere.example/x")
    assert "Authorization" not in dict(request.headers)
    assert request.notes and "token not sent" in request.notes[0]


def _result(
    status: int, *, auth: bool = True, headers: tuple[tuple[str, str], ...] = (), **kw: Any
) -> CallResult:
    sent = (("Authorization", "Bearer ***"),) if auth else ()
    return CallResult(
        request=CallRequest("GET", "https://h/x", sent), status=status, reason="R", headers=headers, **kw
    )


def test_401_hints_missing_malformed_expired() -> None:
    now = 1_700_000_000.0
    assert "No token was sent" in (diagnose(_result(401, auth=False)).hint or "")
    assert "not a JWT" in (diagnose(_result(401), token="abc").hint or "")
    assert "malformed" in (diagnose(_result(401), token="a b").hint or "")
    expired = diagnose(_result(401), token=_jwt({"exp": now - 7200}), now=now)
    assert "expired at 2023-11-14 20:13:20 UTC (2 h ago)" in (expired.hint or "")
    fresh = diagnose(_result(401), token=_jwt({"exp": now + 60}), now=now)
    assert "has not expired" in (fresh.hint or "")


def test_403_names_the_permission_when_the_spec_says() -> None:
    from labs_tui.spec.model import Operation

    operation = Operation("GET", "/x", extensions={"x-required-permission": "labs.demo.read"})
    assert "(labs.demo.read)" in (diagnose(_result(403), operation).hint or "")


def test_retry_after_seconds_and_dates() -> None:
    assert parse_retry_after("7", 100.0) == (7.0, 107.0)
    seconds, at = parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", 1445412400.0)
    assert (seconds, at) == (80.0, 1445412480.0)
    assert parse_retry_after("soon", 0.0) == (None, None)
    diagnosis = diagnose(_result(429, headers=(("Retry-After", "7"),)), now=100.0)
    assert (diagnosis.retry_after_s, diagnosis.retry_at) == (7.0, 107.0)


def test_error_shape_with_field_errors() -> None:
    body = {
        "message": "bad",
        "statusCode": 400,
        "requestId": "r1",
        "fieldErrors": [{"field": "f", "message": "m", "code": "c"}],
    }
    diagnosis = diagnose(_result(400, json=body, content_kind="json"))
    assert diagnosis.error is not None and diagnosis.error.field_errors[0].field == "f"
    assert (diagnosis.request_id, diagnosis.request_id_source) == ("r1", "body")
    assert "f: m" in (diagnosis.hint or "")


def test_redact_replaces_plain_and_percent_encoded_forms() -> None:
    assert redact(f"a {SECRET} b", [SECRET, None]) == "a *** b"
    assert redact("x=s3cr3t-%27tok%22en%24x", [SECRET]) == "x=***"


def _shell_words(command: str, token: str) -> list[str]:
    out = subprocess.run(
        ["bash", "-c", f'printf "%s\\n" {command.split(" ", 1)[1]}'],
        env={"ASTRO_API_TOKEN": token, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.splitlines()


def test_curl_export_quotes_and_keeps_the_variable_expandable() -> None:
    profile = Profile("p", "https://h.example", token=SECRET)
    body = '{"note": "it\'s $HOME `x`"}'
    request = build_request(profile, method="POST", path="/x", body=body, pin="1.0")
    command = to_curl(request, profile)
    assert SECRET not in command and "$ASTRO_API_TOKEN" in command
    words = _shell_words(command, "expanded")
    assert "Authorization: Bearer expanded" in words
    assert body in words and "X-Labs-API-Version: 1.0" in words
    revealed = shlex.split(to_curl(request, profile, reveal_token=True))
    assert f"Authorization: Bearer {SECRET}" in revealed


def test_httpie_export() -> None:
    profile = Profile("p", "https://h.example", token="tok")
    request = build_request(profile, method="GET", path="/x", query=[("a", "1 2")])
    command = to_httpie(request, profile)
    assert command.startswith("http GET 'https://h.example/x?a=1+2'")
    assert '"Authorization:Bearer $ASTRO_API_TOKEN"' in command
    assert "tok" not in command.replace("TOKEN", "")


def test_401_without_a_token_words_the_action_for_the_front_end() -> None:
    tui = diagnose(_result(401, auth=False)).hint or ""
    cli = diagnose(_result(401, auth=False), front_end="cli").hint or ""
    assert "tick Authorization in the Headers tab" in tui and "-H" not in tui
    assert "-H 'Authorization:'" in cli and "Headers tab" not in cli


def test_403_without_authorization_blames_no_role() -> None:
    from labs_tui.spec.model import Operation

    operation = Operation("GET", "/x", extensions={"x-required-permission": "labs.demo.read"})
    # --gateway-errors: the gateway's plain-text 403 when no Authorization was sent.
    hint = diagnose(_result(403, auth=False, text="RBAC: access denied", content_kind="text"), operation).hint
    assert "No Authorization header was sent" in (hint or "")
    assert "role" not in (hint or "") and "labs.demo.read" not in (hint or "")


def test_retry_after_date_in_the_past_says_retry_now_with_the_date() -> None:
    past = _result(429, headers=(("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT"),))
    hint = diagnose(past, now=1445412500.0).hint or ""
    assert "retry now" in hint and "2015-10-21 07:28:00 UTC" in hint and "retry in 0 s" not in hint
    future = diagnose(past, now=1445412400.0).hint or ""
    assert "retry in 80 s" in future and "2015-10-21 07:28:00 UTC" in future
    assert "retry in 7 s" in (diagnose(_result(429, headers=(("Retry-After", "7"),)), now=100.0).hint or "")


def test_a_network_failure_message_is_not_repeated_as_the_hint() -> None:
    failed = CallResult(
        request=CallRequest("GET", "https://nowhere.invalid/x", ()),
        network_error=NetworkError("dns", "could not resolve host nowhere.invalid: check the base URL"),
    )
    diagnosis = diagnose(failed)
    assert diagnosis.title == "host not found" and diagnosis.hint is None
