"""Body filters: JSONPath and jq select the same values; bad expressions get one line."""

from __future__ import annotations

import pytest

from labs_tui.client import QueryError, filter_body, language_of

BODY = {"items": [{"name": "a", "size": 1}, {"name": "b", "size": 5}], "next": None}


def test_jsonpath_and_jq_select_the_same_values() -> None:
    by_path = filter_body(BODY, "$.items[*].name")
    by_jq = filter_body(BODY, ".items[] | .name")
    assert by_path.language == "jsonpath" and by_jq.language == "jq"
    assert by_path.values == by_jq.values == ("a", "b")


def test_filters_select_by_value() -> None:
    assert filter_body(BODY, "$.items[?size > 2].name").values == ("b",)
    assert filter_body(BODY, ".items | map(select(.size > 2)) | length").values == (1,)


def test_no_match_is_an_empty_result_not_an_error() -> None:
    assert filter_body(BODY, "$.missing").values == ()


@pytest.mark.parametrize(
    ("expression", "problem"),
    [
        ("$.items[", "not a JSONPath"),
        (".items[", "not a jq"),
        ("   ", "empty"),
        (".next | keys", "jq expression failed"),
    ],
)
def test_bad_expressions_get_one_line(expression: str, problem: str) -> None:
    with pytest.raises(QueryError) as raised:
        filter_body(BODY, expression)
    assert problem in str(raised.value) and "\n" not in str(raised.value)


def test_language_follows_the_first_character() -> None:
    assert language_of("  $..name") == "jsonpath" and language_of(".a") == "jq"
