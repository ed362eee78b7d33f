"""TabStrip and Tabbed: the one-widget tab row the request and response panes use instead of TabbedContent."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Static

from labs_tui.tui.widgets.tabs import Tabbed, TabPanel, TabStrip


class TabsApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.activated: list[str] = []

    def compose(self) -> ComposeResult:
        with Tabbed(id="tabs", initial="two"):
            with TabPanel("One", id="one"):
                yield Static("first panel")
            with TabPanel("Second", id="two"):
                yield Static("second panel")
            yield TabPanel("3", id="three")

    def on_tabbed_activated(self, event: Tabbed.Activated) -> None:
        self.activated.append(event.panel.id or "")


def shown(app: TabsApp) -> list[str]:
    return [panel.id or "" for panel in app.query(TabPanel) if panel.display]


def row_text(strip: TabStrip, y: int) -> str:
    return "".join(segment.text for segment in strip.render_line(y))


async def test_initial_panel_only_is_shown_and_the_labels_are_drawn() -> None:
    app = TabsApp()
    async with app.run_test(size=(40, 6)):
        strip = app.query_one(TabStrip)
        assert shown(app) == ["two"]
        assert row_text(strip, 0).rstrip() == " One  Second  3"
        assert app.activated == []  # the initial tab is not an activation


async def test_underline_highlights_exactly_the_active_label() -> None:
    app = TabsApp()
    async with app.run_test(size=(40, 6)):
        strip = app.query_one(TabStrip)
        segments = list(strip.render_line(1))
        assert sum(len(s.text) for s in segments) == 40
        # " One " is cells 0-4, " Second " 5-12: the bar under "Second" is cells 6-11, in its own colour.
        assert [len(s.text) for s in segments] == [6, 6, 28]
        assert segments[1].style != segments[0].style and segments[0].style == segments[2].style


async def test_right_and_left_keys_move_between_tabs_and_wrap() -> None:
    app = TabsApp()
    async with app.run_test(size=(40, 6)) as pilot:
        app.query_one(TabStrip).focus()
        await pilot.press("right")
        await pilot.pause()
        assert shown(app) == ["three"]
        await pilot.press("right")
        await pilot.pause()
        assert shown(app) == ["one"]
        await pilot.press("left")
        await pilot.pause()
        assert shown(app) == ["three"]
        assert app.activated == ["three", "one", "three"]


async def test_clicking_a_label_shows_its_panel() -> None:
    app = TabsApp()
    async with app.run_test(size=(40, 6)) as pilot:
        await pilot.click(TabStrip, offset=(2, 0))
        await pilot.pause()
        assert shown(app) == ["one"]
        assert app.query_one(Tabbed).active == "one"
        await pilot.click(TabStrip, offset=(30, 0))  # past the last label: nothing changes
        await pilot.pause()
        assert shown(app) == ["one"]


async def test_setting_active_shows_the_panel_and_unknown_ids_are_refused() -> None:
    app = TabsApp()
    async with app.run_test(size=(40, 6)) as pilot:
        tabbed = app.query_one(Tabbed)
        tabbed.active = "three"
        await pilot.pause()
        assert shown(app) == ["three"]
        assert app.activated == ["three"]
        with pytest.raises(ValueError):
            tabbed.active = "four"
        assert tabbed.active == "three"


def test_a_strip_needs_tabs_and_a_known_initial_tab() -> None:
    with pytest.raises(ValueError):
        TabStrip([])
    with pytest.raises(ValueError):
        TabStrip([("a", "A")], active="b")
    assert TabStrip([("a", "A"), ("b", "B")]).tab_at(4) == "b"


async def test_hidden_panels_are_mounted_only_when_first_shown_or_asked_for() -> None:
    app = TabsApp()
    async with app.run_test(size=(40, 6)) as pilot:
        tabbed = app.query_one(Tabbed)
        assert [panel.id for panel in app.query(TabPanel)] == ["two"]
        assert not app.query("#one Static")
        panel = tabbed.panel("three")  # asked for: mounted, still hidden
        await pilot.pause()
        assert panel.is_attached and not panel.display
        assert shown(app) == ["two"]
        tabbed.active = "one"
        await pilot.pause()
        assert shown(app) == ["one"]
        assert str(app.query_one("#one Static").render()) == "first panel"
        with pytest.raises(ValueError):
            tabbed.panel("four")


class WideTabsApp(App[None]):
    """Labels with wide characters (two terminal cells each): spans must be counted in cells."""

    def compose(self) -> ComposeResult:
        with Tabbed(id="tabs", initial="second"):
            yield TabPanel("応答", id="first")  # 2 characters, 4 cells
            yield TabPanel("Body", id="second")


async def test_wide_character_labels_are_measured_in_cells() -> None:
    app = WideTabsApp()
    async with app.run_test(size=(40, 6)) as pilot:
        strip = app.query_one(TabStrip)
        assert strip.tab_at(0) == "first" and strip.tab_at(5) == "first"
        assert strip.tab_at(6) == "second" and strip.tab_at(11) == "second"
        assert strip.tab_at(12) is None
        # The underline sits under "Body" (cells 7-10), not two cells to its left.
        segments = list(strip.render_line(1))
        assert [len(s.text) for s in segments] == [7, 4, 29]
        await pilot.click(TabStrip, offset=(5, 0))  # the last cell of " 応答 "
        await pilot.pause()
        assert strip.active == "first"
