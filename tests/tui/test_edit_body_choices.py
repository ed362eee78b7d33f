"""Nested oneOf/anyOf in a request body: a picker per place, picks keep what was typed elsewhere."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
from textual.widgets import TextArea

from labs_tui.tui.widgets.request.choices import ChoicePicker

from .conftest import screen_text, wait_until
from .test_edit_body import problems_text, show_body
from .test_edit_url import edit_app, opened, send

REF = "#/components/schemas/"
SPEC = {
    "openapi": "3.1.0",
    "info": {"title": "Deploy", "version": "1"},
    "paths": {
        "/deployments": {
            "post": {
                "operationId": "createDeployment",
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": {"$ref": REF + "Deployment"}}},
                },
                "responses": {"200": {"description": "ok"}},
            }
        }
    },
    "components": {
        "schemas": {
            "Deployment": {
                "type": "object",
                "required": ["name", "source"],
                "properties": {
                    "name": {"type": "string"},
                    "source": {"oneOf": [{"$ref": REF + "Git"}, {"$ref": REF + "Image"}]},
                },
            },
            "Git": {
                "title": "Git source",
                "type": "object",
                "required": ["repo"],
                "properties": {"repo": {"type": "string"}},
            },
            "Image": {
                "type": "object",
                "required": ["image"],
                "properties": {
                    "image": {"type": "string"},
                    "pull": {"anyOf": [{"$ref": REF + "Always"}, {"$ref": REF + "Never"}]},
                },
            },
            "Always": {
                "type": "object",
                "required": ["always"],
                "properties": {"always": {"type": "boolean"}},
            },
            "Never": {"type": "object", "required": ["never"], "properties": {"never": {"type": "integer"}}},
        }
    },
}


def places(screen: Any) -> list[str]:
    picker = screen.request.query_one(ChoicePicker)
    return [row.pointer for row in picker.rows] if picker.display else []


async def pick(pilot: Any, screen: Any, pointer: str, downs: int) -> None:
    picker = screen.request.query_one(ChoicePicker)
    row = next(r for r in picker.rows if r.pointer == pointer)
    row.select.focus()
    await pilot.press("enter", *["down"] * downs, "enter")
    await pilot.pause(0.1)


async def test_nested_variants_are_picked_in_place_and_typed_text_is_kept(tmp_path: Path) -> None:
    spec_file = tmp_path / "deploy.json"
    spec_file.write_text(json.dumps(SPEC))
    sent: list[httpx.Request] = []
    app = edit_app(tmp_path, "createDeployment", sent, spec_file)
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await opened(pilot, "POST /deployments")
        await show_body(pilot, screen)
        editor = screen.request.query_one("#body-editor", TextArea)
        assert json.loads(editor.text) == {"name": "string", "source": {"repo": "string"}}
        assert places(screen) == ["/source"]
        assert "variant 1: Git source" in screen_text(app) and "/source" in screen_text(app)
        editor.load_text('{"name": "mine", "source": {"repo": "r"}}')

        await pick(pilot, screen, "/source", 1)  # Image: reveals the pull choice inside it
        assert json.loads(editor.text) == {
            "name": "mine",
            "source": {"image": "string", "pull": {"always": True}},
        }
        await wait_until(pilot, lambda: places(screen) == ["/source", "/source/pull"])
        pull_select = next(
            r for r in screen.request.query_one(ChoicePicker).rows if r.pointer == "/source/pull"
        )
        assert pull_select.select.value == 0

        await pick(pilot, screen, "/source/pull", 1)
        assert json.loads(editor.text)["source"]["pull"] == {"never": 0}
        assert json.loads(editor.text)["name"] == "mine"
        assert "no problems" in problems_text(screen)

        editor.load_text('{"name": "mine", "source": {"image": 5, "pull": {"never": 0}}}')
        editor.focus()
        await pilot.press("end")  # any edit: the check runs a moment after typing stops
        await wait_until(pilot, lambda: problems_text(screen).startswith("1 problem"))
        # Checked against the picked variants: a pointer into Image, not "not valid under any of".
        assert "/source/image: 5 is not of type 'string'" in problems_text(screen)

        request = await send(pilot, sent)
        assert json.loads(request.content)["source"] == {"image": 5, "pull": {"never": 0}}


async def test_a_pick_is_one_edit_that_ctrl_z_takes_back(tmp_path: Path) -> None:
    spec_file = tmp_path / "deploy.json"
    spec_file.write_text(json.dumps(SPEC))
    app = edit_app(tmp_path, "createDeployment", [], spec_file)
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await opened(pilot, "POST /deployments")
        await show_body(pilot, screen)
        editor = screen.request.query_one("#body-editor", TextArea)
        editor.focus()
        editor.select_all()
        await pilot.press(*'{"name": "typed", "source": {"repo": "mine"}}')
        typed = editor.text
        await pick(pilot, screen, "/source", 1)
        assert json.loads(editor.text)["source"]["image"] == "string"
        editor.focus()
        await pilot.press("ctrl+z")
        assert editor.text == typed


async def test_text_that_is_not_json_gets_the_whole_template_for_the_picks(tmp_path: Path) -> None:
    spec_file = tmp_path / "deploy.json"
    spec_file.write_text(json.dumps(SPEC))
    app = edit_app(tmp_path, "createDeployment", [], spec_file)
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await opened(pilot, "POST /deployments")
        await show_body(pilot, screen)
        editor = screen.request.query_one("#body-editor", TextArea)
        editor.load_text('{"name": ')
        await pick(pilot, screen, "/source", 1)
        assert json.loads(editor.text) == {
            "name": "string",
            "source": {"image": "string", "pull": {"always": True}},
        }


async def test_the_pickers_follow_an_undo_and_a_body_put_in_from_outside(tmp_path: Path) -> None:
    spec_file = tmp_path / "deploy.json"
    spec_file.write_text(json.dumps(SPEC))
    app = edit_app(tmp_path, "createDeployment", [], spec_file)
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await opened(pilot, "POST /deployments")
        await show_body(pilot, screen)
        editor = screen.request.query_one("#body-editor", TextArea)
        await pick(pilot, screen, "/source", 1)
        editor.focus()
        await pilot.press("ctrl+z")  # back to the Git source the template had
        assert json.loads(editor.text)["source"] == {"repo": "string"}
        await wait_until(pilot, lambda: places(screen) == ["/source"])
        picker = screen.request.query_one(ChoicePicker)
        await wait_until(pilot, lambda: picker.rows[0].select.value == 0)
        assert "no problems" in problems_text(screen)
        # A body from elsewhere (an import, a paste): the picker shows the variant it fits.
        editor.load_text('{"name": "x", "source": {"image": "i", "pull": {"never": 3}}}')
        await wait_until(pilot, lambda: [row.select.value for row in picker.rows] == [1, 1])
        assert places(screen) == ["/source", "/source/pull"]
        assert "no problems" in problems_text(screen)
