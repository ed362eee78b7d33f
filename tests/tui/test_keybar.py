"""KeyBar, the one-widget stand-in for Textual's Footer: what the bottom line shows, what clicking it does.

Assertions read the bar's painted line, the screen, or the bar's entries; a small app with its own bindings
stands in for labs-tui's screens so the cases (hidden, disabled, focus-dependent, grouped) are explicit.
"""

from __future__ import annotations

from typing import Any

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.color import Color
from textual.command import CommandPalette
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

from labs_tui.tui.widgets.keybar import KeyBar

from .conftest import screen_text, wait_until

MOVE = Binding.Group("Move")


class Panel(Widget, can_focus=True):
    """A focusable widget with a binding of its own, so focus changes the active bindings."""

    BINDINGS = [Binding("f8", "poke", "Poke panel")]
    DEFAULT_CSS = "Panel { height: 3; }"

    def action_poke(self) -> None:
        self.app.calls.append("poke")  # type: ignore[attr-defined]


class KeysScreen(Screen[None]):
    AUTO_FOCUS = None
    BINDINGS = [
        Binding("f2", "go", "Go"),
        Binding("f12", "go", "Go again"),
        Binding("f3", "secret", "Secret", show=False),
        Binding("f4", "locked", "Locked"),
        Binding("f5", "gone", "Gone"),
        Binding("f6", "up", "Up", group=MOVE),
        Binding("f7", "down", "Down", group=MOVE),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.locked = True

    def compose(self) -> ComposeResult:
        yield Static("body")
        yield Panel()
        yield KeyBar()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "locked":
            return None if self.locked else True
        if action == "gone":
            return False
        return True

    def _record(self, name: str) -> None:
        self.app.calls.append(name)  # type: ignore[attr-defined]

    def action_go(self) -> None:
        self._record("go")

    def action_secret(self) -> None:
        self._record("secret")

    def action_locked(self) -> None:
        self._record("locked")

    def action_gone(self) -> None:
        self._record("gone")

    def action_up(self) -> None:
        self._record("up")

    def action_down(self) -> None:
        self._record("down")


class KeysApp(App[None]):
    AUTO_FOCUS = None

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[str] = []

    def on_mount(self) -> None:
        self.push_screen(KeysScreen())


def bar_line(app: Any) -> str:
    """The bar's painted line (``screen_text`` loses whitespace-only runs, which the SVG export omits)."""
    return bar(app).render_line(0).text


def on_screen(app: Any, text: str) -> bool:
    return text in screen_text(app)


def bar(app: Any) -> KeyBar:
    return app.screen.query_one(KeyBar)  # type: ignore[no-any-return]


def entry_x(app: Any, key: str) -> int:
    """The first cell of the entry for ``key`` on the bar (from the bar's own layout)."""
    for entry_key, _description, _enabled, start, _end in bar(app).entries:
        if entry_key == key:
            return start
    raise AssertionError(f"no entry for {key}")


async def started(pilot: Any) -> None:
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, KeysScreen))
    await pilot.pause()


async def test_shown_bindings_appear_with_key_display_and_description() -> None:
    app = KeysApp()
    async with app.run_test(size=(100, 10)) as pilot:
        await started(pilot)
        line = bar_line(app)
        assert on_screen(app, "f2 Go") and on_screen(app, "f4 Locked")
        assert " f2 Go " in line
        assert " f4 Locked " in line
        assert "Go again" not in line and "f12" not in line
        assert "Secret" not in line and "f3" not in line
        assert "Gone" not in line and "f5" not in line
        assert " f6 f7 Move " in line
        assert line.index("f2 Go") < line.index("f4 Locked") < line.index("f6 f7 Move")
        keys = [entry[0] for entry in bar(app).entries]
        assert keys == ["f2", "f4", "f6", "f7", "ctrl+p"]
        enabled = {entry[0]: entry[2] for entry in bar(app).entries}
        assert enabled["f4"] is False and enabled["f2"] is True


async def test_palette_entry_sits_at_the_right_end() -> None:
    app = KeysApp()
    async with app.run_test(size=(100, 10)) as pilot:
        await started(pilot)
        line = bar_line(app)
        assert line.rstrip().endswith("\u258f^p palette")
        assert len(line) == 100
        assert line.count("palette") == 1


async def test_bar_is_complete_on_the_first_frame() -> None:
    app = App[None]()
    app.compose = lambda: iter([Static("x"), KeyBar()])  # type: ignore[method-assign]
    async with app.run_test(size=(60, 5)):
        assert on_screen(app, "^p palette")
        assert bar_line(app).endswith("\u258f^p palette ")


async def test_focus_on_a_widget_with_bindings_changes_the_bar() -> None:
    app = KeysApp()
    async with app.run_test(size=(100, 10)) as pilot:
        await started(pilot)
        assert "Poke panel" not in bar_line(app)
        app.screen.query_one(Panel).focus()
        await wait_until(pilot, lambda: "Poke panel" in bar_line(app))
        assert " f8 Poke panel " in bar_line(app)
        app.screen.set_focus(None)
        await wait_until(pilot, lambda: "Poke panel" not in bar_line(app))


async def test_clicking_an_entry_runs_its_action() -> None:
    app = KeysApp()
    async with app.run_test(size=(100, 10)) as pilot:
        await started(pilot)
        await pilot.click(KeyBar, offset=(entry_x(app, "f2") + 2, 0))
        await wait_until(pilot, lambda: app.calls == ["go"])
        await pilot.click(KeyBar, offset=(entry_x(app, "f7"), 0))
        await wait_until(pilot, lambda: app.calls == ["go", "down"])


