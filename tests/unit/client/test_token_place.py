"""The profile's token travels where the operation's security says: Authorization (bearer, oauth2,
openIdConnect, basic), an apiKey header, query parameter or cookie; the first alternative one token can
satisfy; none for ``security: []``. Then it is masked there in results, history and exports, and the CLI
gets a 200 from the sandbox serving Petstore."""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import json
import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from click.testing import CliRunner

from labs_tui.client import Client, build_request, resolve_profile, to_curl, to_httpie
from labs_tui.client.model import Profile
from labs_tui.spec import load_spec
from labs_tui.spec.model import Operation, SecurityScheme

PETSTORE = Path(__file__).resolve().parents[2] / "data" / "specs" / "third_party" / "petstore-3.0.json"
TOKEN = "s3cret-TOKEN-value-0123456789"
BASE = "https://api.example.test/v1"

BEARER = SecurityScheme("bearerAuth", "http", scheme="bearer")
BASIC = SecurityScheme("basicAuth", "http", scheme="basic")
OAUTH = SecurityScheme("oauth", "oauth2")
OIDC = SecurityScheme("oidc", "openIdConnect")
MTLS = SecurityScheme("mtls", "mutualTLS")
KEY_HEADER = SecurityScheme("api_key", "apiKey", location="header", parameter_name="X-Key")
KEY_QUERY = SecurityScheme("key_q", "apiKey", location="query", parameter_name="key")
KEY_COOKIE = SecurityScheme("key_c", "apiKey", location="cookie", parameter_name="sid")


def profile(token: str | None = TOKEN) -> Profile:
    return Profile("live", BASE, token_env="ASTRO_API_TOKEN", token=token)


def op(auth: tuple[tuple[SecurityScheme, ...], ...] | None) -> Operation:
    return Operation("GET", "/things", operation_id="getThings", auth=auth)


def built(auth: tuple[tuple[SecurityScheme, ...], ...] | None, **kw: Any) -> Any:
    return build_request(profile(), method="GET", operation=op(auth), **kw)


def header(request: Any, name: str) -> str | None:
    return next((v for n, v in request.headers if n.lower() == name.lower()), None)


def query(request: Any) -> dict[str, list[str]]:
    return parse_qs(urlsplit(request.url).query)


# -- each placement ---------------------------------------------------------------------------------


@pytest.mark.parametrize("scheme", [BEARER, OAUTH, OIDC, SecurityScheme("undeclared", "")])
def test_bearer_like_schemes_send_authorization_bearer(scheme: SecurityScheme) -> None:
    request = built(((scheme,),))
    assert header(request, "Authorization") == f"Bearer {TOKEN}"
    assert request.token_in == ("header", "Authorization")


def test_a_spec_silent_on_security_keeps_authorization_bearer() -> None:
    request = built(None)
    assert header(request, "Authorization") == f"Bearer {TOKEN}" and TOKEN not in request.url


def test_api_key_in_a_header_goes_in_that_header_only() -> None:
    request = built(((KEY_HEADER,),))
    assert header(request, "X-Key") == TOKEN
    assert header(request, "Authorization") is None
    assert request.token_in == ("header", "X-Key")


def test_api_key_in_the_query_goes_in_that_parameter() -> None:
    request = built(((KEY_QUERY,),), query=[("limit", "5")])
    assert query(request) == {"limit": ["5"], "key": [TOKEN]}
    assert header(request, "Authorization") is None
    assert request.token_in == ("query", "key")


def test_api_key_in_a_cookie_goes_in_the_cookie_header_beside_the_users_cookies() -> None:
    alone = built(((KEY_COOKIE,),))
    assert header(alone, "Cookie") == f"sid={TOKEN}" and alone.token_in == ("cookie", "sid")
    merged = built(((KEY_COOKIE,),), headers=[("Cookie", "theme=dark")])
    assert header(merged, "Cookie") == f"theme=dark; sid={TOKEN}"
    assert [n for n, _ in merged.headers].count("Cookie") == 1


def test_http_basic_sends_the_token_as_the_password_with_no_user_name() -> None:
    request = built(((BASIC,),))
    value = header(request, "Authorization") or ""
    assert value.startswith("Basic ")
    assert base64.b64decode(value[6:]).decode() == f":{TOKEN}"


# -- alternatives, none, unsatisfiable ---------------------------------------------------------------


def test_the_first_alternative_one_token_can_satisfy_wins() -> None:
    # two schemes together need two credentials; mutualTLS needs no token at all: both skipped
    request = built(((KEY_HEADER, KEY_QUERY), (MTLS,), (KEY_QUERY,), (BEARER,)))
    assert request.token_in == ("query", "key")
    assert header(request, "Authorization") is None and header(request, "X-Key") is None


