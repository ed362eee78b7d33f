"""A spec that does not load leaves no screen half-started: the header says so, no sandbox is awaited,
no pin picker is offered, and the endpoint list says why in one line."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Select

from labs_tui.tui.app import make_app
from labs_tui.tui.screens.main import MainScreen
from labs_tui.tui.settings import Settings
from labs_tui.tui.widgets.header.bar import HeaderBar

from .conftest import screen_text, wait_until

BAD = Path(__file__).resolve().parents[1] / "data" / "specs" / "bad" / "malformed.yaml"


async def test_a_broken_spec_is_said_in_the_header_and_nothing_waits_for_it() -> None:
    app = make_app(Settings(spec_source=str(BAD), env={}))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: app.spec_error is not None and app.sandbox_error is not None)
        await pilot.pause()
        header = str(app.screen.query_one(HeaderBar).info())
        assert "spec not loaded" in header and "sandbox not started" in header
        assert "loading spec" not in header and "sandbox starting" not in header
        assert not app.screen.query_one("#pin", Select).display
        assert "malformed YAML" in (app.spec_error or "")
        assert "malformed" in screen_text(app)  # the endpoint list says why (wrapped at its width)
        await pilot.press("ctrl+j")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MainScreen) and screen.sends_started == 0
