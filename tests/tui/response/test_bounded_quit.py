"""After a big body arrives, quitting stops the background work at once instead of waiting for it.

A body of a million and a half pretty-printed lines takes seconds to prepare in its thread. The app's
exit waits for its worker threads, so a preparation that ignores the exit holds ctrl+q for as long as
the rest takes (25 s for a 50 MB body). Here the user presses ctrl+q while lines are still being made:
the app must be gone within a second, and no line may be prepared after that.
"""

from __future__ import annotations

import asyncio
import time

from textual.app import App, ComposeResult

from labs_tui.tui.widgets.response import BodyView

BIG = {"items": [{"id": index, "name": "n"} for index in range(300_000)]}  # ~1.5 M lines


class QuitApp(App[None]):
    def compose(self) -> ComposeResult:
        yield BodyView()


async def test_ctrl_q_while_a_big_body_is_prepared_stops_the_preparation() -> None:
    app = QuitApp()
    async with app.run_test(size=(100, 30)) as pilot:
        view = app.query_one(BodyView)
        lines = view.line_view
        view.show_json(BIG)
        deadline = time.monotonic() + 10
        while len(lines.lines) < 1_000 and time.monotonic() < deadline:
            await pilot.pause(0.02)
        assert 1_000 <= len(lines.lines) and not lines.complete, "the preparation should still be running"
        document = lines._doc
        pressed = time.monotonic()
        await pilot.press("ctrl+q")
    exit_took = time.monotonic() - pressed
    await asyncio.sleep(0.3)
    made = len(document.lines)
    await asyncio.sleep(0.5)
    assert len(document.lines) == made, "lines were still being prepared after the app quit"
    assert not document.complete and document.cancelled
    assert exit_took < 1.0
