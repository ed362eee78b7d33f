"""F1 help: every key and the Close button reachable on a small terminal (issue 14: readable at 100x30)."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Button

from labs_tui.tui.app import make_app
from labs_tui.tui.screens.help import HelpScreen

from .conftest import screen_text, settings_for


@pytest.mark.parametrize("size", [(100, 30), (80, 24)])
async def test_help_is_readable_to_the_last_key_and_closes_on_a_small_terminal(
    start_sandbox: Any, size: tuple[int, int]
) -> None:
    app = make_app(settings_for(start_sandbox().base_url))
    async with app.run_test(size=size) as pilot:
        await pilot.press("f1")
        screen = app.screen
        assert isinstance(screen, HelpScreen)
        await pilot.pause()
        close = screen.query_one("#close", Button)
        width, height = size
        region = close.region
        assert region.height > 0 and region.bottom <= height and region.right <= width, region
        # The list scrolls by keyboard to its last key, which then shows on screen.
        last_what = screen.rows[-1][2]
        scroll = screen.query_one("#help-scroll")
        assert scroll.max_scroll_y > 0  # the list does not fit: the test is about reaching its end
        await pilot.press("end")
        await pilot.pause()
        assert scroll.scroll_offset.y == scroll.max_scroll_y
        assert last_what[:12] in screen_text(app)
        await pilot.click("#close")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)
