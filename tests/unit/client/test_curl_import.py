"""Import curl: a pasted command becomes the same request, and a literal token in it is never kept."""

from __future__ import annotations

import pytest

from labs_tui.client.curl import CurlError, parse_curl

OVERVIEW = """$curl --location 'https://api.astronomer.io/labs/v1/examples/demo' \\
>--header 'Authorization: Bearer <your-api-token>' \\
>--header 'X-Labs-API-Version: 1.0'"""


def test_the_overviews_own_example_with_its_prompts() -> None:
    request = parse_curl(OVERVIEW)
    assert request.method == "GET"
    assert request.url == "https://api.astronomer.io/labs/v1/examples/demo"
    assert request.headers == (("X-Labs-API-Version", "1.0"),)
    assert request.token_replaced
    assert "Authorization" in request.notices[0]


def test_a_literal_bearer_token_is_dropped_wherever_it_stands() -> None:
    request = parse_curl("curl -H 'authorization:Bearer eyJhbGciOi.abc.def' https://h.example/x")
    assert request.token_replaced
    assert all("eyJ" not in value for _, value in request.headers)
    assert "eyJ" not in repr(request)


def test_data_makes_a_post_and_json_sets_its_headers() -> None:
    request = parse_curl("""curl https://h.example/things --json '{"a": 1}'""")
    assert request.method == "POST" and request.body == '{"a": 1}'
    assert ("Content-Type", "application/json") in request.headers
    form = parse_curl("curl -d a=1 -d b=2 https://h.example/f")
    assert form.body == "a=1&b=2"
    assert ("Content-Type", "application/x-www-form-urlencoded") in form.headers


def test_explicit_method_attached_values_and_get_mode() -> None:
    request = parse_curl("curl -XPATCH -H'X-A: 1' --url=https://h.example/p -d'{}'")
    assert (request.method, request.url, request.body) == ("PATCH", "https://h.example/p", "{}")
    assert request.headers[0] == ("X-A", "1")
    get = parse_curl("curl -G https://h.example/s?x=1 --data-urlencode 'q=a b'")
    assert (get.method, get.url, get.body) == ("GET", "https://h.example/s?x=1&q=a+b", None)
    assert parse_curl("curl -I https://h.example/").method == "HEAD"


def test_options_that_only_change_curl_are_noted_not_fatal() -> None:
    request = parse_curl("curl -sSL -k -o out.json --max-time 5 --frobnicate https://h.example/")
    assert request.url == "https://h.example/"
    assert any("-o" in notice for notice in request.notices)
    assert any("--frobnicate" in notice for notice in request.notices)


@pytest.mark.parametrize(
    ("command", "problem"),
    [
        ("wget https://h.example/", "not a curl command"),
        ("curl -s", "no URL"),
        ("curl 'https://h.example/", "cannot read"),
        ("curl -H", "needs a value"),
        ("curl ftp://h.example/", "http(s)"),
        ("curl https://user:pw@h.example/", "credentials"),
        ("curl -d @secrets.json https://h.example/", "reads a file"),
    ],
)
def test_bad_commands_get_one_line(command: str, problem: str) -> None:
    with pytest.raises(CurlError) as raised:
        parse_curl(command)
    assert problem in str(raised.value) and "\n" not in str(raised.value)


def test_basic_credentials_are_dropped_with_a_notice() -> None:
    request = parse_curl("curl -u alice:s3cret https://h.example/")
    assert "s3cret" not in repr(request)
    assert any("-u" in notice for notice in request.notices)
