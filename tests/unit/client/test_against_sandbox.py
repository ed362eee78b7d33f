"""The client against the real sandbox on loopback: pins, tokens, gateway answers, the rate limit."""

from __future__ import annotations

import asyncio
import dataclasses
from typing import Any

from labs_tui.client import Client, build_request, diagnose, resolve_profile


def _profile(handle: Any, token: str | None = None) -> Any:
    profile = dataclasses.replace(resolve_profile("sandbox", env={}), base_url=handle.base_url)
    return dataclasses.replace(profile, token=token) if token is not None else profile


async def test_pins_and_served_version(sandbox: Any) -> None:
    profile = _profile(sandbox)
    async with Client(profile) as client:
        old = await client.send(build_request(profile, method="GET", path="/examples/demo", pin="1.0"))
        new = await client.send(build_request(profile, method="GET", path="/examples/demo", pin="latest"))
    assert old.json == {"name": "Labs example"} and new.json == {"proofOfConcept": "Labs example"}
    assert diagnose(old).served_version == "1.0" and diagnose(new).served_version == "1.1"
    assert diagnose(old).request_id_source == "header"


async def test_missing_token_gives_401_with_request_id(sandbox: Any) -> None:
    profile = _profile(sandbox)
    async with Client(profile) as client:
        result = await client.send(
            build_request(profile, method="GET", path="/examples/demo", headers=[("Authorization", "")])
        )
    diagnosis = diagnose(result)
    assert result.status == 401 and diagnosis.request_id_source == "body"
    assert diagnosis.request_id == result.header("X-Request-Id")
    assert "No token was sent" in (diagnosis.hint or "")


async def test_limited_token_gets_403(sandbox: Any) -> None:
    profile = _profile(sandbox, token="sandbox-limited-token")
    async with Client(profile) as client:
        result = await client.send(build_request(profile, method="GET", path="/examples/demo"))
    assert result.status == 403 and "permission" in (diagnose(result).hint or "")
    assert "sandbox-limited-token" not in repr(result)


async def test_gateway_errors_are_plain_text_without_request_id(make_sandbox: Any) -> None:
    handle = make_sandbox(gateway_errors=True)
    profile = _profile(handle)
    async with Client(profile) as client:
        no_auth = await client.send(
            build_request(profile, method="GET", path="/examples/demo", headers=[("Authorization", "")])
        )
        bad = await client.send(
            build_request(
                profile, method="GET", path="/examples/demo", headers=[("Authorization", "Bearer x")]
            )
        )
    assert (no_auth.status, no_auth.content_kind) == (403, "text")
    d403 = diagnose(no_auth)
    assert d403.summary == "RBAC: access denied" and d403.request_id is None
    assert "No Authorization header was sent" in (d403.hint or "")
    d401 = diagnose(bad, token="x")
    assert bad.status == 401 and d401.summary and d401.summary.startswith("Jwt is not in the form")
    assert "not a JWT" in (d401.hint or "")


async def test_burst_gets_429_with_a_retry_time(make_sandbox: Any) -> None:
    handle = make_sandbox(rate_limit=(3, 60.0))
    profile = _profile(handle)
    async with Client(profile) as client:
        results = await asyncio.gather(
            *(client.send(build_request(profile, method="GET", path="/examples/demo")) for _ in range(5))
        )
    limited = [r for r in results if r.status == 429]
    assert len(limited) == 2
    diagnosis = diagnose(limited[0], now=limited[0].started_at)
    assert diagnosis.retry_after_s is not None and 1 <= diagnosis.retry_after_s <= 60
    assert diagnosis.retry_at is not None and diagnosis.request_id
