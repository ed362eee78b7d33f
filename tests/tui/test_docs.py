"""The Docs tab renders the core describe model: what ``labs-tui describe`` shows, deeper on demand."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner

from labs_tui.cli import main
from labs_tui.tui.app import LabsApp, make_app
from labs_tui.tui.widgets.request.docs import DocsView
from labs_tui.tui.widgets.tabs import Tabbed

from .conftest import settings_for, wait_until
from .test_journeys import main_screen

LONG = "Everything about the widget, " + "in great detail " * 20 + "to the last word."


def _deep(levels: int) -> dict[str, Any]:
    node: dict[str, Any] = {"type": "string", "description": "the bottom"}
    for level in range(levels, 0, -1):
        node = {"type": "object", "properties": {f"level{level}": node}}
    return node


DOCUMENT: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Docs", "version": "1"},
    "paths": {
        "/widgets/{id}": {
            "put": {
                "operationId": "putWidget",
                "security": [{"key": []}],
                "parameters": [
                    {
                        "name": "id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer", "minimum": 1, "maximum": 99},
                        "example": 7,
                    },
                    {"name": "mode", "in": "query", "schema": {"type": "string", "enum": ["a", "b"]}},
                ],
                "requestBody": {
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Widget"}},
                        "text/plain": {"schema": {"type": "string", "maxLength": 10}},
                    }
                },
                "responses": {
                    "200": {
                        "description": "saved",
                        "headers": {"ETag": {"description": "the version", "schema": {"type": "string"}}},
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Widget"}}},
                    }
                },
            }
        }
    },
    "components": {
        "securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-Key"}},
        "schemas": {
            "Widget": {
                "type": "object",
                "description": LONG,
                "properties": {
                    "name": {"type": "string", "pattern": "^w", "example": "wheel"},
                    "parent": {"$ref": "#/components/schemas/Widget"},
                    "gone": {"$ref": "#/components/schemas/Nowhere"},
                    "kind": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
                    "deep": _deep(7),
                },
            }
        },
    },
}


async def _docs(pilot: Any) -> DocsView:
    app: LabsApp = pilot.app
    await wait_until(pilot, lambda: app.spec is not None)
    await pilot.pause()
    await pilot.press("enter")  # the cursor starts on the only endpoint
    screen = main_screen(app)
    await wait_until(pilot, lambda: screen.request.operation is not None)
    await pilot.click("#request-tabs TabStrip", offset=(25, 0))  # Params 0-7, Headers 8-16, Body 17-22, Docs
    await wait_until(pilot, lambda: screen.request.query_one("#request-tabs", Tabbed).active == "tab-docs")
    view = screen.request.docs_view
    view.focus()
    await pilot.pause()
    return view


async def test_the_docs_tab_shows_what_describe_shows_and_deeper_levels_on_demand(tmp_path: Path) -> None:
    spec_file = tmp_path / "docs.yaml"
    spec_file.write_text(yaml.safe_dump(DOCUMENT, sort_keys=False))
    cli = CliRunner().invoke(main, ["describe", "putWidget", "--spec", str(spec_file), "--depth", "4"]).stdout
    app = make_app(settings_for("http://127.0.0.1:9/labs/v1", spec_source=str(spec_file)))
    async with app.run_test(size=(120, 40)) as pilot:
        view = await _docs(pilot)
        shown = view.text.plain
        flat = " ".join(shown.split())
        assert LONG in flat  # whole, never cut
        for needle in (
            "[minimum 1; maximum 99]",
            'one of "a", "b"',
            "example 7",
            "text/plain",
            "[maxLength 10]",
            'pattern "^w"',
            'example "wheel"',
            "parent: Widget (cycle: refers back to itself, not expanded)",
            "gone: broken $ref #/components/schemas/Nowhere",
            "oneOf 1: string",
            "oneOf 2: integer",
            "header ETag: string",
            "the version",
            "key (api key in header X-Key)",
        ):
            assert needle in shown, needle
        # Every field the CLI lists (at the same depth) is in the tab too.
        fields = set(re.findall(r"^\s+([\w ]+?)\*?: ", cli, re.MULTILINE)) - {"operationId", "auth", "schema"}
        missing = [f for f in fields if f"{f}: " not in shown and f"{f}*: " not in shown]
        assert len(fields) > 10 and not missing, missing
        assert "level3: " in shown and "level4: " not in shown and "press + to show deeper" in shown
        await pilot.press("plus")
        deeper = view.text.plain
        assert "level7: string" in deeper and "the bottom" in deeper
        await pilot.press("minus")
        assert "level4: " not in view.text.plain