def test_basic_is_used_only_when_no_alternative_takes_the_token_as_it_is() -> None:
    assert built(((BASIC,), (BEARER,))).token_in == ("header", "Authorization")
    assert header(built(((BASIC,), (BEARER,))), "Authorization") == f"Bearer {TOKEN}"
    assert (header(built(((BASIC,), (MTLS,))), "Authorization") or "").startswith("Basic ")


def test_security_empty_sends_no_token_and_says_nothing() -> None:
    request = built(())
    assert TOKEN not in repr(request.headers) + request.url
    assert request.token_in is None and request.notes == ()


def test_optional_auth_still_sends_the_token_where_an_alternative_takes_it() -> None:
    assert built(((), (KEY_HEADER,))).token_in == ("header", "X-Key")
    assert built(((),)).token_in is None


def test_a_requirement_one_token_cannot_meet_sends_none_and_says_why() -> None:
    request = built(((KEY_HEADER, KEY_QUERY),))
    assert TOKEN not in repr(request.headers) + request.url
    assert request.notes == ("token not sent: it needs api_key + key_q, which one token cannot satisfy",)


def test_spec_security_is_inherited_and_security_empty_on_an_operation_overrides_it(tmp_path: Path) -> None:
    spec_file = tmp_path / "spec.json"
    spec_file.write_text(
        json.dumps(
            {
                "openapi": "3.0.3",
                "info": {"title": "t", "version": "1"},
                "security": [{"q": []}],
                "components": {"securitySchemes": {"q": {"type": "apiKey", "in": "query", "name": "k"}}},
                "paths": {
                    "/a": {"get": {"responses": {"200": {"description": "ok"}}}},
                    "/b": {"get": {"security": [], "responses": {"200": {"description": "ok"}}}},
                },
            }
        )
    )
    from labs_tui.client import token_place

    spec = load_spec(str(spec_file))
    inherited, open_one = spec.find("GET /a"), spec.find("GET /b")
    assert inherited is not None and open_one is not None
    assert token_place(inherited).kind == "query" and token_place(inherited).name == "k"
    assert token_place(open_one).kind == "none"
    sent = build_request(profile(), method="GET", operation=inherited)
    assert query(sent) == {"k": [TOKEN]}
    assert build_request(profile(), method="GET", operation=open_one).url == f"{BASE}/b"


def test_the_labs_spec_still_sends_authorization_bearer() -> None:
    spec = load_spec(None)
    demo = spec.find("GET /examples/demo")
    request = build_request(profile(), method="GET", operation=demo)
    assert header(request, "Authorization") == f"Bearer {TOKEN}"
    assert [n for n, _ in request.headers] == ["Accept", "User-Agent", "Authorization"]


# -- the user's own header / parameter wins; the host rule holds ---------------------------------------


def test_a_users_header_of_the_api_key_name_wins_and_an_empty_one_removes_it() -> None:
    mine = built(((KEY_HEADER,),), headers=[("x-key", "typed")])
    assert [(n, v) for n, v in mine.headers if n.lower() == "x-key"] == [("x-key", "typed")]
    assert TOKEN not in repr(mine.headers) and mine.token_in is None
    removed = built(((KEY_HEADER,),), headers=[("X-Key", "")])
    assert header(removed, "X-Key") is None and TOKEN not in repr(removed.headers)


@pytest.mark.parametrize("scheme", [KEY_HEADER, KEY_QUERY, KEY_COOKIE])
def test_an_empty_authorization_keeps_the_token_out_wherever_it_would_go(scheme: SecurityScheme) -> None:
    request = built(((scheme,),), headers=[("Authorization", "")])
    assert TOKEN not in repr(request.headers) + request.url and request.token_in is None


def test_a_query_parameter_the_user_gave_wins() -> None:
    assert query(built(((KEY_QUERY,),), query=[("key", "mine")])) == {"key": ["mine"]}
    typed = build_request(profile(), method="GET", path="/things?key=mine", operation=op(((KEY_QUERY,),)))
    assert query(typed) == {"key": ["mine"]}


def test_a_cookie_the_user_gave_wins() -> None:
    request = built(((KEY_COOKIE,),), headers=[("Cookie", "sid=mine")])
    assert header(request, "Cookie") == "sid=mine" and request.token_in is None


