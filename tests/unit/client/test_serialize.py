"""Style and explode, checked against the examples of OpenAPI 3.x's "Style Values" table."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from labs_tui.client.serialize import coerce, cookie_pairs, header_value, path_value, query_pairs

BLUE = "blue"
ARRAY = ["blue", "black", "brown"]
RGB = {"R": 100, "G": 200, "B": 150}


@pytest.mark.parametrize(
    ("style", "explode", "value", "wire"),
    [
        ("matrix", False, BLUE, ";color=blue"),
        ("matrix", False, ARRAY, ";color=blue,black,brown"),
        ("matrix", False, RGB, ";color=R,100,G,200,B,150"),
        ("matrix", True, ARRAY, ";color=blue;color=black;color=brown"),
        ("matrix", True, RGB, ";R=100;G=200;B=150"),
        ("label", False, BLUE, ".blue"),
        ("label", False, ARRAY, ".blue,black,brown"),
        ("label", False, RGB, ".R,100,G,200,B,150"),
        ("label", True, ARRAY, ".blue.black.brown"),
        ("label", True, RGB, ".R=100.G=200.B=150"),
        ("simple", False, ARRAY, "blue,black,brown"),
        ("simple", False, RGB, "R,100,G,200,B,150"),
        ("simple", True, RGB, "R=100,G=200,B=150"),
        ("simple", None, "a/b c", "a%2Fb%20c"),
    ],
)
def test_path_styles(style: str, explode: bool | None, value: object, wire: str) -> None:
    assert path_value("color", value, style, explode) == wire


@pytest.mark.parametrize(
    ("style", "explode", "value", "query"),
    [
        ("form", None, BLUE, "color=blue"),
        ("form", True, ARRAY, "color=blue&color=black&color=brown"),
        ("form", False, ARRAY, "color=blue%2Cblack%2Cbrown"),
        ("form", True, RGB, "R=100&G=200&B=150"),
        ("form", False, RGB, "color=R%2C100%2CG%2C200%2CB%2C150"),
        ("spaceDelimited", False, ARRAY, "color=blue+black+brown"),
        ("pipeDelimited", False, ARRAY, "color=blue%7Cblack%7Cbrown"),
        ("deepObject", True, RGB, "color%5BR%5D=100&color%5BG%5D=200&color%5BB%5D=150"),
    ],
)
def test_query_styles(style: str, explode: bool | None, value: object, query: str) -> None:
    assert urlencode(query_pairs("color", value, style, explode)) == query


def test_header_and_cookie() -> None:
    assert header_value(ARRAY) == "blue,black,brown"
    assert header_value(RGB) == "R,100,G,200,B,150"
    assert header_value(RGB, explode=True) == "R=100,G=200,B=150"
    assert cookie_pairs("color", ARRAY) == [("color", "blue"), ("color", "black"), ("color", "brown")]


def test_typed_text_becomes_the_schema_type() -> None:
    assert coerce("x, y", "array") == ["x", "y"]
    assert coerce('["x", 2, true]', "array") == ["x", "2", "true"]
    assert coerce("", "array") == []
    assert coerce("a=1, b=2", "object") == {"a": "1", "b": "2"}
    assert coerce('{"a": 1}', "object") == {"a": "1"}
    assert coerce("007", "integer") == "007"
