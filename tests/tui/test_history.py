"""History in the app: every call stored, found again by requestId or failing status, reopened."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual import events
from textual.widgets import Checkbox, Input

from labs_tui.tui.app import LabsApp, make_app
from labs_tui.tui.screens.history import HistoryScreen
from labs_tui.tui.screens.main import MainScreen
from labs_tui.tui.widgets.history import HistoryTable

from .conftest import screen_text, settings_for, wait_until
from .test_journeys import open_demo, send

SIZE = (140, 45)


async def three_calls(pilot: Any) -> tuple[MainScreen, list[Any]]:
    """200 latest, 200 pinned 1.0, then 401 without the token; returns the screen and the diagnoses."""
    screen = await open_demo(pilot)
    diagnoses = [(await send(pilot, screen))[1]]
    screen.request.set_pin("1.0")
    diagnoses.append((await send(pilot, screen))[1])
    screen.request.send_auth = False
    diagnoses.append((await send(pilot, screen))[1])
    app: LabsApp = pilot.app
    await wait_until(pilot, lambda: app.history is not None and len(app.history) == 3)
    screen.request.send_auth = True
    screen.request.set_pin(None)
    return screen, diagnoses


async def open_history(pilot: Any) -> HistoryScreen:
    app: LabsApp = pilot.app
    await pilot.press("f2")
    await wait_until(
        pilot, lambda: isinstance(app.screen, HistoryScreen) and app.screen.loaded_generation > 0
    )
    screen = app.screen
    assert isinstance(screen, HistoryScreen)
    return screen


async def shown_after(pilot: Any, screen: HistoryScreen, change: Any) -> list[Any]:
    before = screen.loaded_generation
    change()
    await wait_until(pilot, lambda: screen.loaded_generation > before)
    return screen.query_one(HistoryTable).rows_shown


async def test_every_send_is_stored_newest_first_and_filters_find_failures_and_request_ids(
    start_sandbox: Any,
) -> None:
    sandbox = start_sandbox()
    app = make_app(settings_for(sandbox.base_url))
    async with app.run_test(size=SIZE) as pilot:
        _, diagnoses = await three_calls(pilot)
        history = await open_history(pilot)
        rows = history.query_one(HistoryTable).rows_shown
        assert [r.status for r in rows] == [401, 200, 200]
        assert [r.pin for r in rows] == ["1.0", "1.0", None]
        assert [r.request_id for r in rows] == [d.request_id for d in reversed(diagnoses)]
        failing = history.query_one("#history-failing-only", Checkbox)
        rows = await shown_after(pilot, history, lambda: setattr(failing, "value", True))
        assert [r.status for r in rows] == [401]
        rows = await shown_after(pilot, history, lambda: setattr(failing, "value", False))
        assert len(rows) == 3
        wanted = diagnoses[1].request_id
        assert wanted
        box = history.query_one("#history-filter-input", Input)
        box.focus()
        await pilot.pause()
        rows = await shown_after(pilot, history, lambda: box.post_message(events.Paste(wanted)))
        assert [r.request_id for r in rows] == [wanted]
        assert wanted in screen_text(app)


async def test_enter_reopens_an_entry_into_the_builder_with_its_stored_response(start_sandbox: Any) -> None:
    sandbox = start_sandbox()
    app = make_app(settings_for(sandbox.base_url))
    async with app.run_test(size=SIZE) as pilot:
        main, diagnoses = await three_calls(pilot)
        assert main.request.pin is None
        history = await open_history(pilot)
        table = history.query_one(HistoryTable)
        table.move_cursor(row=1)  # the 200 pinned to 1.0
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
        await wait_until(
            pilot, lambda: main.response.result is not None and main.response.result.status == 200
        )
        await pilot.pause()
        assert main.request.pin == "1.0"
        assert main.request.operation is not None and main.request.operation.key == "GET /examples/demo"
        assert main.response.result is not None and main.response.result.json == {"name": "Labs example"}
        assert main.last_answer is not None and main.last_answer[1].request_id == diagnoses[1].request_id
        assert '"name"' in screen_text(app)
        main.action_copy("request_id")
        assert app.clipboard == diagnoses[1].request_id


async def test_a_reopened_429_does_not_hold_the_next_send(start_sandbox: Any) -> None:
    sandbox = start_sandbox(rate_limit=(1, 60.0))
    app = make_app(settings_for(sandbox.base_url))
    async with app.run_test(size=SIZE) as pilot:
        main = await open_demo(pilot)
        await send(pilot, main)
        result, _ = await send(pilot, main)
        assert result.status == 429
        await wait_until(pilot, lambda: app.history is not None and len(app.history) == 2)
        history = await open_history(pilot)
        history.query_one(HistoryTable).move_cursor(row=0)
        await pilot.press("enter")
        await wait_until(
            pilot, lambda: main.response.result is not None and main.response.result.status == 429
        )
        assert main.response.retry_blocked_until is None


async def test_a_corrupt_history_file_is_moved_aside_said_once_and_the_app_keeps_working(
    start_sandbox: Any, tmp_path: Path
) -> None:
    db = tmp_path / "history.sqlite3"
    db.write_bytes(b"this is not a database, " * 200)
    sandbox = start_sandbox()
    app = make_app(settings_for(sandbox.base_url, history_path=db))
    async with app.run_test(size=SIZE) as pilot:
        main = await open_demo(pilot)
        await wait_until(pilot, lambda: app.history is not None)
        assert len(app._notices_shown) == 1
        (notice,) = app._notices_shown
        assert "damaged" in notice and "moved aside" in notice
        result, _ = await send(pilot, main)
        assert result.status == 200
        await wait_until(pilot, lambda: app.history is not None and len(app.history) == 1)
        assert app.history is not None and app.history.persistent
    assert [p.name for p in tmp_path.iterdir() if ".corrupt-" in p.name]


async def test_the_token_never_reaches_the_history_file(start_sandbox: Any, tmp_path: Path) -> None:
    token = "live-token-that-must-stay-in-memory-0123456789"
    db = tmp_path / "history.sqlite3"
    sandbox = start_sandbox()
    settings = settings_for(sandbox.base_url, profile="live", env={"ASTRO_API_TOKEN": token}, history_path=db)
    app = make_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        main = await open_demo(pilot)
        result, _ = await send(pilot, main)
        assert result.status == 401
        await wait_until(pilot, lambda: app.history is not None and len(app.history) == 1)
    written = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.is_file())
    assert b"401" in written or len(written) > 0
    assert token.encode() not in written
