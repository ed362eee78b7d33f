"""Query parameters and headers the spec does not list can be added; cookie parameters are in the form;
arrays are serialised by the parameter's style/explode."""

from __future__ import annotations

from pathlib import Path

import httpx
from textual.widgets import Input

from labs_tui.tui.widgets.request.params import ExtraParamRow

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
