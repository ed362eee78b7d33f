"""The response checked against its documented schema, as a user sees it: the count in the title, the
Schema tab's list, and enter on a problem jumping to its line in the body."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import OptionList

from labs_tui.client import MAX_CHECK_BYTES, CallRequest
from labs_tui.spec import load_spec
from labs_tui.tui.app import make_app
from labs_tui.tui.widgets.response import ResponsePane
from labs_tui.tui.widgets.response.body_view import pointer_lines, pretty_json_lines
from labs_tui.tui.widgets.tabs import Tabbed

from ..conftest import screen_text, settings_for, wait_until
from ..test_journeys import open_demo, send
from .conftest import Clock, PaneApp, json_result

SIZE = (140, 45)
SCHEMA_TAB_X = 25  # " Body " 0-5, " Headers " 6-14, " Error " 15-21, " Schema " 22-29

LOCAL_SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "local", "version": "1"},
    "servers": [{"url": "http://127.0.0.1/labs/v1"}],
    "paths": {
        "/examples/demo": {
            "get": {
                "operationId": "GetExampleDemo",
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "name": {"type": "string"},
                                        "items": {
                                            "type": "array",
                                            "items": {
                                                "type": "object",
                                                "properties": {"id": {"type": "integer"}},
                                            },
                                        },
                                    },
                                }
                            }
                        },
                    }
                },
            }
        }
    },
}
OFF_SCHEMA = {"name": "ok", "items": [{"id": 1}, {"id": 2}, {"id": "three"}], "unexpected": 1}
# pretty-printed: "id": "three" is line 10, "unexpected" line 13


class _OffSchema(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        data = json.dumps(OFF_SCHEMA).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def off_schema_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _OffSchema)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/labs/v1"
    finally:
        server.shutdown()
        server.server_close()


def test_pointer_lines_are_the_lines_of_the_pretty_body() -> None:
    lines = list(pretty_json_lines(OFF_SCHEMA))
    found = pointer_lines(OFF_SCHEMA, ["", "/items/2/id", "/unexpected", "/items/1", "/nothing/here"])
    assert found == {"": 0, "/items/2/id": 10, "/unexpected": 13, "/items/1": 6, "/nothing/here": 0}
    assert lines[10].strip() == '"id": "three"' and lines[13].strip() == '"unexpected": 1'
    escaped = {"a/b": [0, {"~x": None}]}
    assert pointer_lines(escaped, ["/a~1b/1/~0x"]) == {"/a~1b/1/~0x": 4}
    assert list(pretty_json_lines(escaped))[4].strip() == '"~x": null'


async def test_sandbox_answers_that_conform_show_no_count(start_sandbox: Any) -> None:
    sandbox = start_sandbox()
    app = make_app(settings_for(sandbox.base_url))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_demo(pilot)
        pane = screen.response
        result, _ = await send(pilot, screen)
        assert result.json == {"proofOfConcept": "Labs example"}
        await wait_until(pilot, lambda: pane.schema_state == "checked")
        assert pane.validation is not None and pane.validation.conforms
        assert "schema" not in pane.status_text and "schema problem" not in screen_text(app)
        await pilot.click("#response-tabs TabStrip", offset=(SCHEMA_TAB_X, 0))
        await wait_until(pilot, lambda: pane.active_tab == "schema" and pane.schema_view.summary != "")
        assert pane.schema_view.summary == (
            "Checked against 200 application/json (matches ExampleDemoLatest): conforms"
        )
        assert pane.schema_view.problems.option_count == 0


async def test_a_pinned_1_0_answer_matches_the_1_0_variant(start_sandbox: Any) -> None:
    sandbox = start_sandbox()
    app = make_app(settings_for(sandbox.base_url, pin="1.0", endpoint="GetExampleDemo"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.spec is not None and app.profile is not None)
        from ..test_journeys import main_screen

        screen = main_screen(app)
        await wait_until(pilot, lambda: screen.request.operation is not None)
        result, _ = await send(pilot, screen)
        assert result.json == {"name": "Labs example"}
        pane = screen.response
        await wait_until(pilot, lambda: pane.schema_state == "checked")
        assert pane.validation is not None and pane.validation.conforms
        assert pane.validation.variants == ("ExampleDemoV1_0",)
        assert "schema" not in pane.status_text


async def test_an_off_schema_answer_is_counted_listed_and_jumped_to(
    off_schema_server: str, tmp_path: Path
) -> None:
    spec_file = tmp_path / "local.json"
    spec_file.write_text(json.dumps(LOCAL_SPEC), encoding="utf-8")
    app = make_app(settings_for(off_schema_server, spec_source=str(spec_file)))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_demo(pilot)
        pane = screen.response
        result, _ = await send(pilot, screen)
        assert result.json == OFF_SCHEMA
        await wait_until(pilot, lambda: pane.schema_state == "checked")
        assert pane.status_text.endswith(" · 1 schema problem")
        assert "1 schema problem" in screen_text(app)

        await pilot.click("#response-tabs TabStrip", offset=(SCHEMA_TAB_X, 0))
        await wait_until(pilot, lambda: pane.active_tab == "schema" and pane.schema_view.summary != "")
        view = pane.schema_view
        assert view.summary == (
            "Checked against 200 application/json: 1 schema problem · 1 undocumented property (listed apart)"
        )
        text = screen_text(app)
        assert "/items/2/id" in text and "'three' is not of type 'integer'" in text
        assert "Undocumented" in text and "/unexpected" in text
        assert view.pointers == ["/items/2/id", None, "/unexpected"]

        problems = view.query_one(OptionList)
        problems.focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: pane.active_tab == "body")
        line_view = pane.body_view.line_view
        await wait_until(pilot, lambda: line_view.cursor_line == 10)
        assert line_view.lines[10].strip() == '"id": "three"'
        assert line_view.has_focus

        await pilot.click("#response-tabs TabStrip", offset=(SCHEMA_TAB_X, 0))
        await wait_until(pilot, lambda: pane.active_tab == "schema")
        problems.focus()
        await pilot.press("down", "enter")  # the heading between the lists cannot be chosen
        await wait_until(pilot, lambda: pane.active_tab == "body" and line_view.cursor_line == 13)
        assert line_view.lines[13].strip() == '"unexpected": 1'


async def test_the_jump_goes_back_to_pretty_from_raw(off_schema_server: str, tmp_path: Path) -> None:
    spec_file = tmp_path / "local.json"
    spec_file.write_text(json.dumps(LOCAL_SPEC), encoding="utf-8")
    app = make_app(settings_for(off_schema_server, spec_source=str(spec_file)))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_demo(pilot)
        pane = screen.response
        await send(pilot, screen)
        await wait_until(pilot, lambda: pane.schema_state == "checked")
        pane.body_view.line_view.focus()
        await pilot.press("r")  # raw: the body as received, one line
        await wait_until(pilot, lambda: pane.body_view.raw)
        pane.show_tab("schema")
        await wait_until(pilot, lambda: pane.schema_view.summary != "")
        pane.schema_view.query_one(OptionList).focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: not pane.body_view.raw and pane.body_view.line_view.cursor_line == 10)


async def test_a_body_over_the_budget_is_not_checked_and_the_tab_says_so() -> None:
    spec = load_spec(None)
    request = CallRequest("GET", "http://127.0.0.1/labs/v1/examples/demo", operation_key="GET /examples/demo")
    big = {"name": 3, "pad": "x" * (MAX_CHECK_BYTES + 1024)}
    app = PaneApp(Clock())
    async with app.run_test(size=(100, 30)) as pilot:
        pane: ResponsePane = app.pane
        pane.spec = spec
        pane.show_result(json_result(big, request=request), _diagnosis())
        assert pane.schema_state == "checking"  # the check runs in a worker, not in show_result
        await pilot.app.workers.wait_for_complete()
        await wait_until(pilot, lambda: pane.schema_state == "checked")
        assert pane.validation is not None and pane.validation.skipped == "body over 4 MB"
        assert "schema" not in pane.status_text
        pane.show_tab("schema")
        await wait_until(pilot, lambda: pane.schema_view.summary != "")
        assert pane.schema_view.summary == (
            "Not checked: body over 4 MB (the spec documents 200 application/json)"
        )


async def test_answers_outside_the_spec_say_why_nothing_was_checked() -> None:
    app = PaneApp(Clock())
    async with app.run_test(size=(100, 30)) as pilot:
        pane: ResponsePane = app.pane
        pane.show_result(json_result({"name": 3}), _diagnosis())
        await pilot.app.workers.wait_for_complete()
        assert pane.schema_state == "none" and pane.validation is None
        pane.query_one(Tabbed).active = "response-schema"
        await wait_until(pilot, lambda: pane.schema_view.summary != "")
        assert pane.schema_view.summary.startswith("Not checked: this answer is not from an operation")


def _diagnosis() -> Any:
    from labs_tui.client import Diagnosis

    return Diagnosis(title="200 OK")


async def test_an_answer_without_its_operation_is_matched_by_its_url() -> None:
    """A call reopened from the history carries no operation: its URL finds it in the spec."""
    request = CallRequest("GET", "https://api.astronomer.io/labs/v1/examples/demo")
    app = PaneApp(Clock())
    async with app.run_test(size=(100, 30)) as pilot:
        pane: ResponsePane = app.pane
        pane.spec = load_spec(None)
        pane.show_result(json_result({"name": 3}, request=request), _diagnosis())
        await wait_until(pilot, lambda: pane.schema_state == "checked")
        assert pane.validation is not None and [p.path for p in pane.validation.errors] == [""]
        assert pane.status_text.endswith(" · 1 schema problem")


async def test_the_jump_leaves_a_body_filter(off_schema_server: str, tmp_path: Path) -> None:
    spec_file = tmp_path / "local.json"
    spec_file.write_text(json.dumps(LOCAL_SPEC), encoding="utf-8")
    app = make_app(settings_for(off_schema_server, spec_source=str(spec_file)))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_demo(pilot)
        pane = screen.response
        await send(pilot, screen)
        await wait_until(pilot, lambda: pane.schema_state == "checked")
        body = pane.body_view
        body.line_view.focus()
        await pilot.press(".", *"$.name", "enter")
        await wait_until(pilot, lambda: body.filter_expression is not None and len(body.line_view.lines) < 5)
        pane.show_tab("schema")
        await wait_until(pilot, lambda: pane.schema_view.summary != "")
        pane.schema_view.query_one(OptionList).focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: body.filter_expression is None and body.line_view.cursor_line == 10)
        assert body.line_view.lines[10].strip() == '"id": "three"'
