"""The Error tab on third-party specs, driven like a user against the sandbox serving them: an RFC 9457
problem's title, detail and status (Train Travel 3.1), and the spec's own words for a status (Petstore)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.widgets import Static, TextArea

from labs_tui.tui.app import make_app

from .conftest import settings_for, wait_until
from .test_edit_body import show_body
from .test_edit_url import opened

THIRD_PARTY = Path(__file__).parent.parent / "data" / "specs" / "third_party"


def _text(screen: Any, selector: str) -> str:
    return str(screen.response.query_one(selector, Static).render())


async def _send_and_wait(pilot: Any, screen: Any) -> None:
    await pilot.press("ctrl+j")
    await wait_until(pilot, lambda: screen.response.active_tab == "error")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_train_travel_problem_detail_on_the_error_tab(
    tmp_path: Path, make_sandbox: Callable[..., Any]
) -> None:
    spec = THIRD_PARTY / "train-travel-3.1.json"
    handle = make_sandbox(spec=spec, rate_limit=None)
    settings = settings_for(
        handle.base_url, spec_source=str(spec), endpoint="create-booking", history_path=tmp_path / "h.db"
    )
    app = make_app(settings)
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await opened(pilot, "POST /bookings")
        await show_body(pilot, screen)
        editor = screen.request.query_one("#body-editor", TextArea)
        editor.text = json.dumps({"trip_id": "not-a-uuid", "passenger_name": "Ada"})
        await pilot.pause()
        await _send_and_wait(pilot, screen)
        title = _text(screen, "#err-title")
        assert "400 Bad Request" in title
        assert "Invalid request: /trip_id: 'not-a-uuid' is not a 'uuid'." in title  # the problem's detail
        assert "status 400" in title and "statusCode" not in title


async def test_petstore_405_shows_what_the_spec_says(
    tmp_path: Path, make_sandbox: Callable[..., Any]
) -> None:
    spec = THIRD_PARTY / "petstore-3.0.json"
    handle = make_sandbox(spec=spec, rate_limit=None)
    settings = settings_for(
        handle.base_url, spec_source=str(spec), endpoint="addPet", history_path=tmp_path / "h.db"
    )
    app = make_app(settings)
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await opened(pilot, "POST /pet")
        await show_body(pilot, screen)
        screen.request.query_one("#body-editor", TextArea).text = '{"name": "Rex"}'
        await pilot.pause()
        await _send_and_wait(pilot, screen)
        hint = " ".join(_text(screen, "#err-hint").split())
        assert hint.startswith("spec says Invalid input")
        assert "not allowed here" not in hint.lower()
        assert "/photoUrls: is required" in hint
