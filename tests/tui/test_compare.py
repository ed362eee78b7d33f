"""The compare view against a real sandbox: two keystrokes, the rename marked, the matrix, n/p, safety."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml
from textual.widgets import Checkbox

from labs_tui.compare import diff
from labs_tui.compare.aligned import align
from labs_tui.tui.app import LabsApp, make_app
from labs_tui.tui.screens.compare import CompareScreen, VersionsScreen, default_versions
from labs_tui.tui.screens.dialogs import ConfirmScreen
from labs_tui.tui.widgets.compare import CompareSide, MatrixTable

from .conftest import screen_text, settings_for, wait_until
from .test_journeys import main_screen, open_demo, send

SIZE = (140, 45)


async def compared(pilot: Any) -> CompareScreen:
    app: LabsApp = pilot.app
    await wait_until(
        pilot, lambda: isinstance(app.screen, CompareScreen) and app.screen.comparison is not None
    )
    await app.workers.wait_for_complete()
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, CompareScreen)
    return screen


def side_lines(screen: CompareScreen) -> tuple[list[str], list[str]]:
    left, right = (
        screen.query_one("#compare-left", CompareSide),
        screen.query_one("#compare-right", CompareSide),
    )
    return list(left.line_view.lines), list(right.line_view.lines)


# -- the layout, pure ------------------------------------------------------------------------------


def test_align_puts_a_rename_on_one_line_with_its_label_on_both_sides() -> None:
    a, b = {"name": "Labs example"}, {"proofOfConcept": "Labs example"}
    aligned = align(a, b, diff(a, b))
    assert aligned.marks == ["=", ">", "="]
    assert '"name"' in aligned.left[1] and aligned.left[1].endswith("// name -> proofOfConcept")
    assert '"proofOfConcept"' in aligned.right[1] and aligned.right[1].endswith("// name -> proofOfConcept")
    assert aligned.hunks() == [1]


def test_align_keeps_key_paths_on_the_same_line_and_blanks_the_missing_side() -> None:
    a = {"keep": 1, "x": {"a": 1}, "gone": True}
    b = {"keep": 1, "new": [1, 2], "x": {"a": "1"}}
    aligned = align(a, b, diff(a, b))
    rows = list(zip(aligned.left, aligned.right, aligned.marks, strict=True))
    for left, right, mark in rows:
        if mark == "+":
            assert left == "" and right.startswith("+ ")
        if mark == "-":
            assert right == "" and left.startswith("- ")
    changed = [(left, right) for left, right, mark in rows if mark == "!"]
    assert changed == [('!     "a": 1', '!     "a": "1"')]
    assert any('"gone": true' in left for left, _, mark in rows if mark == "-")
    assert [mark for _, _, mark in rows].count("+") == 4  # "new": [, 1, 2, ]
    assert len(aligned.hunks()) == 3


def test_align_is_bounded() -> None:
    a = {f"k{i}": i for i in range(1000)}
    b = {f"k{i}": -i for i in range(1000)}
    aligned = align(a, b, diff(a, b), max_lines=50)
    assert len(aligned) == 50 and aligned.capped


def test_default_versions_are_the_pin_and_latest_or_1_0_when_unpinned() -> None:
    assert default_versions("1.1", ("1.0", "1.1")) == ("1.1", "latest")
    assert default_versions(None, ("1.0", "1.1")) == ("1.0", "latest")
    assert default_versions("latest", ("0.9",)) == ("0.9", "latest")


# -- the screen ------------------------------------------------------------------------------------


async def test_ctrl_t_then_enter_compares_1_0_with_latest_and_marks_the_rename(start_sandbox: Any) -> None:
    sandbox = start_sandbox()
    app = make_app(settings_for(sandbox.base_url))
    async with app.run_test(size=SIZE) as pilot:
        await open_demo(pilot)
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert isinstance(app.screen, VersionsScreen)
        await pilot.press("enter")
        screen = await compared(pilot)
        assert screen.versions == ("1.0", "latest")
        assert screen.summary == "1 renamed · 0 added · 0 removed · 0 changed · 200 = 200"
        left, right = side_lines(screen)
        assert len(left) == len(right) == 3
        assert '"name"' in left[1] and "name -> proofOfConcept" in left[1]
        assert '"proofOfConcept"' in right[1] and "name -> proofOfConcept" in right[1]
        text = screen_text(app)
        assert "1.0 · served 1.0 · 200" in text and "latest · served 1.1 · 200" in text
        requests = [r.request_id for r in screen.comparison.responses] if screen.comparison else []
        assert all(rid and rid[:12] in text for rid in requests)
        # Each side is checked against the schema documented for its version: both match theirs.
        assert screen.comparison is not None
        assert [r.validation is not None and r.validation.conforms for r in screen.comparison.responses] == [
            True,
            True,
        ]
        left_side = screen.query_one("#compare-left", CompareSide)
        assert "schema ok" in str(left_side.border_title)
        await pilot.press("n")
        assert screen.current_line == 1
        assert screen.query_one("#compare-left", CompareSide).line_view.cursor_line == 1
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, CompareScreen)
        await wait_until(pilot, lambda: app.history is not None and len(app.history) == 2)


async def test_three_versions_give_a_matrix_and_n_p_walk_its_differing_rows(start_sandbox: Any) -> None:
    sandbox = start_sandbox()
    app = make_app(settings_for(sandbox.base_url))
    async with app.run_test(size=SIZE) as pilot:
        await open_demo(pilot)
        await pilot.press("ctrl+t")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, VersionsScreen)
        boxes = {str(box.tooltip): box for box in dialog.query(Checkbox)}
        assert set(boxes) == {"1.0", "1.1", "latest"}
        assert boxes["1.0"].value and boxes["latest"].value and not boxes["1.1"].value
        boxes["1.1"].value = True
        await pilot.pause()
        await pilot.press("enter")
        screen = await compared(pilot)
        assert screen.versions == ("1.0", "1.1", "latest")
        table = screen.query_one(MatrixTable)
        assert len(table.columns) == 5  # path, three versions, mark
        paths = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert paths == ["status", "name -> proofOfConcept"]  # the rename on one row
        assert table.differing == [1]
        assert screen.summary.startswith("1 of 2 rows differ across 3 versions")
        await pilot.press("n")
        assert table.cursor_row == 1
        table.move_cursor(row=0)
        await pilot.press("n")
        assert table.cursor_row == 1  # wraps back to the only difference
        table.move_cursor(row=0)
        await pilot.press("p")
        assert table.cursor_row == 1


async def test_a_rate_limited_side_is_shown_as_429_not_as_differences(start_sandbox: Any) -> None:
    sandbox = start_sandbox(rate_limit=(2, 60.0))
    app = make_app(settings_for(sandbox.base_url))
    async with app.run_test(size=SIZE) as pilot:
        screen_main = await open_demo(pilot)
        await send(pilot, screen_main)
        await pilot.press("ctrl+t")
        await pilot.pause()
        await pilot.press("enter")
        screen = await compared(pilot)
        assert screen.summary.startswith("not compared: ")
        assert "rate-limited (429)" in screen.summary
        assert "renamed" not in screen.summary and screen.hunks == []
        text = screen_text(app)
        assert "429 · retry in" in text
        left, right = side_lines(screen)
        assert not any("->" in line for line in left + right)


@pytest.fixture
def created_on_latest() -> Iterator[str]:
    """A local peer on loopback: 200 ``{"name"}`` under pin 1.0, 201 ``{"proofOfConcept"}`` otherwise."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the http.server hook's name)
            old = self.headers.get("X-Labs-API-Version") == "1.0"
            value = {"name": "Labs example"} if old else {"proofOfConcept": "Labs example"}
            body = json.dumps(value).encode()
            self.send_response(200 if old else 201)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/labs/v1"
    server.shutdown()
    server.server_close()
    thread.join(5)


