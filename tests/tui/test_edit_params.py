"""Query parameters and headers the spec does not list can be added; cookie parameters are in the form;
arrays are serialised by the parameter's style/explode."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
from textual.widgets import Input

from labs_tui.tui.app import make_app
from labs_tui.tui.settings import Settings
from labs_tui.tui.widgets.request.params import ExtraParamRow

from .conftest import wait_until
from .test_edit_url import edit_app, opened, row_input, send, url_input


async def test_arrays_by_style_and_the_cookie_param_goes_in_a_cookie_header(tmp_path: Path) -> None:
    sent: list[httpx.Request] = []
    app = edit_app(tmp_path, "getThing", sent)
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await opened(pilot, "GET /things/{thingId}")
        for name, text in (("thingId", "t1"), ("tags", "x, y"), ("ids", "1, 2"), ("session", "abc")):
            row_input(screen, name).focus()
            await pilot.press(*text)
        request = await send(pilot, sent)
        # tags: form + explode (the default) repeats the name; ids: explode false joins with commas.
        assert request.url.params.get_list("tags") == ["x", "y"]
        assert request.url.params.get_list("ids") == ["1,2"]
        assert request.headers["cookie"] == "session=abc"
        assert "session" not in request.url.params


async def test_add_a_query_parameter_the_spec_does_not_list(tmp_path: Path) -> None:
    sent: list[httpx.Request] = []
    app = edit_app(tmp_path, "getThing", sent)
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await opened(pilot, "GET /things/{thingId}")
        row_input(screen, "thingId").focus()
        await pilot.press("t", "1")
        screen.request.query_one(".add-param").focus()  # below the rows: scrolled to, then pressed
        await pilot.press("enter")
        await pilot.pause()
        row = screen.request.query_one(ExtraParamRow)
        assert screen.focused is row.query_one(".extra-name", Input)
        await pilot.press(*"trace", "tab", *"on")
        await pilot.pause(0.1)
        assert url_input(screen).value == "/things/t1?trace=on"
        request = await send(pilot, sent)
        assert request.url.params["trace"] == "on"
        row.query_one(".extra-remove").focus()
        await pilot.press("enter")
        await pilot.pause(0.1)
        assert url_input(screen).value == "/things/t1"


async def test_add_a_header_the_spec_does_not_list(tmp_path: Path) -> None:
    sent: list[httpx.Request] = []
    app = edit_app(tmp_path, "getThing", sent)
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await opened(pilot, "GET /things/{thingId}")
        row_input(screen, "thingId").focus()
        await pilot.press("t", "1")
        await pilot.click("#request-tabs TabStrip", offset=(10, 0))
        await pilot.pause()
        await pilot.click("#add-header")
        await pilot.pause()
        await pilot.press(*"X-Trace", "tab", *"abc")
        request = await send(pilot, sent)
        assert request.headers["x-trace"] == "abc"


async def test_a_long_example_placeholder_is_cut_to_the_field_not_to_its_first_word(tmp_path: Path) -> None:
    from labs_tui.tui.widgets.request.params import HintInput

    example = "x" + "y" * 300
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/a": {
                "get": {
                    "operationId": "A",
                    "parameters": [
                        {"name": "q", "in": "query", "example": example, "schema": {"type": "string"}}
                    ],
                    "responses": {"200": {"description": "ok"}},
                }
            }
        },
    }
    path = tmp_path / "long.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    settings = Settings(
        spec_source=str(path), base_url="http://127.0.0.1:9", start_sandbox=False, env={}, endpoint="A"
    )
    app = make_app(settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: bool(app.screen.query(HintInput)))
        await pilot.pause()
        field = app.screen.query_one(HintInput)
        assert field.placeholder.startswith("e.g. xyyy") and field.placeholder.endswith("…")
        assert len(field.placeholder) < field.content_size.width
