"""The request/response split: enough request rows to edit a body from 30 rows up, and room for the
answer below that; focus never changes it (a pane that grows on focus moves what is under the mouse)."""

from __future__ import annotations

import pytest

from labs_tui.tui.app import make_app
from labs_tui.tui.screens.main import MainScreen

from .conftest import settings_for, wait_until


@pytest.mark.parametrize(("size", "request_rows"), [((100, 30), 16), ((80, 24), 12), ((140, 45), 17)])
async def test_the_request_pane_rows_by_terminal_height(size: tuple[int, int], request_rows: int) -> None:
    app = make_app(settings_for("http://127.0.0.1:9"))
    async with app.run_test(size=size) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MainScreen)
        assert screen.request.size.height + 2 == request_rows  # the border's two rows included
        before = screen.request.region
        screen.request.query_one("#url").focus()
        await pilot.pause()
        assert screen.request.region == before
