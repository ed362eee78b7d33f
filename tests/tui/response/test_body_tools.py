"""Body tools in the response pane: a JSONPath/jq filter (.), copy (c) and save to a file (s)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from textual.widgets import Input, TextArea

from labs_tui.client.model import Diagnosis
from labs_tui.tui.screens.dialogs import PromptScreen, TextScreen
from labs_tui.tui.widgets.response import BodyView, LineView

from .conftest import Clock, PaneApp, json_result

VALUE = {"items": [{"id": i, "name": f"item {i}", "tags": ["x"] * (i % 3)} for i in range(50)], "total": 50}
# Received with odd spacing and a trailing newline: the raw save must keep these bytes as they came.
RAW = '{"items":  ' + json.dumps(VALUE["items"]) + ',\n "total": 50}\n'


def pane_app() -> PaneApp:
    result = json_result(VALUE, text=RAW, body=RAW.encode(), size=len(RAW))
    return PaneApp(Clock(), (result, Diagnosis(title="200 OK")))


async def settle(pilot: Any) -> None:
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def filter_with(pilot: Any, expression: str) -> BodyView:
    app = pilot.app
    body: BodyView = app.query_one(BodyView)
    app.query_one(LineView).focus()
    await pilot.press("full_stop")
    await pilot.pause()
    field = app.query_one("#filter-input", Input)
    assert field.has_focus
    field.value = ""
    await pilot.press(*expression)  # typed: ".", "c" and "s" go into the field, not to the body's keys
    assert field.value == expression
    await pilot.press("enter")
    await settle(pilot)
    return body


async def test_jsonpath_filter_shows_the_values_highlighted_and_escape_restores() -> None:
    app = pane_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        whole = list(app.query_one(LineView).lines)
        body = await filter_with(pilot, "$.items[?(@.id > 47)].name")
        lines = app.query_one(LineView).lines
        assert list(lines) == ["[", '  "item 48",', '  "item 49"', "]"]
        assert body.filter_expression == "$.items[?(@.id > 47)].name"
        assert "2 values" in body.notice
        strip = app.query_one(LineView).render_line(1)
        string_segment = next(seg for seg in strip if '"item 48"' in seg.text)
        assert string_segment.style is not None and string_segment.style.color is not None  # highlighted
        await pilot.press("escape")
        await settle(pilot)
        assert list(app.query_one(LineView).lines) == whole
        assert body.filter_expression is None and body.notice == ""


async def test_jq_filter_and_a_bad_expression_is_one_line() -> None:
    app = pane_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        body = await filter_with(pilot, "(.items | length), .total")
        assert list(app.query_one(LineView).lines) == ["[", "  50,", "  50", "]"]
        body = await filter_with(pilot, ".total")
        assert list(app.query_one(LineView).lines) == ["50"]
        body = await filter_with(pilot, ".items[] | ")
        assert body.notice.startswith("filter: not a jq expression")
        assert "\n" not in body.notice
        assert list(app.query_one(LineView).lines) == ["50"]  # the last good result stays


async def test_save_raw_writes_the_bytes_as_received(tmp_path: Path) -> None:
    app = pane_app()
    target = tmp_path / "raw.json"
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.query_one(LineView).focus()
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen)
        app.screen.query_one(Input).value = str(target)
        await pilot.press("enter")
        await settle(pilot)
    assert target.read_bytes() == RAW.encode()


async def test_save_filtered_and_pretty(tmp_path: Path) -> None:
    app = pane_app()
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        app.query_one(LineView).focus()
        await pilot.press("s")
        await pilot.pause()
        app.screen.query_one(Input).value = str(tmp_path / "pretty.json")
        await pilot.press("enter")
        await settle(pilot)
        await filter_with(pilot, "$.total")
        app.query_one(LineView).focus()
        await pilot.press("s")
        await pilot.pause()
        app.screen.query_one(Input).value = str(tmp_path / "filtered.json")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("s")
        await pilot.pause()
        app.screen.query_one(Input).value = str(tmp_path)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PromptScreen)  # a folder is refused in the dialog
        refusal = str(app.screen.query_one("#prompt-error").render())
        assert f"{tmp_path} is a folder; give a file name" in refusal
    assert (tmp_path / "pretty.json").read_text() == json.dumps(VALUE, indent=2) + "\n"
    assert (tmp_path / "filtered.json").read_text() == "50\n"


async def test_enter_saves_the_suggested_name_and_says_so(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.chdir(tmp_path)
    app = pane_app()
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        app.query_one(LineView).focus()
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen)
        assert app.screen.query_one(Input).value == "response.json"  # a value, not a placeholder
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, PromptScreen)
        assert any("to " + str(tmp_path / "response.json") in n.message for n in app._notifications)
    assert json.loads((tmp_path / "response.json").read_text()) == VALUE


async def test_typing_replaces_the_suggestion_and_empty_is_refused(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.chdir(tmp_path)
    app = pane_app()
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        app.query_one(LineView).focus()
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("backspace")  # the suggestion is selected: one key clears it
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen)
        assert "a file name is needed" in str(app.screen.query_one("#prompt-error").render())
        await pilot.press(*"mine.json", "enter")
        await settle(pilot)
        assert not isinstance(app.screen, PromptScreen)
    assert (tmp_path / "mine.json").exists() and not (tmp_path / "response.json").exists()


async def test_a_missing_folder_is_refused_and_not_created(tmp_path: Path) -> None:
    app = pane_app()
    typed = str(tmp_path / "nonexistent" / "x.json")
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        app.query_one(LineView).focus()
        await pilot.press("s")
        await pilot.pause()
        app.screen.query_one(Input).value = typed
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PromptScreen)  # still open, the text kept to be fixed
        assert app.screen.query_one(Input).value == typed
        shown = str(app.screen.query_one("#prompt-error").render())
        assert shown == f"the folder {tmp_path / 'nonexistent'} does not exist"
        assert not any("saved" in (n.title or "") for n in app._notifications)
    assert not (tmp_path / "nonexistent").exists()


def test_the_writer_never_creates_the_folder(tmp_path: Path) -> None:
    """The folder going away after the dialog checked it: atomic_write is told not to create it."""
    from labs_tui.store import atomic_write

    try:
        atomic_write(tmp_path / "gone" / "x.json", b"{}", make_parents=False)
    except FileNotFoundError:
        pass
    assert not (tmp_path / "gone").exists()


async def test_copy_goes_through_the_app_copy_path(start_sandbox: Any) -> None:
    from labs_tui.tui.app import make_app

    from ..conftest import settings_for
    from ..test_journeys import open_demo, send

    sandbox = start_sandbox()
    app = make_app(settings_for(sandbox.base_url))
    copied: list[str] = []
    app.copy_to_clipboard = copied.append  # type: ignore[method-assign,assignment]
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await open_demo(pilot)
        result, _ = await send(pilot, screen)
        await settle(pilot)
        screen.response.body_view.line_view.focus()
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, TextScreen)
        assert copied and json.loads(copied[0]) == result.json
        assert app.screen.query_one(TextArea).text == copied[0]
        assert "Copied: response body (pretty)" in str(app.screen.query_one(".dialog-title").render())
