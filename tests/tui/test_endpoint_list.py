"""The endpoint list, driven like a user: its width at 80x24, ctrl+b, [ and ], summaries, elided paths,
the CLI's group order, and the palette's endpoint hits built once per spec.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from textual.command import CommandPalette

from labs_tui.cli import main
from labs_tui.tui import commands
from labs_tui.tui.app import make_app
from labs_tui.tui.screens.main import MainScreen
from labs_tui.tui.widgets.endpoints import pane as pane_module
from labs_tui.tui.widgets.endpoints.listing import Group, elide_path

from .conftest import screen_text, settings_for, wait_until

SHOWN_URL = "http://sandbox.test/labs/v1"
LONG = "/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/logs/{try_number}"


def _op(operation_id: str, tag: str, summary: str = "") -> dict[str, Any]:
    return {
        "operationId": operation_id,
        "tags": [tag],
        "summary": summary,
        "responses": {"200": {"description": "ok"}},
    }


SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "Order", "version": "1"},
    # Declared order differs from first appearance (Zebra's operation comes first in paths).
    "tags": [{"name": "Alpha"}, {"name": "Mid"}, {"name": "Zebra"}],
    "paths": {
        "/zebras": {"get": _op("ListZebras", "Zebra", "List every zebra")},
        "/mids": {"get": _op("ListMids", "Mid", "List the mids")},
        LONG: {"get": _op("GetLog", "Alpha", "Read one task try's log")},
        "/untagged": {"get": {"operationId": "Untagged", "responses": {"200": {"description": "ok"}}}},
        "/others": {"get": _op("ListOthers", "Other", "Undeclared tag")},
    },
}


@pytest.fixture(autouse=True)
def _fresh_width() -> Iterator[None]:
    pane_module._chosen_width = None
    yield
    pane_module._chosen_width = None


@pytest.fixture
def spec_file(tmp_path: Path) -> Path:
    path = tmp_path / "order.json"
    path.write_text(json.dumps(SPEC), encoding="utf-8")
    return path


async def _main(pilot: Any) -> MainScreen:
    app = pilot.app
    await wait_until(pilot, lambda: app.spec is not None and app.profile is not None)
    await pilot.pause()
    screen = next(s for s in app.screen_stack if isinstance(s, MainScreen))
    await wait_until(pilot, lambda: screen.endpoints.matches > 0)
    return screen


def _tui_groups(screen: MainScreen) -> list[str]:
    return [row.tag for row in screen.endpoints.endpoint_list.rows if isinstance(row, Group)]


async def test_request_line_fits_on_one_line_at_80x24() -> None:
    app = make_app(settings_for(SHOWN_URL))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _main(pilot)
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen.request.operation is not None)
        await pilot.pause()
        assert screen.endpoints.outer_size.width < 36
        line = screen.request.query_one("#url-line")
        assert line.outer_size.height == 1
        rows = [" ".join(row.split()) for row in screen_text(app).splitlines()]
        # One row holds the method, the base URL (cut in the middle when the editable path needs the room)
        # and the path.
        assert any(
            row.startswith("│") and "GET http://sandbox.te" in row and "/examples/demo" in row for row in rows
        )
        assert any("GET /examples/demo" in row for row in rows)  # the list's path, not elided


async def test_ctrl_b_collapses_and_brings_back_the_list() -> None:
    app = make_app(settings_for(SHOWN_URL))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _main(pilot)
        screen.endpoints.endpoint_list.focus()
        await pilot.pause()
        work_before = screen.request.outer_size.width
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert not screen.endpoints.display
        assert screen.request.outer_size.width == 100
        assert screen.request.outer_size.width > work_before
        assert screen.focused is not None and screen.request in screen.focused.ancestors
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert screen.endpoints.display
        assert screen.focused is screen.endpoints.endpoint_list
        await pilot.press("ctrl+b")
        await pilot.pause()
        await pilot.press("escape")  # focus is in the URL field, where / types a slash: leave it first
        await pilot.press("slash")  # filtering brings a hidden list back
        await pilot.pause()
        assert screen.endpoints.display
        assert screen.focused is screen.endpoints.query_one("#filter")


async def test_brackets_resize_the_list_and_the_width_lasts_the_session() -> None:
    app = make_app(settings_for(SHOWN_URL))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _main(pilot)
        screen.endpoints.endpoint_list.focus()
        await pilot.pause()
        start = screen.endpoints.outer_size.width
        await pilot.press("right_square_bracket", "right_square_bracket")
        await pilot.pause()
        assert screen.endpoints.outer_size.width == start + 8
        await pilot.press(*["left_square_bracket"] * 30)
        await pilot.pause()
        assert screen.endpoints.outer_size.width == pane_module.EndpointsPane.MIN_WIDTH
        await pilot.press(*["right_square_bracket"] * 40)
        await pilot.pause()
        assert screen.endpoints.outer_size.width == 100 - pane_module.EndpointsPane.MIN_WORK_WIDTH
        await pilot.press(*["left_square_bracket"] * 3)
        await pilot.pause()
        chosen = screen.endpoints.outer_size.width
        # Typed in the filter, a bracket is text, not a resize.
        await pilot.press("slash", "left_square_bracket")
        await pilot.pause()
        assert screen.endpoints.outer_size.width == chosen
    again = make_app(settings_for(SHOWN_URL))
    async with again.run_test(size=(100, 30)) as pilot:
        screen = await _main(pilot)
        assert screen.endpoints.outer_size.width == chosen


async def test_summaries_shown_and_long_paths_elided_in_the_middle(spec_file: Path) -> None:
    app = make_app(settings_for(SHOWN_URL, spec_source=str(spec_file)))
    async with app.run_test(size=(120, 30)) as pilot:
        await _main(pilot)
        text = screen_text(app)
        assert "/api/\u2026/logs/{try_number}" in text and LONG not in text
        assert "List every zebra" in text


def test_elide_path_keeps_both_ends() -> None:
    shown = elide_path(LONG, 40)
    assert len(shown) <= 40
    assert shown.startswith("/api/") and shown.endswith("/{try_number}") and "\u2026" in shown
    assert elide_path("/short", 40) == "/short"
    assert len(elide_path("/" + "x" * 60, 10)) == 10


async def test_group_order_is_the_clis(spec_file: Path) -> None:
    result = CliRunner().invoke(main, ["endpoints", "--spec", str(spec_file)])
    assert result.exit_code == 0, result.output
    cli_groups = [line.strip() for line in result.output.splitlines() if line and not line.startswith(" ")]
    app = make_app(settings_for(SHOWN_URL, spec_source=str(spec_file)))
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await _main(pilot)
        tui_groups = _tui_groups(screen)
    assert tui_groups == ["Alpha", "Mid", "Zebra", "default", "Other"]
    assert [name for name in cli_groups if name in tui_groups] == tui_groups


async def test_palette_endpoint_hits_are_built_once_per_spec(spec_file: Path) -> None:
    app = make_app(settings_for(SHOWN_URL, spec_source=str(spec_file)))
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await _main(pilot)
        built = []
        original = commands.EndpointHits.__init__

        def counting(self: Any, operations: Any) -> None:
            built.append(1)
            original(self, operations)

        commands.EndpointHits.__init__ = counting  # type: ignore[method-assign]
        commands._cached = None
        try:
            for _ in range(2):
                await pilot.press("ctrl+p")
                await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette))
                await pilot.press(*"zebras")
                await wait_until(pilot, lambda: "Open GET /zebras" in screen_text(app))
                await pilot.press("escape")
                await wait_until(pilot, lambda: app.screen is screen)
        finally:
            commands.EndpointHits.__init__ = original  # type: ignore[method-assign]
        assert built == [1]
