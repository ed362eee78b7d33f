"""Opening an endpoint from the palette (ctrl+p, its path, Enter) keeps the app up.

The palette's screen is on top while the endpoint opens; the URL line is refreshed before the new
parameter rows have built their inputs. Reading a row then crashed the app (NoMatches '#param-0')
when the endpoint open before had no parameters and the new one had some.
"""

from __future__ import annotations

import json
from pathlib import Path

from textual.widgets import Input

from labs_tui.tui.app import make_app
from labs_tui.tui.screens.main import MainScreen

from .conftest import screen_text, settings_for, wait_until

SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "Two", "version": "1"},
    "paths": {
        "/plain": {"post": {"operationId": "Plain", "responses": {"200": {"description": "ok"}}}},
        "/things": {
            "get": {
                "operationId": "ListThings",
                "parameters": [
                    {"name": "limit", "in": "query", "schema": {"type": "integer", "default": 10}},
                    {"name": "q", "in": "query", "example": "hello", "schema": {"type": "string"}},
                ],
                "responses": {"200": {"description": "ok"}},
            }
        },
    },
}


async def test_opening_an_endpoint_with_parameters_from_the_palette(tmp_path: Path) -> None:
    spec = tmp_path / "two.json"
    spec.write_text(json.dumps(SPEC), encoding="utf-8")
    app = make_app(settings_for("http://127.0.0.1:9/v1", spec_source=str(spec), endpoint="Plain"))
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_until(pilot, lambda: app.spec is not None and app.profile is not None)
        screen = next(s for s in app.screen_stack if isinstance(s, MainScreen))
        await wait_until(pilot, lambda: screen.request.operation is not None)
        assert screen.request.operation is not None and screen.request.operation.operation_id == "Plain"
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"/things")
        await wait_until(pilot, lambda: "GET /things" in screen_text(app))
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is screen)
        await pilot.pause(0.3)
        assert app._exception is None, app._exception
        assert app.is_running
        assert screen.request.operation is not None
        assert screen.request.operation.operation_id == "ListThings"
        placeholders = [field.placeholder for field in screen.query("ParamRow Input").results(Input)]
        assert placeholders == ["default 10", "e.g. hello"]
        assert "/things" in screen_text(app)