@pytest.mark.parametrize("scheme", [KEY_HEADER, KEY_QUERY, KEY_COOKIE, BASIC])
def test_no_token_to_a_host_the_profile_does_not_allow(scheme: SecurityScheme) -> None:
    request = build_request(
        profile(), method="GET", path="https://elsewhere.test/x", operation=op(((scheme,),))
    )
    encoded = base64.b64encode(f":{TOKEN}".encode()).decode()
    assert TOKEN not in repr(request.headers) + request.url and encoded not in repr(request.headers)
    assert request.notes and "token not sent" in request.notes[0]


# -- masked wherever it went: results, history, exports ------------------------------------------------


def test_curl_and_httpie_exports_write_the_variable_wherever_the_token_went() -> None:
    for scheme in (KEY_HEADER, KEY_QUERY, KEY_COOKIE, BASIC):
        request = built(((scheme,),))
        for export in (to_curl(request, profile()), to_httpie(request, profile())):
            assert TOKEN not in export and "$ASTRO_API_TOKEN" in export, export
            assert base64.b64encode(f":{TOKEN}".encode()).decode() not in export
    curl = to_curl(built(((KEY_QUERY,),)), profile())
    assert '"https://api.example.test/v1/things?key=$ASTRO_API_TOKEN"' in curl
    assert '-u ":$ASTRO_API_TOKEN"' in to_curl(built(((BASIC,),)), profile())
    custom = dataclasses.replace(profile(), token_env="PETS_KEY")
    assert '"X-Key: $PETS_KEY"' in to_curl(built(((KEY_HEADER,),)), custom)


def test_a_query_token_with_url_special_characters_is_exported_as_the_variable() -> None:
    odd = "abc+def/ghi=jkl"
    request = build_request(profile(odd), method="GET", operation=op(((KEY_QUERY,),)))
    assert odd not in request.url  # sent encoded
    assert "abc%2Bdef" not in to_curl(request, profile(odd)) and "$ASTRO_API_TOKEN" in to_curl(
        request, profile(odd)
    )


def _serve_and_record(handler_seen: list[Any], scheme: SecurityScheme, token: str) -> Any:
    import httpx

    def answer(request: httpx.Request) -> httpx.Response:
        handler_seen.append(request)
        return httpx.Response(200, json={"echo": str(request.url)})

    prof = Profile("live", BASE, token=token)
    request = build_request(prof, method="GET", operation=op(((scheme,),)))

    async def go() -> Any:
        async with Client(prof, transport=httpx.MockTransport(answer)) as client:
            return await client.send(request)

    return asyncio.run(go())


@pytest.mark.parametrize("scheme", [KEY_HEADER, KEY_QUERY, KEY_COOKIE])
def test_results_and_history_mask_the_token_in_its_header_parameter_or_cookie(
    tmp_path: Path, scheme: SecurityScheme
) -> None:
    from labs_tui.store import open_history

    short = "k3y"  # too short for text redaction: masked because of where it went
    for token in (TOKEN, short):
        seen: list[Any] = []
        result = _serve_and_record(seen, scheme, token)
        assert result.status == 200 and len(seen) == 1
        wire = repr(seen[0].headers.raw) + str(seen[0].url)
        assert token in wire  # it really travelled
        shown = repr(result.request) + result.final_url
        assert f"={token}" not in shown and f": {token}" not in shown and f"'{token}'" not in shown
        assert "***" in shown
        history, _ = open_history(tmp_path / f"h-{scheme.name}-{len(token)}.db")
        history.add_result(result, profile="live", secrets=[token])
        history.close()
        raw = (
            sqlite3.connect(tmp_path / f"h-{scheme.name}-{len(token)}.db")
            .execute("select * from entries")
            .fetchall()
        )
        dump = repr(raw)
        assert f"={token}" not in dump and f"'{token}'" not in dump and f'"{token}"' not in dump


# -- the CLI on Petstore against the sandbox serving it -------------------------------------------------


def cli(*args: str) -> Any:
    from labs_tui.cli import main

    return CliRunner().invoke(
        main, list(args), env={"NO_COLOR": "1", "COLUMNS": "120", "ASTRO_API_TOKEN": ""}
    )


@pytest.fixture
def petstore_sandbox() -> Any:
    from labs_tui.sandbox import start

    handle = start(port=0, spec=str(PETSTORE))
    try:
        yield handle
    finally:
        handle.stop()