async def test_clicking_a_disabled_entry_rings_the_bell_and_does_nothing(monkeypatch: Any) -> None:
    app = KeysApp()
    rang: list[bool] = []
    async with app.run_test(size=(100, 10)) as pilot:
        await started(pilot)
        monkeypatch.setattr(app, "bell", lambda: rang.append(True))
        await pilot.click(KeyBar, offset=(entry_x(app, "f4") + 3, 0))
        await pilot.pause()
        assert rang == [True]
        assert app.calls == []


async def test_clicking_the_gap_does_nothing(monkeypatch: Any) -> None:
    app = KeysApp()
    rang: list[bool] = []
    async with app.run_test(size=(100, 10)) as pilot:
        await started(pilot)
        monkeypatch.setattr(app, "bell", lambda: rang.append(True))
        await pilot.click(KeyBar, offset=(60, 0))
        await pilot.pause()
        assert app.calls == [] and rang == []
        assert isinstance(app.screen, KeysScreen)


async def test_enabling_a_binding_undims_it_and_makes_it_clickable() -> None:
    app = KeysApp()
    async with app.run_test(size=(100, 10)) as pilot:
        await started(pilot)
        screen = app.screen
        assert isinstance(screen, KeysScreen)
        screen.locked = False
        screen.refresh_bindings()
        await wait_until(pilot, lambda: {e[0]: e[2] for e in bar(app).entries}["f4"] is True)
        await pilot.click(KeyBar, offset=(entry_x(app, "f4") + 1, 0))
        await wait_until(pilot, lambda: app.calls == ["locked"])


async def test_clicking_the_palette_entry_opens_the_palette() -> None:
    app = KeysApp()
    async with app.run_test(size=(100, 10)) as pilot:
        await started(pilot)
        await pilot.click(KeyBar, offset=(95, 0))
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette))


async def test_narrow_line_cuts_the_left_entries_and_keeps_the_palette() -> None:
    app = KeysApp()
    async with app.run_test(size=(20, 6)) as pilot:
        await started(pilot)
        line = bar_line(app)
        assert line.rstrip().endswith("\u258f^p palette")
        assert line.startswith(" f2 Go ")
        assert "Locked" not in line
        assert len(line) == 20
        await pilot.click(KeyBar, offset=(15, 0))
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette))


async def test_too_narrow_for_the_palette_shows_the_left_entries() -> None:
    app = KeysApp()
    async with app.run_test(size=(10, 6)) as pilot:
        await started(pilot)
        line = bar_line(app)
        assert "palette" not in line
        assert line.startswith(" f2 Go ")


async def test_resizing_relays_out_the_bar() -> None:
    app = KeysApp()
    async with app.run_test(size=(100, 10)) as pilot:
        await started(pilot)
        assert "Locked" in bar_line(app)
        await pilot.resize_terminal(20, 10)
        await wait_until(pilot, lambda: "Locked" not in bar_line(app))
        assert bar_line(app).rstrip().endswith("^p palette")


async def test_hover_highlights_an_entry_and_leaving_clears_it() -> None:
    app = KeysApp()
    async with app.run_test(size=(100, 10)) as pilot:
        await started(pilot)
        keybar = bar(app)
        plain_style = keybar.get_visual_style("keybar--item", "keybar--key")
        hover_style = keybar.get_visual_style("keybar--item", "keybar--hover", "keybar--key")
        assert plain_style.background != hover_style.background
        await pilot.hover(KeyBar, offset=(entry_x(app, "f4") + 1, 0))
        assert keybar.hovered == 1
        assert keybar.has_class("-over-entry")
        await pilot.hover(KeyBar, offset=(60, 0))
        assert keybar.hovered is None
        await pilot.hover(KeyBar, offset=(entry_x(app, "f2"), 0))
        assert keybar.hovered == 0
        await pilot.hover(Static, offset=(0, 0))
        await pilot.pause()
        assert keybar.hovered is None


async def test_colours_come_from_the_footer_theme_variables() -> None:
    app = KeysApp()
    async with app.run_test(size=(100, 10)) as pilot:
        await started(pilot)
        for theme in ("textual-dark", "textual-light"):
            app.theme = theme
            await pilot.pause()
            variables = app.theme_variables
            keybar = bar(app)
            key = keybar.get_visual_style("keybar--item", "keybar--key")
            description = keybar.get_visual_style("keybar--item", "keybar--description")
            assert key.foreground == Color.parse(variables["footer-key-foreground"])
            assert key.bold
            assert description.foreground == Color.parse(variables["footer-description-foreground"])
            assert keybar.styles.background == Color.parse(variables["footer-background"])
            assert keybar.get_visual_style("keybar--disabled", partial=True).dim


async def test_no_children_after_many_binding_changes() -> None:
    app = KeysApp()
    async with app.run_test(size=(100, 10)) as pilot:
        await started(pilot)
        screen = app.screen
        assert isinstance(screen, KeysScreen)
        panel = screen.query_one(Panel)
        for round_ in range(4):
            panel.focus()
            await pilot.pause()
            screen.locked = round_ % 2 == 0
            screen.set_focus(None)
            screen.refresh_bindings()
            await pilot.pause()
        keybar = bar(app)
        assert len(keybar.children) == 0
        assert list(keybar.query("*")) == []
        assert " f2 Go " in bar_line(app)


async def test_unmounted_bar_no_longer_listens() -> None:
    app = KeysApp()
    async with app.run_test(size=(100, 10)) as pilot:
        await started(pilot)
        screen = app.screen
        keybar = bar(app)
        subscribers = screen.bindings_updated_signal._subscriptions
        assert keybar in subscribers
        await keybar.remove()
        assert keybar not in subscribers
