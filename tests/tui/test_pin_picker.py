"""PinPicker, the one-line pin chooser: what it shows, how it opens, what it posts, and that its list
is built only when first opened."""

from __future__ import annotations

from collections.abc import Iterable

import pytest
from rich.text import Text
from textual import on
from textual.app import App, ComposeResult
from textual.widgets import Input, OptionList, Static

from labs_tui.tui.widgets.request.pin import PinDropdown, PinPicker

from .conftest import screen_text

OPTIONS: list[tuple[str | Text, str]] = [
    ("1.0", "1.0"),
    ("1.1", "1.1"),
    (Text("latest (no header)"), "latest"),
    ("custom...", "custom"),
]


class Host(App[None]):
    """A field before the picker, the picker, and some space below it; records every Changed."""

    CSS = "#pin { width: 24; } #filler { height: 1fr; }"

    def __init__(
        self, options: Iterable[tuple[str | Text, str]] = OPTIONS, value: str | None = None, top: bool = True
    ) -> None:
        super().__init__()
        self.options = list(options)
        self.initial = value
        self.top = top
        self.changes: list[tuple[str | None, bool]] = []

    def compose(self) -> ComposeResult:
        yield Input(id="before")
        if not self.top:
            yield Static("", id="filler")
        yield PinPicker(self.options, value=self.initial, id="pin")
        if self.top:
            yield Static("", id="filler")

    @property
    def picker(self) -> PinPicker:
        return self.query_one("#pin", PinPicker)

    @on(PinPicker.Changed, "#pin")
    def _changed(self, event: PinPicker.Changed) -> None:
        self.changes.append((event.value, event.control is self.picker))


def line(picker: PinPicker) -> str:
    return picker.render_line(0).text


def dropdown_open(app: App[None]) -> bool:
    return isinstance(app.screen, PinDropdown)


async def test_renders_the_current_label_and_an_arrow_in_one_line() -> None:
    app = Host(value="1.1")
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        picker = app.picker
        assert picker.region.height == 1 and picker.region.width == 24
        text = line(picker)
        assert text.startswith("1.1 ")
        assert text.rstrip().endswith("\u25bc")
        assert "1.0" not in text


async def test_a_long_label_is_cut_with_an_ellipsis_and_keeps_the_arrow() -> None:
    app = Host(options=[("v" * 40, "long"), ("short", "s")])
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        text = line(app.picker)
        assert app.picker.region.width == 24 and len(text.rstrip()) in (23, 24)
        assert "\u2026" in text and text.rstrip().endswith("\u25bc")


@pytest.mark.parametrize("key", ["enter", "space", "down"])
async def test_keyboard_open_move_pick_posts_one_changed(key: str) -> None:
    app = Host()
    async with app.run_test(size=(60, 20)) as pilot:
        app.picker.focus()
        await pilot.press(key)
        await pilot.pause()
        assert dropdown_open(app)
        assert app.screen.query_one(OptionList).highlighted == 0
        await pilot.press("down", "down", "up", "down", "enter")
        await pilot.pause()
        assert not dropdown_open(app)
        assert app.picker.value == "latest"
        assert app.changes == [("latest", True)]
        assert app.focused is app.picker


async def test_opening_highlights_the_current_option() -> None:
    app = Host(value="custom")
    async with app.run_test(size=(60, 20)) as pilot:
        app.picker.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.query_one(OptionList).highlighted == 3


async def test_escape_closes_without_change_and_focus_returns() -> None:
    app = Host()
    async with app.run_test(size=(60, 20)) as pilot:
        app.picker.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert dropdown_open(app)
        await pilot.press("down", "escape")
        await pilot.pause()
        assert not dropdown_open(app)
        assert app.picker.value == "1.0"
        assert app.changes == []
        assert app.focused is app.picker


async def test_picking_the_current_option_posts_nothing() -> None:
    app = Host()
    async with app.run_test(size=(60, 20)) as pilot:
        app.picker.focus()
        await pilot.press("enter", "enter")
        await pilot.pause()
        assert not dropdown_open(app)
        assert app.changes == []


async def test_click_opens_and_clicking_an_option_picks_it() -> None:
    app = Host()
    async with app.run_test(size=(60, 20)) as pilot:
        app.query_one("#before").focus()
        await pilot.click("#pin")
        await pilot.pause()
        assert dropdown_open(app)
        options = app.screen.query_one(OptionList)
        assert options.region.y == app.picker.region.bottom
        await pilot.click(OptionList, offset=(2, 1))  # the second option
        await pilot.pause()
        assert not dropdown_open(app)
        assert app.picker.value == "1.1"
        assert app.changes == [("1.1", True)]
        assert app.focused is app.picker


