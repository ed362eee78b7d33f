"""The pin picker is Textual's ``Select(compact=True)``, like the params' enum fields: one kind of
dropdown in the form. What it offers (the spec's versions, latest, custom...), how the keyboard opens
it, that custom... brings the field to type a pin, and that versions from the spec are shown literally."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from textual.widgets import Input, Select

from labs_tui.tui.app import make_app
from labs_tui.tui.screens.main import MainScreen

from .conftest import screen_text, settings_for, wait_until

SIZE = (140, 40)


def main_screen(app: Any) -> MainScreen:
    screen = app.screen
    assert isinstance(screen, MainScreen)
    return screen


def pin_select(app: Any) -> Select[str]:
    select: Select[str] = main_screen(app).request.query_one("#pin", Select)
    return select


async def started(pilot: Any) -> MainScreen:
    await wait_until(pilot, lambda: pilot.app.spec is not None)
    screen = main_screen(pilot.app)
    operation = pilot.app.spec.find("GET /examples/demo")
    assert operation is not None
    screen.open_operation(operation)
    await pilot.pause()
    return screen


async def test_the_pin_is_a_compact_select_offering_versions_latest_and_custom() -> None:
    app = make_app(settings_for("http://127.0.0.1:9/labs/v1"))
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        select = pin_select(app)
        assert type(select) is Select and select.compact
        values = [value for _, value in select._options]  # what the list offers, in order
        assert app.spec is not None
        assert values == [*app.spec.known_versions, "latest", "custom"]
        assert select.value == "latest"
        assert "latest (no header)" in screen_text(app)


@pytest.mark.parametrize("key", ["enter", "space", "down"])
async def test_the_keyboard_opens_the_list_and_picks_a_version(key: str) -> None:
    app = make_app(settings_for("http://127.0.0.1:9/labs/v1"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        select = pin_select(app)
        select.focus()
        await pilot.press(key)
        await pilot.pause()
        assert select.expanded
        await pilot.press("home", "enter")  # the first entry: the oldest known version
        await pilot.pause()
        assert not select.expanded
        assert screen.request.pin == app.spec.known_versions[0]
        assert f"sends X-Labs-API-Version: {app.spec.known_versions[0]}" in screen_text(app)


async def test_escape_closes_the_list_without_a_change() -> None:
    app = make_app(settings_for("http://127.0.0.1:9/labs/v1"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        select = pin_select(app)
        select.focus()
        await pilot.press("enter", "up")
        await pilot.press("escape")
        await pilot.pause()
        assert not select.expanded
        assert screen.request.pin is None


async def test_custom_brings_the_field_to_type_a_pin() -> None:
    app = make_app(settings_for("http://127.0.0.1:9/labs/v1"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        assert not screen.request.query("#pin-custom")
        pin_select(app).value = "custom"
        await wait_until(pilot, lambda: bool(screen.request.query("#pin-custom")))
        custom = screen.request.query_one("#pin-custom", Input)
        assert custom.display and app.focused is custom
        assert screen.request.collect() == ["type a custom pin, or choose one from the list"]
        await pilot.press("2", ".", "7")
        await pilot.pause()
        assert screen.request.pin == "2.7"
        pin_select(app).value = "latest"
        await pilot.pause()
        assert not custom.display
        assert screen.request.pin is None


async def test_versions_from_the_spec_are_shown_literally() -> None:
    app = make_app(settings_for("http://127.0.0.1:9/labs/v1"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        assert app.spec is not None
        spec = dataclasses.replace(app.spec, known_versions=("[bold]9.9[/bold]", "1.0"))
        screen.request.set_spec(spec, "[bold]9.9[/bold]")
        await pilot.pause()
        assert screen.request.pin == "[bold]9.9[/bold]"
        assert "[bold]9.9[/bold]" in screen_text(app)
