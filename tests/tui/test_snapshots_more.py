"""Snapshots of the states the first set missed: a small terminal, the light theme, the open pin list, F1.

80x24 is the smallest terminal people run in; the light theme is where colours resolved against a dark
background go wrong; the pin list and the help are overlays drawn over the main screen. Same freezing as
``test_snapshots`` (fixed requestIds, host, clock and timings).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.widgets import Select

from labs_tui.tui.screens.help import HelpScreen
from labs_tui.tui.screens.main import MainScreen

from .conftest import wait_until
from .test_snapshots import journey, snapshot_app

SMALL = (80, 24)


def test_response_200_at_80x24(snap_compare: Any, start_sandbox: Callable[..., Any]) -> None:
    assert snap_compare(snapshot_app(start_sandbox), run_before=journey(), terminal_size=SMALL)


def test_error_401_at_80x24(snap_compare: Any, start_sandbox: Callable[..., Any]) -> None:
    assert snap_compare(snapshot_app(start_sandbox), run_before=journey(auth=False), terminal_size=SMALL)


def test_response_200_light_theme(snap_compare: Any, start_sandbox: Callable[..., Any]) -> None:
    async def run_before(pilot: Any) -> None:
        pilot.app.theme = "light"
        await journey()(pilot)

    assert snap_compare(snapshot_app(start_sandbox), run_before=run_before, terminal_size=(130, 40))


def test_pin_list_open(snap_compare: Any, start_sandbox: Callable[..., Any]) -> None:
    async def run_before(pilot: Any) -> None:
        await journey(sends=0)(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, MainScreen)
        pin = screen.request.query_one("#pin", Select)
        pin.focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: pin.expanded)
        await pilot.pause()

    assert snap_compare(snapshot_app(start_sandbox), run_before=run_before, terminal_size=(130, 40))


def test_help_at_100x30(snap_compare: Any, start_sandbox: Callable[..., Any]) -> None:
    async def run_before(pilot: Any) -> None:
        await journey(sends=0)(pilot)
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, HelpScreen))
        await pilot.pause()

    assert snap_compare(snapshot_app(start_sandbox), run_before=run_before, terminal_size=(100, 30))