async def test_click_outside_closes_without_change() -> None:
    app = Host()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.click("#pin")
        await pilot.pause()
        assert dropdown_open(app)
        await pilot.click(offset=(55, 18))
        await pilot.pause()
        assert not dropdown_open(app)
        assert app.picker.value == "1.0"
        assert app.changes == []
        assert app.focused is app.picker


async def test_the_list_opens_above_when_there_is_no_room_below() -> None:
    app = Host(top=False)
    async with app.run_test(size=(60, 20)) as pilot:
        app.picker.focus()
        await pilot.press("enter")
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        assert options.region.bottom == app.picker.region.y
        assert options.region.x == app.picker.region.x


async def test_assigning_a_value_posts_changed_unless_same_or_prevented() -> None:
    app = Host()
    async with app.run_test(size=(60, 20)) as pilot:
        picker = app.picker
        picker.value = "1.1"
        picker.value = "1.1"
        await pilot.pause()
        assert app.changes == [("1.1", True)]
        assert line(picker).startswith("1.1 ")
        with picker.prevent(PinPicker.Changed):
            picker.value = "latest"
        await pilot.pause()
        assert picker.value == "latest"
        assert app.changes == [("1.1", True)]
        assert line(picker).startswith("latest (no header)")


async def test_an_unknown_value_raises_and_changes_nothing() -> None:
    app = Host()
    async with app.run_test(size=(60, 20)) as pilot:
        with pytest.raises(ValueError):
            app.picker.value = "9.9"
        with pytest.raises(ValueError):
            app.picker.value = None
        await pilot.pause()
        assert app.picker.value == "1.0"
        assert app.changes == []
    with pytest.raises(ValueError):
        PinPicker(OPTIONS, value="9.9")


async def test_set_options_keeps_an_offered_value_else_takes_the_first() -> None:
    app = Host(value="1.1")
    async with app.run_test(size=(60, 20)) as pilot:
        picker = app.picker
        picker.set_options([("2.0", "2.0"), ("1.1 again", "1.1")])
        await pilot.pause()
        assert picker.value == "1.1"
        assert app.changes == []
        assert line(picker).startswith("1.1 again")
        picker.set_options([("3.0", "3.0"), ("3.1", "3.1")])
        await pilot.pause()
        assert picker.value == "3.0"
        assert app.changes == [("3.0", True)]
        assert [value for _, value in picker.options] == ["3.0", "3.1"]
        with picker.prevent(PinPicker.Changed):
            picker.set_options([("4.0", "4.0")])
        await pilot.pause()
        assert picker.value == "4.0"
        assert len(app.changes) == 1


async def test_markup_looking_labels_are_shown_literally() -> None:
    app = Host(options=[("[bold]x[/]", "x"), ("[red]y", "y")])
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        assert line(app.picker).startswith("[bold]x[/] ")
        assert "[bold]x[/]" in screen_text(app)
        app.picker.focus()
        await pilot.press("enter")
        await pilot.pause()
        text = screen_text(app)
        assert "[bold]x[/]" in text and "[red]y" in text


async def test_no_options_shows_none_and_does_not_open() -> None:
    app = Host(options=[])
    async with app.run_test(size=(60, 20)) as pilot:
        picker = app.picker
        await pilot.pause()
        assert picker.value is None
        assert line(picker).startswith("(none) ")
        picker.focus()
        await pilot.press("enter")
        await pilot.click("#pin")
        await pilot.pause()
        assert not dropdown_open(app)
        with pytest.raises(ValueError):
            picker.value = "1.0"
        picker.set_options(OPTIONS)
        await pilot.pause()
        assert picker.value == "1.0"
        assert app.changes == [("1.0", True)]
        picker.set_options([])
        await pilot.pause()
        assert picker.value is None
        assert app.changes[-1] == (None, True)
        assert line(picker).startswith("(none) ")


async def test_the_value_can_be_set_before_mount() -> None:
    picker = PinPicker(OPTIONS, id="late")
    picker.value = "custom"
    assert picker.value == "custom"
    app = Host()
    async with app.run_test(size=(60, 20)) as pilot:
        await app.mount(picker)
        await pilot.pause()
        assert picker.value == "custom"
        assert line(picker).startswith("custom... ")
        assert app.changes == []


async def test_nothing_is_built_for_the_list_before_it_is_first_opened() -> None:
    app = Host()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        assert list(app.picker.children) == []
        assert not any(isinstance(screen, PinDropdown) for screen in app.screen_stack)
        assert not app.screen.query(OptionList)
        app.picker.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert len(app.screen.query(OptionList)) == 1
        await pilot.press("escape")
        await pilot.pause()
        assert not any(isinstance(screen, PinDropdown) for screen in app.screen_stack)
