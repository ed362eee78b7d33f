"""The Headers tab's editor keeps its state before it is mounted (the first screen never mounts it)."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.widgets import Checkbox, Input, Static

from labs_tui.tui.widgets.request.headers import HeaderRow, HeadersEditor

TOKEN = "fake-test-token-not-a-secret"


class HostApp(App[None]):
    def __init__(self, editor: HeadersEditor) -> None:
        super().__init__()
        self.editor = editor

    def compose(self) -> ComposeResult:
        yield Vertical(id="slot")


def static_text(editor: HeadersEditor, selector: str) -> str:
    return str(editor.query_one(selector, Static).render())


async def test_state_set_before_mount_is_shown_once_mounted_and_kept_in_reads() -> None:
    editor = HeadersEditor(id="headers")
    editor.set_token(TOKEN)
    editor.set_version_header("X-Labs-API-Version")
    editor.set_pin("1.0")
    editor.send_auth = False
    editor.add_row("X-Trace", "abc")
    assert editor.custom_headers() == [("X-Trace", "abc")]
    assert editor.send_auth is False

    app = HostApp(editor)
    async with app.run_test() as pilot:
        await app.query_one("#slot").mount(editor)
        await pilot.pause()
        assert editor.query_one("#auth-enabled", Checkbox).value is False
        assert TOKEN not in static_text(editor, "#auth-value")
        assert editor.query_one("#pin-enabled", Checkbox).value is True
        assert static_text(editor, "#pin-value") == "1.0"
        rows = list(editor.query(HeaderRow))
        assert len(rows) == 1
        assert rows[0].query_one(".header-name", Input).value == "X-Trace"
        assert editor.custom_headers() == [("X-Trace", "abc")]


async def test_after_mount_the_checkbox_is_the_truth_and_set_rows_replaces_rows() -> None:
    editor = HeadersEditor(id="headers")
    app = HostApp(editor)
    async with app.run_test() as pilot:
        await app.query_one("#slot").mount(editor)
        await pilot.pause()
        editor.query_one("#auth-enabled", Checkbox).value = False  # the user unticks it
        await pilot.pause()
        assert editor.send_auth is False
        editor.add_row("A", "1")
        await pilot.pause()
        editor.set_rows([("B", "2"), ("C", "3")])
        await pilot.pause()
        assert editor.custom_headers() == [("B", "2"), ("C", "3")]
        editor.set_pin(None)
        await pilot.pause()
        assert editor.query_one("#pin-enabled", Checkbox).value is False
        assert "latest" in static_text(editor, "#pin-value")
