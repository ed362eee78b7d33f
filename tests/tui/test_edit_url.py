"""The URL line is an input (ctrl+l): a path and query typed there are sent as typed, and the params
form follows what it can match. Also home of the small 3.1 spec the other test_edit_* journeys use."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
from textual.widgets import Input

from labs_tui.tui.app import LabsApp, make_app
from labs_tui.tui.widgets.request.params import ParamRow, ParamsForm

from .conftest import settings_for, wait_until

SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Edit", "version": "1"},
    "paths": {
        "/things/{thingId}": {
            "get": {
                "operationId": "getThing",
                "summary": "Get a thing",
                "parameters": [
                    {"name": "thingId", "in": "path", "required": True, "schema": {"type": "string"}},
                    {"name": "tags", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}},
                    {
                        "name": "ids",
                        "in": "query",
                        "explode": False,
                        "schema": {"type": "array", "items": {"type": "integer"}},
                    },
                    {"name": "limit", "in": "query", "schema": {"type": "integer"}},
                    {"name": "session", "in": "cookie", "schema": {"type": "string"}},
                ],
                "responses": {"200": {"description": "ok"}},
            }
        },
        "/pets": {
            "post": {
                "operationId": "addPet",
                "summary": "Add a pet",
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}},
                },
                "responses": {"201": {"description": "created"}},
            }
        },
        "/login": {
            "post": {
                "operationId": "login",
                "summary": "Log in",
                "requestBody": {
                    "content": {
                        "application/x-www-form-urlencoded": {
                            "schema": {
                                "type": "object",
                                "required": ["user"],
                                "properties": {"user": {"type": "string"}, "remember": {"type": "boolean"}},
                            }
                        }
                    }
                },
                "responses": {"200": {"description": "ok"}},
            }
        },
        "/upload": {
            "post": {
                "operationId": "upload",
                "summary": "Upload",
                "requestBody": {
                    "content": {
                        "multipart/form-data": {
                            "schema": {
                                "type": "object",
                                "properties": {"title": {"type": "string"}, "note": {"type": "string"}},
                            }
                        }
                    }
                },
                "responses": {"200": {"description": "ok"}},
            }
        },
    },
    "components": {
        "schemas": {
            "Pet": {
                "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
            },
            "Cat": {
                "type": "object",
                "required": ["name", "lives"],
                "properties": {"name": {"type": "string"}, "lives": {"type": "integer", "maximum": 9}},
                "additionalProperties": False,
            },
            "Dog": {
                "type": "object",
                "required": ["name", "bark"],
                "properties": {
                    "name": {"type": "string"},
                    "bark": {"type": "string", "enum": ["woof", "yap"]},
                },
                "additionalProperties": False,
            },
        }
    },
}

BASE = "http://127.0.0.1:9/api"


def edit_app(
    tmp_path: Path, endpoint: str, sent: list[httpx.Request], spec_file: Path | None = None
) -> LabsApp:
    """The app on SPEC (or ``spec_file``) at ``endpoint``; every request it sends is recorded in
    ``sent`` (answered 200)."""
    spec = spec_file or tmp_path / "edit.json"
    if spec_file is None:
        spec.write_text(json.dumps(SPEC))

    def answer(request: httpx.Request) -> httpx.Response:
        request.read()
        sent.append(request)
        return httpx.Response(200, json={"ok": True})

    settings = settings_for(
        BASE,
        spec_source=str(spec),
        endpoint=endpoint,
        transport=httpx.MockTransport(answer),
        history_path=tmp_path / "history.db",
    )
    return make_app(settings)


async def opened(pilot: Any, key: str) -> Any:
    """The main screen once ``key`` (``METHOD /path``) is open in the builder."""
    from labs_tui.tui.screens.main import MainScreen

    app = pilot.app
    await wait_until(
        pilot, lambda: isinstance(app.screen, MainScreen) and app.screen.request.operation is not None
    )
    screen = app.screen
    assert screen.request.operation.key == key
    await wait_until(pilot, lambda: app.profile is not None and app.profile.base_url is not None)
    await pilot.pause()
    return screen


async def send(pilot: Any, sent: list[httpx.Request]) -> httpx.Request:
    before = len(sent)
    await pilot.press("ctrl+j")
    await wait_until(pilot, lambda: len(sent) > before)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    return sent[-1]


def url_input(screen: Any) -> Input:
    found: Input = screen.request.query_one("#url", Input)
    return found


def row_input(screen: Any, name: str) -> Input:
    for row in screen.request.query(ParamRow):
        if row.param.name == name:
            found: Input = row.query_one(Input)
            return found
    raise AssertionError(f"no row {name}")


async def test_ctrl_l_focuses_the_url_and_a_typed_path_and_query_are_sent_as_typed(tmp_path: Path) -> None:
    sent: list[httpx.Request] = []
    app = edit_app(tmp_path, "getThing", sent)
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await opened(pilot, "GET /things/{thingId}")
        await pilot.press("ctrl+l")
        assert screen.focused is url_input(screen)
        url_input(screen).value = ""
        await pilot.press(*"/things/a%2Fb?tags=x&tags=y&debug=1&limit=5")
        await pilot.pause(0.1)
        # The form follows: path param decoded, known query params in their rows, the rest added.
        assert row_input(screen, "thingId").value == "a/b"
        assert row_input(screen, "tags").value == "x, y"
        assert row_input(screen, "limit").value == "5"
        extras = screen.request.query_one(ParamsForm).extras()
        assert extras == [("debug", "1")]
        request = await send(pilot, sent)
        assert str(request.url) == BASE + "/things/a%2Fb?tags=x&tags=y&debug=1&limit=5"


async def test_editing_the_form_rewrites_the_url_line(tmp_path: Path) -> None:
    sent: list[httpx.Request] = []
    app = edit_app(tmp_path, "getThing", sent)
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await opened(pilot, "GET /things/{thingId}")
        row_input(screen, "thingId").focus()
        await pilot.press(*"t 1")
        row_input(screen, "ids").focus()
        await pilot.press(*"1, 2")
        await pilot.pause(0.1)
        assert url_input(screen).value == "/things/t%201?ids=1%2C2"
        request = await send(pilot, sent)
        assert request.url.raw_path == b"/api/things/t%201?ids=1%2C2"


async def test_an_answer_from_another_server_on_the_sandbox_profile_shows_no_sandbox_badge(
    tmp_path: Path,
) -> None:
    """--base-url https://staging... keeps the sandbox profile; its answers are not the sandbox's."""
    from labs_tui.tui.widgets.header.bar import HeaderBar

    sent: list[httpx.Request] = []
    app = edit_app(tmp_path, "getThing", sent)
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await opened(pilot, "GET /things/{thingId}")
        row_input(screen, "thingId").value = "7"
        await send(pilot, sent)
        await wait_until(pilot, lambda: screen.last_answer is not None)
        assert screen.query_one(HeaderBar).badge is None


async def test_a_typed_url_line_is_sent_even_when_the_form_would_refuse_its_values(tmp_path: Path) -> None:
    """To probe a server's 400: limit=lots is not an integer, but what the line says goes as typed."""
    sent: list[httpx.Request] = []
    app = edit_app(tmp_path, "getThing", sent)
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await opened(pilot, "GET /things/{thingId}")
        line = url_input(screen)
        line.focus()
        line.value = "/things/7?limit=lots"
        await pilot.pause()
        request = await send(pilot, sent)
        assert request.url.path.endswith("/things/7") and request.url.query == b"limit=lots"
        # Edited in the form again, the form writes the line again.
        row_input(screen, "ids").value = "3, 4"
        await pilot.pause()
        assert line.value == "/things/7?ids=3%2C4&limit=lots"
        await pilot.press("ctrl+j")  # the form's own check again: limit must be an integer
        await pilot.pause()
        assert len(sent) == 1