def test_cli_call_get_pet_on_petstore_sends_api_key_and_gets_200(petstore_sandbox: Any) -> None:
    spec = str(PETSTORE)
    result = cli("call", "GET", "/pet/1", "--spec", spec, "--base-url", petstore_sandbox.base_url, "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["status"] == 200 and isinstance(out["body"], dict)
    assert out["request"]["headers"]["api_key"] == "***"
    assert "sandbox-token" not in result.stdout
    plain = cli("call", "GET", "/pet/1", "--spec", spec, "--base-url", petstore_sandbox.base_url)
    assert plain.exit_code == 0 and plain.stdout.startswith("HTTP/1.1 200")
    curl = cli("call", "GET", "/pet/1", "--spec", spec, "--base-url", petstore_sandbox.base_url, "--curl")
    assert '"api_key: $ASTRO_API_TOKEN"' in curl.stdout and "sandbox-token" not in curl.stdout


def test_cli_call_without_a_base_url_uses_the_embedded_sandbox_for_petstore() -> None:
    result = cli("call", "GET", "/pet/1", "--spec", str(PETSTORE))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("HTTP/1.1 200")


async def test_client_against_the_sandbox_passes_every_api_key_placement(tmp_path: Path) -> None:
    from labs_tui.sandbox import start

    schemes = {
        "h": {"type": "apiKey", "in": "header", "name": "X-Pets-Key"},
        "q": {"type": "apiKey", "in": "query", "name": "pets_key"},
        "c": {"type": "apiKey", "in": "cookie", "name": "pets_session"},
        "b": {"type": "http", "scheme": "basic"},
    }
    ok = {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object"}}}}}
    document = {
        "openapi": "3.0.3",
        "info": {"title": "keys", "version": "1"},
        "components": {"securitySchemes": schemes},
        "paths": {f"/{name}": {"get": {"security": [{name: []}], "responses": ok}} for name in schemes},
    }
    spec_file = tmp_path / "keys.json"
    spec_file.write_text(json.dumps(document))
    spec = load_spec(str(spec_file))
    handle = start(port=0, spec=str(spec_file))
    try:
        prof = dataclasses.replace(resolve_profile("sandbox", env={}), base_url=handle.base_url)
        async with Client(prof) as client:
            for name in schemes:
                operation = spec.find(f"GET /{name}")
                answered = await client.send(build_request(prof, method="GET", operation=operation))
                assert answered.status == 200, (name, answered.body[:200])
                bare = await client.send(
                    build_request(prof, method="GET", operation=operation, headers=[("Authorization", "")])
                )
                assert bare.status == 401, name
    finally:
        handle.stop()


def test_a_history_entry_reopened_does_not_send_the_masked_query_token_back() -> None:
    from labs_tui.store import match_url

    spec = load_spec(str(PETSTORE))
    found = match_url(spec, "GET", "http://127.0.0.1:1/v2/pet/findByStatus?status=sold&api_key=***")
    assert found is not None and found[2] == {"status": "sold"}


def test_swagger_2_security_definitions_place_the_token_too(tmp_path: Path) -> None:
    spec_file = tmp_path / "two.json"
    ok = {"200": {"description": "ok"}}
    spec_file.write_text(
        json.dumps(
            {
                "swagger": "2.0",
                "info": {"title": "t", "version": "1"},
                "securityDefinitions": {
                    "key": {"type": "apiKey", "in": "query", "name": "token"},
                    "basic": {"type": "basic"},
                },
                "security": [{"key": []}],
                "paths": {
                    "/a": {"get": {"responses": ok}},
                    "/b": {"get": {"security": [{"basic": []}], "responses": ok}},
                },
            }
        )
    )
    spec = load_spec(str(spec_file))
    inherited = build_request(profile(), method="GET", operation=spec.find("GET /a"))
    assert query(inherited) == {"token": [TOKEN]}
    basic = build_request(profile(), method="GET", operation=spec.find("GET /b"))
    assert (header(basic, "Authorization") or "").startswith("Basic ")


def test_a_basic_credential_echoed_back_by_the_server_is_masked_in_the_body() -> None:
    import httpx

    def echo(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"headers": {"Authorization": request.headers["authorization"]}})

    prof = profile()
    request = build_request(prof, method="GET", operation=op(((BASIC,),)))

    async def go() -> Any:
        async with Client(prof, transport=httpx.MockTransport(echo)) as client:
            return await client.send(request)

    result = asyncio.run(go())
    encoded = base64.b64encode(f":{TOKEN}".encode()).decode()
    assert result.status == 200 and encoded not in result.body.decode() and "***" in result.body.decode()


def test_an_api_key_named_authorization_is_the_bare_token() -> None:
    from labs_tui.client import token_place

    raw = SecurityScheme("raw", "apiKey", location="header", parameter_name="Authorization")
    request = built(((raw,),))
    assert header(request, "Authorization") == TOKEN
    assert token_place(op(((raw,),))).label() == "Authorization"
    assert token_place(op(((KEY_QUERY,),))).label() == "query parameter key"
    assert token_place(op(((BEARER,),))).label() == "Authorization: Bearer"
