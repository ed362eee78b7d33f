"""The request builder's pure helpers: the URL line both ways, body problems."""

from __future__ import annotations

from typing import Any

from labs_tui.spec import Parameter
from labs_tui.tui.widgets.request.draft import (
    body_problems,
    cookie_header,
    parse_target,
    target_text,
    wire_params,
)

ARRAY: dict[str, Any] = {"type": "array", "items": {"type": "string"}}
OBJECT: dict[str, Any] = {"type": "object"}


def test_wire_params_follow_style_and_explode() -> None:
    rows = [
        (Parameter("id", "path", True), {"type": "string"}, "a b"),
        (Parameter("tags", "query"), ARRAY, "x, y"),
        (Parameter("ids", "query", explode=False), ARRAY, "1, 2"),
        (Parameter("pipe", "query", style="pipeDelimited", explode=False), ARRAY, "p, q"),
        (Parameter("filter", "query", style="deepObject", explode=True), OBJECT, "a=1, b=2"),
        (Parameter("X-List", "header"), ARRAY, "h, i"),
        (Parameter("session", "cookie"), {"type": "string"}, "s 1"),
        (Parameter("empty", "query"), {"type": "string"}, ""),
    ]
    path, query, headers, cookies = wire_params(rows)
    assert path == {"id": "a%20b"}
    assert query == [
        ("tags", "x"),
        ("tags", "y"),
        ("ids", "1,2"),
        ("pipe", "p|q"),
        ("filter[a]", "1"),
        ("filter[b]", "2"),
    ]
    assert headers == [("X-List", "h,i")]
    assert cookie_header(cookies) == "session=s%201"


def test_the_url_line_both_ways() -> None:
    params = [
        (Parameter("tags", "query"), ARRAY),
        (Parameter("filter", "query", style="deepObject", explode=True), OBJECT),
        (Parameter("limit", "query"), {"type": "integer"}),
    ]
    assert target_text("/things/{id}", {"id": "a%2Fb"}, [("tags", "x"), ("q", "a b")]) == (
        "/things/a%2Fb?tags=x&q=a+b"
    )
    path, texts, extras = parse_target(
        "/things/{id}", params, "/things/a%2Fb?tags=x&tags=y&filter[a]=1&limit=5&debug=&q=a+b"
    )
    assert path == {"id": "a/b"}
    assert texts == {"tags": "x, y", "filter": "a=1", "limit": "5"}
    assert extras == [("debug", ""), ("q", "a b")]
    assert parse_target("/things/{id}", params, "/other/1")[0] is None


def test_spec_text_in_the_template_is_percent_encoded_on_the_line() -> None:
    line = target_text("/evil\x1b]0;x\x07/{id}", {}, [])
    assert "\x1b" not in line and "\x07" not in line
    assert line == "/evil%1B%5D0;x%07/{id}"
    assert parse_target("/evil\x1b]0;x\x07/{id}", [], "/evil%1B%5D0;x%07/7")[0] == {"id": "7"}


def test_body_problems_invalid_json_is_its_own_message() -> None:
    class Checker:
        def problems(self, *args: Any, **kwargs: Any) -> list[Any]:
            raise AssertionError("not asked for invalid JSON")

    assert body_problems(Checker(), {}, '{"a": ') == [
        "body is not valid JSON: line 1 column 7: Expecting value"
    ]
    assert body_problems(Checker(), {}, "  ") == []
