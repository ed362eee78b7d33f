"""BodyView / LineView: lines prepared off the UI thread, shown literally, searched, toggled, bounded."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from textual.app import App, ComposeResult
from textual.pilot import Pilot

from labs_tui.tui.widgets.response import BodyView, LineView, SyntaxColours
from labs_tui.tui.widgets.response import lines as lines_module
from labs_tui.tui.widgets.response.body_view import pretty_json_lines, text_lines

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4)
    ),
    max_leaves=20,
)


@given(json_values)
def test_pretty_lines_match_json_dumps(value: Any) -> None:
    assert list(pretty_json_lines(value)) == json.dumps(value, indent=2, ensure_ascii=False).split("\n")


def test_text_lines_drop_only_crlf_endings() -> None:
    assert list(text_lines("a\r\nb\rc\n")) == ["a", "b\rc", ""]


class BodyApp(App[None]):
    def compose(self) -> ComposeResult:
        yield BodyView()

    @property
    def body(self) -> BodyView:
        return self.query_one(BodyView)

    @property
    def lines(self) -> LineView:
        return self.query_one(LineView)


async def settle(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def visible(view: LineView) -> list[str]:
    return [view.render_line(y).text.rstrip() for y in range(view.size.height)]


async def test_json_pretty_highlighted_and_raw_toggle() -> None:
    app = BodyApp()
    value = {"items": [{"id": i, "name": f"item {i}"} for i in range(3000)]}
    raw = json.dumps(value)
    async with app.run_test(size=(80, 20)) as pilot:
        app.body.show_json(value, raw)
        await settle(pilot)
        assert app.lines.complete
        assert list(app.lines.lines) == json.dumps(value, indent=2).split("\n")
        assert visible(app.lines)[:3] == ["{", '  "items": [', "    {"]
        key_line = app.lines.render_line(3)
        key_segment = next(seg for seg in key_line if seg.text == '"id"')
        assert key_segment.style is not None and key_segment.style.bold
        app.lines.focus()
        await pilot.press("r")
        await settle(pilot)
        assert app.body.raw
        assert list(app.lines.lines) == [raw]
        await pilot.press("r")
        await settle(pilot)
        assert not app.body.raw
        assert len(app.lines.lines) > 3000


async def test_colours_are_swappable() -> None:
    app = BodyApp()
    async with app.run_test(size=(60, 10)) as pilot:
        app.body.show_json({"k": 1})
        await settle(pilot)
        app.body.colours = SyntaxColours(key="#ff0000", number="underline")
        await pilot.pause()
        strip = app.lines.render_line(1)
        key = next(seg for seg in strip if seg.text == '"k"')
        number = next(seg for seg in strip if seg.text == "1")
        assert key.style is not None and key.style.color is not None
        assert key.style.color.triplet is not None and key.style.color.triplet.hex == "#ff0000"
        assert number.style is not None and number.style.underline


async def test_text_with_markup_and_escapes_is_literal() -> None:
    app = BodyApp()
    async with app.run_test(size=(80, 10)) as pilot:
        app.body.show_text("[bold red]x[/]\n\x1b[31mred\x1b[0m\n\x1b]52;c;cHduZWQ=\x07\npaid\rFAKE\ttab")
        await settle(pilot)
        shown = visible(app.lines)
        assert shown[:4] == ["[bold red]x[/]", "␛[31mred␛[0m", "␛]52;c;cHduZWQ=␇", "paid␍FAKE   tab"]
        assert all(seg.style is None or not seg.style.bold for seg in app.lines.render_line(0))
        assert "\x1b" not in app.export_screenshot()


async def test_long_line_is_cropped_and_scrolls_horizontally() -> None:
    app = BodyApp()
    line = "".join(f"<{i:06d}>" for i in range(20_000))
    async with app.run_test(size=(40, 8)) as pilot:
        app.body.show_text(line)
        await settle(pilot)
        assert app.lines.virtual_size.width == len(line)
        assert app.lines.render_line(0).text.startswith("<000000><000001>")
        app.lines.scroll_to(x=80_000, animate=False, immediate=True)
        await pilot.pause()
        assert app.lines.render_line(0).text.startswith("<010000>")


async def test_search_next_previous_move_cursor_and_scroll() -> None:
    app = BodyApp()
    text = "\n".join("needle here" if i in (5, 400, 900) else f"hay {i}" for i in range(1000))
    async with app.run_test(size=(60, 20)) as pilot:
        app.body.show_text(text)
        await settle(pilot)
        app.lines.focus()
        await pilot.press("ctrl+f")
        assert app.focused is not None and app.focused.id == "search-input"
        await pilot.press(*"NEEDLE")
        await settle(pilot)
        assert app.lines.match_count == 3
        await pilot.press("enter")
        assert app.lines.cursor_line == 5
        await pilot.press("enter")
        await pilot.pause()
        assert app.lines.cursor_line == 400
        assert app.lines.scroll_y <= 400 < app.lines.scroll_y + app.lines.size.height
        await pilot.press("f3")
        await pilot.pause()
        assert app.lines.cursor_line == 900
        await pilot.press("f3")
        assert app.lines.cursor_line == 5
        await pilot.press("shift+f3")
        await pilot.pause()
        assert app.lines.cursor_line == 900
        assert app.lines.scroll_y > 800
        await pilot.press("escape")
        assert app.focused is app.lines
        await pilot.press("N")
        assert app.lines.cursor_line == 400
        await pilot.press("n")
        assert app.lines.cursor_line == 900
        current = app.lines.render_line(900 - int(app.lines.scroll_y))
        assert any(seg.text == "needle" and seg.style and seg.style.bgcolor for seg in current)


async def test_search_without_match_says_so() -> None:
    app = BodyApp()
    async with app.run_test(size=(60, 10)) as pilot:
        app.body.show_text("alpha\nbeta")
        await settle(pilot)
        app.body.search("gamma")
        await settle(pilot)
        assert app.lines.match_count == 0
        assert app.body.search_status == "no match"
        assert not app.body.query("#search-bar")  # searched from code: the bar is not built
        app.body.line_view.focus()
        await pilot.press("ctrl+f")
        await settle(pilot)
        assert "no match" in str(app.body.query_one("#search-count").render())


async def test_lines_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lines_module, "MAX_LINES", 50)
    app = BodyApp()
    async with app.run_test(size=(60, 10)) as pilot:
        app.body.show_text("\n" * 10_000)
        await settle(pilot)
        assert len(app.lines.lines) == 50
        assert app.lines.capped
        assert "first 50 lines" in app.body.notice


async def test_unprintable_json_falls_back_to_raw() -> None:
    app = BodyApp()
    deep: Any = []
    for _ in range(50_000):
        deep = [deep]
    async with app.run_test(size=(60, 10)) as pilot:
        app.body.show_json(deep, "[[[...]]]")
        await settle(pilot)
        assert app.body.raw
        assert list(app.lines.lines) == ["[[[...]]]"]
        assert "showing the body as received" in app.body.notice


async def test_cursor_keys_move_and_keep_cursor_visible() -> None:
    app = BodyApp()
    async with app.run_test(size=(60, 10)) as pilot:
        app.body.show_text("\n".join(str(i) for i in range(500)))
        await settle(pilot)
        app.lines.focus()
        await pilot.press("down", "down", "pagedown")
        assert app.lines.cursor_line > 2
        await pilot.press("end")
        await pilot.pause()
        assert app.lines.cursor_line == 499
        assert app.lines.scroll_y >= 499 - app.lines.size.height
        await pilot.press("home")
        await pilot.pause()
        assert app.lines.cursor_line == 0 and app.lines.scroll_y == 0


class EscapeApp(App[None]):
    """An app that owns escape (as the shell does: cancel a send)."""

    BINDINGS = [("escape", "note_escape", "Cancel")]

    def __init__(self) -> None:
        super().__init__()
        self.escapes = 0

    def compose(self) -> ComposeResult:
        yield BodyView()

    def action_note_escape(self) -> None:
        self.escapes += 1


async def test_escape_passes_through_when_search_is_closed() -> None:
    app = EscapeApp()
    async with app.run_test(size=(60, 10)) as pilot:
        app.query_one(BodyView).show_text("one\ntwo")
        await settle(pilot)
        app.query_one(LineView).focus()
        await pilot.press("escape")
        assert app.escapes == 1
        await pilot.press("ctrl+f", "escape")
        assert app.escapes == 1
        assert app.focused is app.query_one(LineView)
