"""The body editor marks schema problems as you type, offers a oneOf variant picker, and form bodies
(urlencoded, multipart) get a field form instead of a JSON editor."""

from __future__ import annotations

import json
from email.parser import BytesParser
from email.policy import HTTP
from pathlib import Path
from typing import Any

import httpx
from textual.widgets import Input, Select, Static, TextArea

from labs_tui.tui.widgets.request.body import FormField

from .conftest import wait_until
from .test_edit_url import edit_app, opened, send


async def show_body(pilot: Any, screen: Any) -> None:
    await pilot.click("#request-tabs TabStrip", offset=(19, 0))  # "Params", "Headers", then "Body"
    await wait_until(pilot, lambda: bool(screen.request.query("#body-note")))
    await pilot.pause()


def problems_text(screen: Any) -> str:
    return str(screen.request.query_one("#body-problems", Static).render())


async def test_problems_are_listed_under_the_editor_a_moment_after_typing(tmp_path: Path) -> None:
    sent: list[httpx.Request] = []
    app = edit_app(tmp_path, "addPet", sent)
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await opened(pilot, "POST /pets")
        await show_body(pilot, screen)
        editor = screen.request.query_one("#body-editor", TextArea)
        assert json.loads(editor.text) == {"name": "string", "lives": 0}
        assert "no problems" in problems_text(screen)
        editor.focus()
        editor.select_all()
        await pilot.press(*'{"name": "Tom", "lives": 12, "x": 1}')
        await wait_until(pilot, lambda: problems_text(screen).startswith("2 problems"))
        text = problems_text(screen)
        assert text.startswith("2 problems: ")
        assert "/lives: 12 is greater than the maximum of 9" in text
        await pilot.press("backspace")  # the closing brace: not JSON any more
        await wait_until(pilot, lambda: "not valid JSON" in problems_text(screen))
        assert problems_text(screen).startswith("1 problem: body is not valid JSON")


async def test_the_variant_picker_regenerates_the_template(tmp_path: Path) -> None:
    sent: list[httpx.Request] = []
    app = edit_app(tmp_path, "addPet", sent)
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await opened(pilot, "POST /pets")
        await show_body(pilot, screen)
        picker = screen.request.query_one("#body-variant", Select)
        assert picker.display
        picker.focus()
        await pilot.press("enter", "down", "enter")
        await pilot.pause(0.1)
        editor = screen.request.query_one("#body-editor", TextArea)
        assert json.loads(editor.text) == {"name": "string", "bark": "woof"}
        assert "no problems" in problems_text(screen)
        request = await send(pilot, sent)
        assert json.loads(request.content) == {"name": "string", "bark": "woof"}


async def test_urlencoded_body_is_a_field_form(tmp_path: Path) -> None:
    sent: list[httpx.Request] = []
    app = edit_app(tmp_path, "login", sent)
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await opened(pilot, "POST /login")
        await show_body(pilot, screen)
        assert not screen.request.query_one("#body-editor", TextArea).display
        fields = list(screen.request.query(FormField))
        assert [f.field_name for f in fields] == ["user", "remember"]
        fields[0].query_one(Input).focus()
        await pilot.press(*"ann b", "tab", *"true")
        request = await send(pilot, sent)
        assert request.headers["content-type"] == "application/x-www-form-urlencoded"
        assert request.content == b"user=ann+b&remember=true"


async def test_multipart_body_is_a_field_form(tmp_path: Path) -> None:
    sent: list[httpx.Request] = []
    app = edit_app(tmp_path, "upload", sent)
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await opened(pilot, "POST /upload")
        await show_body(pilot, screen)
        fields = list(screen.request.query(FormField))
        fields[0].query_one(Input).focus()
        await pilot.press(*"Hello")
        request = await send(pilot, sent)
        content_type = request.headers["content-type"]
        assert content_type.startswith("multipart/form-data; boundary=")
        message = BytesParser(policy=HTTP).parsebytes(
            b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + request.content
        )
        parts = [
            (part.get_param("name", header="content-disposition"), part.get_content())
            for part in message.iter_parts()
        ]
        assert parts == [("title", "Hello")]


async def test_a_form_body_reopened_from_history_fills_the_fields(tmp_path: Path) -> None:
    sent: list[httpx.Request] = []
    app = edit_app(tmp_path, "login", sent)
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await opened(pilot, "POST /login")
        await show_body(pilot, screen)
        fields = list(screen.request.query(FormField))
        fields[0].query_one(Input).focus()
        await pilot.press(*"ann")
        await send(pilot, sent)
        fields[0].query_one(Input).value = ""
        await wait_until(pilot, lambda: app.history is not None and bool(app.history.query()))
        await pilot.press("f2")
        await wait_until(pilot, lambda: bool(app.screen.query("#history-table")))
        await pilot.pause(0.2)
        await pilot.press("enter")
        await wait_until(pilot, lambda: [f.value for f in screen.request.query(FormField)] == ["ann", ""])
