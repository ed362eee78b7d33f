"""The endpoint list at a few thousand operations: count, filtering, grouping, folding, opening, marks.

Behaviour only (speed is measured in benchmarks/endpoint_filter.py). The pane runs in a small host app
with operations made here, and once inside the real app with a generated spec file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from textual.app import App, ComposeResult
from textual.widgets import Input, Static

from labs_tui.spec import FilterIndex
from labs_tui.spec import filter_operations as fuzzy_filter
from labs_tui.spec.model import Operation
from labs_tui.tui.app import make_app
from labs_tui.tui.screens.main import MainScreen
from labs_tui.tui.settings import Settings
from labs_tui.tui.widgets.endpoints.listing import EndpointList, Group
from labs_tui.tui.widgets.endpoints.pane import EndpointsPane

from .conftest import screen_text, wait_until

COUNT = 3000
TAGS = 12
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def operation(number: int) -> Operation:
    method = METHODS[number % len(METHODS)]
    path = f"/things{number}/{{thingId}}"
    tag = f"Tag{number % TAGS:02d}"
    op_id = f"{method.lower()}Thing{number}"
    summary = f"{method.title()} thing {number}"
    return Operation(
        method=method,
        path=path,
        operation_id=op_id,
        summary=summary,
        tags=(tag,),
        deprecated=number % 100 == 7,
        search_key=" ".join((method, path, op_id, summary, tag)).lower(),
    )


OPERATIONS = [operation(n) for n in range(COUNT)]


class Host(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.opened: list[Operation] = []

    def compose(self) -> ComposeResult:
        yield EndpointsPane(id="endpoints")

    def on_endpoints_pane_opened(self, event: EndpointsPane.Opened) -> None:
        self.opened.append(event.operation)


async def started(pilot: Any) -> EndpointsPane:
    pane: EndpointsPane = pilot.app.query_one(EndpointsPane)
    pane.show_operations(OPERATIONS)
    pane.endpoint_list.focus()
    await pilot.pause()
    return pane


async def test_the_list_counts_every_operation_and_groups_them_by_tag() -> None:
    app = Host()
    async with app.run_test(size=(90, 30)) as pilot:
        pane = await started(pilot)
        assert str(pane.border_title) == f"Endpoints {COUNT}"
        listing = pane.endpoint_list
        groups = list(listing.groups)
        assert [g.tag for g in groups] == [f"Tag{n:02d}" for n in range(TAGS)]
        assert all(len(g.operations) == COUNT // TAGS for g in groups)
        assert len(listing.rows) == COUNT + TAGS
        assert listing.virtual_size.height == COUNT + TAGS
        text = screen_text(app)
        assert f"Tag00  {COUNT // TAGS}" in text
        assert "GET    /things0/{thingId}" in text


async def test_typing_narrows_the_list_and_the_count_and_clearing_restores_it() -> None:
    app = Host()
    async with app.run_test(size=(90, 30)) as pilot:
        pane = await started(pilot)
        pane.focus_filter()
        await pilot.press(*"thing12")
        expected = fuzzy_filter(OPERATIONS, "thing12")
        assert str(pane.border_title) == f"Endpoints {len(expected)}/{COUNT}"
        shown = [row for row in pane.endpoint_list.rows if isinstance(row, Operation)]
        assert {op.key for op in shown} == {op.key for op in expected}
        contiguous = {op.key for op in OPERATIONS if "thing12" in op.search_key}
        assert contiguous and contiguous <= {op.key for op in shown}
        assert {op.key for op in expected[: len(contiguous)]} == contiguous  # contiguous matches first
        assert len(shown) < COUNT
        await pilot.press("space", *"delete")
        shown = [row for row in pane.endpoint_list.rows if isinstance(row, Operation)]
        assert shown and all(op.method == "DELETE" for op in shown)
        assert {op.key for op in shown} == {op.key for op in fuzzy_filter(OPERATIONS, "thing12 delete")}
        pane.query_one("#filter", Input).value = ""
        await pilot.pause()
        assert str(pane.border_title) == f"Endpoints {COUNT}"
        assert len(pane.endpoint_list.rows) == COUNT + TAGS


async def test_a_filter_matching_nothing_says_so() -> None:
    app = Host()
    async with app.run_test(size=(90, 30)) as pilot:
        pane = await started(pilot)
        pane.focus_filter()
        await pilot.press(*"qqq")
        assert str(pane.border_title) == f"Endpoints 0/{COUNT}"
        assert pane.endpoint_list.rows == []
        status = pane.query_one("#endpoints-status", Static)
        assert status.display and "no endpoint matches" in str(status.content)


async def test_enter_opens_the_operation_under_the_cursor_after_moving() -> None:
    app = Host()
    async with app.run_test(size=(90, 30)) as pilot:
        pane = await started(pilot)
        await pilot.press("down", "down", "enter")
        first_group = pane.endpoint_list.groups[0]
        assert app.opened == [first_group.operations[2]]
        await pilot.press("pagedown", "pagedown", "pagedown", "enter")
        listing = pane.endpoint_list
        row = listing.rows[listing.cursor]
        assert isinstance(row, Operation) and app.opened[-1] is row
        assert listing.scroll_offset.y > 0  # the cursor's row was scrolled into view
        await pilot.press("end", "enter")
        assert app.opened[-1] is OPERATIONS[-1]


async def test_enter_on_a_group_header_folds_and_unfolds_it() -> None:
    app = Host()
    async with app.run_test(size=(90, 30)) as pilot:
        pane = await started(pilot)
        listing = pane.endpoint_list
        await pilot.press("up")
        assert listing.cursor == 0 and isinstance(listing.rows[0], Group)
        await pilot.press("enter")
        assert listing.groups[0].collapsed
        assert len(listing.rows) == COUNT + TAGS - COUNT // TAGS
        assert isinstance(listing.rows[1], Group)
        assert app.opened == []
        await pilot.press("enter")
        assert not listing.groups[0].collapsed and len(listing.rows) == COUNT + TAGS


async def test_up_on_the_first_row_goes_back_to_the_filter() -> None:
    app = Host()
    async with app.run_test(size=(90, 30)) as pilot:
        await started(pilot)
        await pilot.press("up", "up")
        assert isinstance(app.focused, Input) and app.focused.id == "filter"
        await pilot.press("down")
        assert isinstance(app.focused, EndpointList)


async def test_select_unfolds_and_clears_a_filter_that_hides_the_operation() -> None:
    app = Host()
    async with app.run_test(size=(90, 30)) as pilot:
        pane = await started(pilot)
        wanted = OPERATIONS[2999]
        pane.focus_filter()
        await pilot.press(*"thing5")
        pane.select(wanted)
        await pilot.pause()
        listing = pane.endpoint_list
        assert pane.query_one("#filter", Input).value == ""
        assert listing.rows[listing.cursor] is wanted
        top = listing.scroll_offset.y
        assert top <= listing.cursor < top + listing.scrollable_content_region.height


async def test_deprecated_operations_are_marked_and_spec_text_is_shown_literally() -> None:
    odd = Operation(
        method="GET",
        path="/x/[bold red]boom[/]\x1b[31m",
        tags=("[i]tag[/i]",),
        deprecated=True,
        search_key="get /x",
    )
    app = Host()
    async with app.run_test(size=(90, 30)) as pilot:
        pane = app.query_one(EndpointsPane)
        pane.show_operations([odd, *OPERATIONS[:20]])
        await pilot.pause()
        text = screen_text(app)
        assert "/x/[bold red]boom[/]\u241b[31m deprecated" in text
        assert "[i]tag[/i]  1" in text
        assert "\x1b" not in text
        assert "/things7/{thingId} deprecated" in text
        assert "/things8/{thingId} deprecated" not in text


async def test_method_colours_can_be_set() -> None:
    app = Host()
    async with app.run_test(size=(90, 30)) as pilot:
        pane = await started(pilot)
        pane.method_colors = {"GET": "#123456", "DELETE": "italic #abcdef"}
        await pilot.pause()
        colours = pane.method_colors
        assert colours["GET"].color is not None and colours["GET"].color.name == "#123456"
        assert colours["GET"].bold
        assert colours["DELETE"].italic and not colours["DELETE"].bold
        assert colours["POST"].color is not None and colours["POST"].color.name == "yellow"
        assert "#123456" in app.export_screenshot().replace("fill: ", "")


def test_the_index_narrows_from_its_last_answer_and_agrees_with_a_fresh_one() -> None:
    index = FilterIndex(OPERATIONS)
    for text in ("t", "th", "thing", "thing 1", "thing 12", "thing 1", "th", "", "dlt", "dlt 29"):
        assert [op.key for op in index.filter(text)] == [op.key for op in fuzzy_filter(OPERATIONS, text)]
    assert len(index.filter("")) == COUNT


async def test_the_app_lists_a_generated_spec_and_opens_the_picked_endpoint(tmp_path: Path) -> None:
    paths = {
        f"/items{n}": {
            "get": {
                "operationId": f"GetItem{n}",
                "tags": [f"Group{n % 5}"],
                "deprecated": n == 3,
                "responses": {"200": {"description": "ok"}},
            }
        }
        for n in range(2000)
    }
    spec_file = tmp_path / "big.json"
    spec_file.write_text(
        json.dumps({"openapi": "3.1.0", "info": {"title": "Big", "version": "1"}, "paths": paths})
    )
    settings = Settings(
        spec_source=str(spec_file),
        start_sandbox=False,
        env={},
        base_url="http://127.0.0.1:9",
        endpoint="GetItem1999",
    )
    app = make_app(settings)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await wait_until(pilot, lambda: screen.request.operation is not None)
        assert str(screen.endpoints.border_title) == "Endpoints 2000"
        listing = screen.endpoints.endpoint_list
        assert [g.tag for g in listing.groups] == [f"Group{n}" for n in range(5)]
        await pilot.pause()
        row = listing.rows[listing.cursor]
        assert isinstance(row, Operation) and row.operation_id == "GetItem1999"
        listing.focus()
        await pilot.press("home", "down", "enter")
        await wait_until(pilot, lambda: getattr(screen.request.operation, "operation_id", "") == "GetItem0")


async def test_the_cli_and_the_list_show_the_same_operations_for_the_same_text(tmp_path: Path) -> None:
    """``labs-tui endpoints --json TEXT`` and the TUI's list filter with one core filter."""
    from click.testing import CliRunner

    from labs_tui.cli import main
    from labs_tui.spec import load_spec

    paths: dict[str, Any] = {}
    for n in range(60):
        noun = ("deployments", "clusters", "workspaces")[n % 3]
        paths[f"/{noun}/{n}"] = {
            method: {
                "operationId": f"{method}{noun.title()}{n}",
                "summary": f"{method.title()} {noun} number {n}",
                "tags": [noun.title()],
                "responses": {"200": {"description": "ok"}},
            }
            for method in ("get", "delete")
        }
    spec_file = tmp_path / "many.json"
    document = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths}
    spec_file.write_text(json.dumps(document))
    operations = load_spec(str(spec_file)).operations
    app = Host()
    async with app.run_test(size=(90, 30)) as pilot:
        pane: EndpointsPane = app.query_one(EndpointsPane)
        pane.show_operations(operations)
        await pilot.pause()
        for text in ("dpl", "DEL wrk 1", "clusters 4", "nmbr 12", "zzz"):
            box = pane.query_one("#filter", Input)
            box.value = ""
            await pilot.pause()
            pane.focus_filter()
            await pilot.press(*("space" if char == " " else char for char in text.lower()))
            await pilot.pause()
            shown = [row.key for row in pane.endpoint_list.rows if isinstance(row, Operation)]
            result = CliRunner().invoke(main, ["endpoints", "--spec", str(spec_file), "--json", text])
            assert result.exit_code == 0, result.output
            listed = [f"{row['method']} {row['path']}" for row in json.loads(result.output)]
            assert sorted(shown) == sorted(listed), text
            for group in pane.endpoint_list.groups:  # same ranking inside each tag group
                keys = {op.key for op in group.operations}
                assert [op.key for op in group.operations] == [key for key in listed if key in keys]
            assert (text == "zzz") == (not listed)
