"""Edit-anything journeys on real third-party specs kept under tests/data: Petstore (OpenAPI 3.0) and
Train Travel (OpenAPI 3.1), each body checked in its own dialect."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
from textual.widgets import Input, Static, TextArea

from labs_tui.tui.widgets.request.body import FormField

from .conftest import wait_until
from .test_edit_body import show_body
from .test_edit_url import edit_app, opened, row_input, send, url_input

THIRD_PARTY = Path(__file__).parent.parent / "data" / "specs" / "third_party"
PETSTORE = THIRD_PARTY / "petstore-3.0.json"
TRAIN = THIRD_PARTY / "train-travel-3.1.json"


def problems(screen: object) -> str:
    return str(screen.request.query_one("#body-problems", Static).render())  # type: ignore[attr-defined]


async def test_petstore_tags_array_url_line_and_form_body(tmp_path: Path) -> None:
    sent: list[httpx.Request] = []
    app = edit_app(tmp_path, "findPetsByTags", sent, PETSTORE)
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await opened(pilot, "GET /pet/findByTags")
        row_input(screen, "tags").focus()
        await pilot.press(*"tag1, tag2")
        await pilot.pause(0.1)
        assert url_input(screen).value == "/pet/findByTags?tags=tag1&tags=tag2"
        request = await send(pilot, sent)
        assert request.url.params.get_list("tags") == ["tag1", "tag2"]

    sent = []
    app = edit_app(tmp_path, "updatePetWithForm", sent, PETSTORE)
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await opened(pilot, "POST /pet/{petId}")
        await pilot.press("ctrl+l", *"/pet/7")
        await pilot.pause(0.1)
        assert row_input(screen, "petId").value == "7"
        await show_body(pilot, screen)
        fields = {f.field_name: f for f in screen.request.query(FormField)}
        assert set(fields) == {"name", "status"}
        fields["name"].query_one(Input).focus()
        await pilot.press(*"Rex")
        request = await send(pilot, sent)
        assert request.url.path == "/api/pet/7"
        assert request.content == b"name=Rex"


async def test_petstore_body_checked_in_the_3_0_dialect(tmp_path: Path) -> None:
    sent: list[httpx.Request] = []
    app = edit_app(tmp_path, "addPet", sent, PETSTORE)
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await opened(pilot, "POST /pet")
        await show_body(pilot, screen)
        editor = screen.request.query_one("#body-editor", TextArea)
        assert json.loads(editor.text)["name"] == "doggie"
        editor.focus()
        editor.select_all()
        await pilot.press(*'{"name": 1, "status": "gone"}')
        await wait_until(pilot, lambda: problems(screen).startswith("3 problems"))
        text = problems(screen)
        assert "(root): 'photoUrls' is a required property" in text
        assert "/name: 1 is not of type 'string'" in text
        assert "/status: 'gone' is not one of" in text
        request = await send(pilot, sent)  # marked, not enforced: the server decides
        assert json.loads(request.content) == {"name": 1, "status": "gone"}


async def test_train_travel_body_checked_in_the_3_1_dialect(tmp_path: Path) -> None:
    sent: list[httpx.Request] = []
    app = edit_app(tmp_path, "create-booking", sent, TRAIN)
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await opened(pilot, "POST /bookings")
        await show_body(pilot, screen)
        # The spec's own example trip_id has 7 hex digits in its first group: not a uuid (format checked).
        bad = "'4f4e4e1-c824-4d63-b37a-d8d698862f1d' is not a 'uuid'"
        assert problems(screen) == f"1 problem: /trip_id: {bad}"
        editor = screen.request.query_one("#body-editor", TextArea)
        editor.focus()
        editor.select_all()
        await pilot.press(*'{"trip_id": 5, "passenger_name": "A"}')
        # Wait for the check of the whole text, not of a half-typed one (under load the debounce can
        # fire between keys and report invalid JSON first).
        await wait_until(pilot, lambda: "is not of type" in problems(screen))
        assert problems(screen) == "1 problem: /trip_id: 5 is not of type 'string'"


async def test_uspto_path_parameters_with_defaults_are_filled_and_sent(tmp_path: Path) -> None:
    """A path parameter's default is its value (a server cannot default a path segment): perform-search
    showed "default v1" and refused to send ("version is required")."""
    uspto = Path(__file__).resolve().parents[1] / "data" / "specs" / "third_party" / "uspto-3.0.json"
    sent: list[httpx.Request] = []
    app = edit_app(tmp_path, "perform-search", sent, uspto)
    async with app.run_test(size=(140, 45)) as pilot:
        await opened(pilot, "POST /{dataset}/{version}/records")
        request = await send(pilot, sent)
        assert request.url.path.endswith("/oa_citations/v1/records")
