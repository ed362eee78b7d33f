"""The TUI's pure helpers: the endpoint filter, the builder's checks, and the support report."""

from __future__ import annotations

from labs_tui.client.model import ApiError, Diagnosis
from labs_tui.client.report import support_report
from labs_tui.spec import filter_operations as fuzzy_filter
from labs_tui.spec.model import Operation, Parameter
from labs_tui.tui.widgets.request.draft import (
    check_json,
    fill_path,
    mask_token,
    param_hint,
    validate_param,
)
from tests.factories import failed_result, json_result, request, text_result


def op(method: str, path: str, op_id: str = "", summary: str = "", tags: tuple[str, ...] = ()) -> Operation:
    key = " ".join((method, path, op_id, summary, *tags)).lower()
    return Operation(method, path, op_id, summary, tags=tags, search_key=key)


OPS = [
    op("GET", "/examples/demo", "GetExampleDemo", "Demonstrate pinning", ("Examples",)),
    op("POST", "/deployments", "CreateDeployment", "Create a deployment", ("Deployments",)),
    op("DELETE", "/deployments/{id}", "DeleteDeployment", "Delete one", ("Deployments",)),
]


def test_filter_blank_keeps_everything_in_order() -> None:
    assert fuzzy_filter(OPS, "  ") == OPS


def test_filter_is_a_subsequence_match_with_substrings_first() -> None:
    assert [o.operation_id for o in fuzzy_filter(OPS, "dpl")] == ["CreateDeployment", "DeleteDeployment"]
    assert [o.operation_id for o in fuzzy_filter(OPS, "delete")] == ["DeleteDeployment"]
    # "demo" is a substring of the first; a scattered match in another op ranks after it.
    assert fuzzy_filter(OPS, "demo")[0].operation_id == "GetExampleDemo"


def test_filter_words_must_all_match_and_case_is_ignored() -> None:
    assert [o.operation_id for o in fuzzy_filter(OPS, "POST Deploy")] == ["CreateDeployment"]
    assert fuzzy_filter(OPS, "get deployments zzz") == []


def test_validate_param_checks_required_type_and_enum() -> None:
    path = Parameter("id", "path")
    assert validate_param(path, {"type": "string"}, "") == "id is required"
    limit = Parameter("limit", "query")
    assert validate_param(limit, {"type": "integer"}, "") is None
    assert validate_param(limit, {"type": "integer"}, "ten") == "limit must be an integer"
    assert validate_param(limit, {"type": "integer"}, "10") is None
    order = Parameter("order", "query")
    assert validate_param(order, {"enum": ["asc", "desc"]}, "up") == "order must be one of: asc, desc"
    assert validate_param(order, {"enum": ["asc", "desc"]}, "asc") is None
    flag = Parameter("flag", "query")
    assert validate_param(flag, {"type": "boolean"}, "yes") == "flag must be true or false"


def test_param_hint_shows_type_enum_and_default() -> None:
    assert (
        param_hint({"type": "integer", "enum": [1, 2], "default": 1}) == "integer · enum: 1, 2 · default: 1"
    )
    assert param_hint({"type": ["string", "null"], "format": "date"}) == "string (date)"


def test_fill_path_encodes_values_and_leaves_unfilled_ones_visible() -> None:
    assert fill_path("/a/{id}/b/{other}", {"id": "x/y z"}) == "/a/x%2Fy%20z/b/{other}"


def test_check_json_names_line_and_column() -> None:
    assert check_json('{"a": 1}') is None
    assert check_json("") is None
    problem = check_json('{\n  "a": }')
    assert problem is not None and "line 2 column 8" in problem


def test_mask_token_never_shows_a_short_token_and_only_the_tail_of_a_long_one() -> None:
    assert mask_token("sandbox-token") == "Bearer ********oken"
    assert mask_token("short") == "Bearer ********"
    assert mask_token(None) == "(no token)"


_REQUEST = request("http://127.0.0.1:1/labs/v1/examples/demo", pin="1.0")


def test_support_report_has_what_support_asks_for_and_never_the_token() -> None:
    body = {
        "message": "Missing or invalid bearer token.",
        "statusCode": 401,
        "requestId": "req-1",
        "x": "tok-123",
    }
    result = json_result(body, 401, "Unauthorized", request=_REQUEST)
    diagnosis = Diagnosis("401 Unauthorized", ApiError("Missing", 401, "req-1"), request_id="req-1")
    report = support_report(result, diagnosis, now=0.0, secrets=["tok-123"])
    assert "- Time: 2023-11-14 22:13:20 UTC" in report
    assert "- Request: GET http://127.0.0.1:1/labs/v1/examples/demo" in report
    assert "- Pinned version: 1.0" in report
    assert "- Status: 401 Unauthorized" in report
    assert "- requestId: req-1" in report
    assert "Missing or invalid bearer token." in report
    assert "tok-123" not in report
    assert report.count("```") == 2


def test_support_report_for_a_network_failure_and_a_fence_in_the_body() -> None:
    failed = failed_result("refused", "nothing listens on 127.0.0.1:1", request=_REQUEST)
    report = support_report(failed, Diagnosis("connection refused"), now=1_700_000_000.0)
    assert "- Status: connection refused" in report
    assert "- requestId: none in the response" in report
    assert "network error (refused)" in report
    fenced = text_result("```\nnot closed", 500, "Error", request=_REQUEST)
    report = support_report(fenced, Diagnosis("500"), now=0.0)
    assert "````text" in report


def test_support_report_names_the_api_and_labels_a_success_body_as_a_body() -> None:
    ok = json_result({"id": 1, "name": "doggie"}, 200, "OK", request=request("http://h.test/pet/1"))
    report = support_report(ok, Diagnosis("200 OK"), now=0.0, api="Swagger Petstore", versions=False)
    assert report.startswith("### Swagger Petstore call report\n")
    assert "- Body:\n" in report and "Error body" not in report
    assert "Pinned version" not in report and "Served version" not in report  # no version header
    failed = json_result({"message": "no"}, 404, "Not Found", request=_REQUEST)
    labs = support_report(failed, Diagnosis("404"), now=0.0, api="Astro Labs API")
    assert labs.startswith("### Astro Labs API call report\n")
    assert "- Error body:\n" in labs and "- Pinned version: 1.0" in labs
    hostile = support_report(ok, Diagnosis("200 OK"), now=0.0, api="Pet\x1b]0;x\x07\nstore")
    assert hostile.splitlines()[0] == "### Pet␛]0;x␇ store call report"
    assert support_report(ok, Diagnosis("200 OK"), now=0.0).startswith("### API call report\n")


def test_docs_reflow_joins_wrapped_lines_but_keeps_paragraphs_and_lists() -> None:
    from labs_tui.tui.widgets.request.docs import reflow

    text = "One line\nwrapped here.\n\nSecond para.\n- item one\n- item two\n"
    assert reflow(text) == "One line wrapped here.\n\nSecond para.\n- item one\n- item two"
