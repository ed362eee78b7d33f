"""Keys documented as working anywhere work from inside the body editor too; escape leaves an editor."""

from __future__ import annotations

from pathlib import Path

import httpx
from textual.command import CommandPalette
from textual.widgets import Input, TextArea

from labs_tui.tui.screens.help import HelpScreen
from labs_tui.tui.widgets.tabs import TabStrip

from .conftest import wait_until
from .test_edit_body import show_body
from .test_edit_url import edit_app, opened, row_input, send, url_input


async def test_app_keys_win_over_the_text_area_and_slash_still_types(tmp_path: Path) -> None:
    sent: list[httpx.Request] = []
    app = edit_app(tmp_path, "addPet", sent)
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await opened(pilot, "POST /pets")
        await show_body(pilot, screen)
        editor = screen.request.query_one("#body-editor", TextArea)
        editor.focus()
        editor.load_text('{"name": "a"}')
        editor.move_cursor((0, 10))
        await pilot.press("/", "ctrl+u")  # "/" types; ctrl+u no longer deletes to the line start
        assert editor.text == '{"name": "/a"}'
        await pilot.press("ctrl+e")  # focus the endpoint list, not "cursor to line end"
        assert screen.focused is screen.endpoints.endpoint_tree
        assert editor.text == '{"name": "/a"}'
        editor.focus()
        await pilot.press("ctrl+l")
        assert screen.focused is url_input(screen)
        editor.focus()
        request = await send(pilot, sent)  # ctrl+j from inside the editor
        assert request.content == b'{"name": "/a"}'
        editor.focus()
        await pilot.press("ctrl+y")  # copy the requestId (there is none), not "redo"
        await pilot.pause()
        assert editor.text == '{"name": "/a"}'
        assert any("no requestId" in str(n.message) for n in app._notifications)
        for key, screen_class in (("f1", HelpScreen), ("ctrl+p", CommandPalette)):
            editor.focus()
            await pilot.press(key)
            await wait_until(pilot, lambda cls=screen_class: isinstance(app.screen, cls))  # type: ignore[misc]
            app.pop_screen()
            await pilot.pause()
        assert editor.text == '{"name": "/a"}'


async def test_escape_leaves_an_editor_for_the_request_tabs(tmp_path: Path) -> None:
    sent: list[httpx.Request] = []
    app = edit_app(tmp_path, "getThing", sent)
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await opened(pilot, "GET /things/{thingId}")
        row_input(screen, "thingId").focus()
        await pilot.press("x", "escape")
        assert isinstance(screen.focused, TabStrip)
        assert screen.focused in screen.request.query(TabStrip)
        await pilot.press("ctrl+l", "escape")
        assert isinstance(screen.focused, TabStrip)

    sent = []
    app = edit_app(tmp_path, "addPet", sent)
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await opened(pilot, "POST /pets")
        await show_body(pilot, screen)
        screen.request.query_one("#body-editor", TextArea).focus()
        await pilot.press("escape")
        assert isinstance(screen.focused, TabStrip)
        assert not isinstance(screen.focused, Input | TextArea)


async def test_ctrl_e_focuses_the_endpoint_list_from_every_text_field(tmp_path: Path) -> None:
    """Textual's Input binds ctrl+e to "cursor to end"; the app documents it as working anywhere."""
    sent: list[httpx.Request] = []
    app = edit_app(tmp_path, "getThing", sent)
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await opened(pilot, "GET /things/{thingId}")
        fields: list[Input] = [
            row_input(screen, "thingId"),
            url_input(screen),
            screen.endpoints.query_one("#filter", Input),
        ]
        for field in fields:
            field.focus()
            await pilot.pause()
            before = field.value
            await pilot.press("home", "ctrl+e")
            assert screen.focused is screen.endpoints.endpoint_tree, f"ctrl+e in {field.id}"
            assert field.value == before
        row_input(screen, "thingId").focus()
        await pilot.press("end", "ctrl+u")  # ctrl+u is not an app key: the field's own "delete to start"
        assert row_input(screen, "thingId").value == ""


async def test_undoing_a_paste_that_grew_the_body_past_the_editor_does_not_crash() -> None:
    """Textual's undo redrew the scrollbars before moving the cursor back: a line index error quit the app."""
    from textual.app import App, ComposeResult

    from labs_tui.tui.widgets.request.editor import BodyTextArea

    class Host(App[None]):
        def compose(self) -> ComposeResult:
            yield BodyTextArea('{"a": 1}', show_line_numbers=True)

    app = Host()
    async with app.run_test(size=(60, 12)) as pilot:
        editor = app.query_one(BodyTextArea)
        editor.focus()
        editor.move_cursor(editor.document.end)
        editor.insert("\n" + "\n".join(f"line {n}" for n in range(40)))  # as a paste lands
        await pilot.pause()
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert editor.text == '{"a": 1}'
        assert editor.cursor_location == (0, 8)