async def test_200_against_201_marks_the_rename_the_summary_counts(created_on_latest: str) -> None:
    app = make_app(settings_for(created_on_latest))
    async with app.run_test(size=SIZE) as pilot:
        await open_demo(pilot)
        await pilot.press("ctrl+t")
        await pilot.pause()
        await pilot.press("enter")
        screen = await compared(pilot)
        assert screen.summary == "1 renamed · 0 added · 0 removed · 0 changed · 200 ≠ 201"
        left, right = side_lines(screen)
        assert '"name"' in left[1] and left[1].endswith("name -> proofOfConcept")
        assert '"proofOfConcept"' in right[1] and right[1].endswith("name -> proofOfConcept")
        assert screen.hunks == [1]
        await pilot.press("n")
        assert screen.current_line == 1


def _post_spec(path: Path) -> Path:
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "Writes", "version": "1", "x-labs-versions": {"known": ["1.0"], "latest": "1.0"}},
        "paths": {
            "/things": {
                "post": {
                    "operationId": "makeThing",
                    "requestBody": {
                        "content": {"application/json": {"schema": {"type": "object"}, "example": {"a": 1}}}
                    },
                    "responses": {
                        "201": {
                            "description": "made",
                            "content": {"application/json": {"example": {"id": 7}}},
                        }
                    },
                }
            }
        },
    }
    target = path / "writes.yaml"
    target.write_text(yaml.safe_dump(spec))
    return target


async def test_post_asks_before_sending_twice(start_sandbox: Any, tmp_path: Path) -> None:
    spec_file = _post_spec(tmp_path)
    sandbox = start_sandbox(spec=str(spec_file))
    app = make_app(settings_for(sandbox.base_url, spec_source=str(spec_file)))
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.spec is not None and app.profile is not None)
        await pilot.pause()
        await pilot.press("enter")
        main = main_screen(app)
        await wait_until(pilot, lambda: main.request.operation is not None)
        await pilot.press("ctrl+t")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "POST may change data" in screen_text(app)
        await pilot.press("escape")  # no
        await pilot.pause()
        assert not isinstance(app.screen, CompareScreen | ConfirmScreen)
        await wait_until(pilot, lambda: app.history is not None)
        assert len(app.history) == 0
        await pilot.press("ctrl+t")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.click("#yes")
        screen = await compared(pilot)
        assert screen.comparison is not None
        assert [r.result.status for r in screen.comparison.responses] == [201, 201]
        assert all(r.result.request.method == "POST" for r in screen.comparison.responses)
