"""Palette "Import curl" and ``--open`` with the operation's apiKey value in the request: dropped, the
profile's token sent there instead, a notice naming the place; no toast or screen shows the value."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from labs_tui.store.collection import SavedRequest
from labs_tui.tui.app import LabsApp, make_app
from labs_tui.tui.screens.collection import import_curl
from labs_tui.tui.widgets.tabs import Tabbed

from ..unit.client.test_import_match_cli import SECRET, keys_spec
from .conftest import screen_text, settings_for, wait_until
from .test_journeys import send
from .test_repro_collection import SIZE, opened, ready


def shown(app: LabsApp) -> str:
    return " ".join(n.message for n in app._notifications) + screen_text(app)


@pytest.mark.parametrize(
    ("path", "flags", "place"),
    [
        (f"/orders?key={SECRET}&limit=2", "", "query parameter key"),
        ("/items", f"-H 'X-Custom: {SECRET}'", "header X-Custom"),
        ("/carts", f"-b 'sid={SECRET}'", "cookie sid"),
    ],
)
async def test_import_curl_drops_the_operations_api_key(
    start_sandbox: Any, tmp_path: Path, path: str, flags: str, place: str
) -> None:
    spec = keys_spec(tmp_path)
    sandbox = start_sandbox(spec=str(spec))
    app = make_app(settings_for(sandbox.base_url, spec_source=str(spec)))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await ready(pilot)
        assert import_curl(screen, f"curl '{sandbox.base_url}{path}' {flags}")
        await wait_until(pilot, lambda: screen.request.operation is not None)
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert f"the command's {place} was dropped: the profile's token is sent instead" in messages
        screen.request.query_one(Tabbed).active = "tab-headers"  # the user looks at the Headers tab
        await pilot.pause()
        assert SECRET not in str(screen.request.headers_editor.custom_headers())
        assert SECRET not in shown(app)
        result, _ = await send(pilot, screen)
        assert result.status == 200  # the sandbox took the profile's token in that place
        assert SECRET not in str(result.request.headers) + result.request.url


async def test_an_opened_file_drops_the_operations_api_key(start_sandbox: Any, tmp_path: Path) -> None:
    spec = keys_spec(tmp_path)
    sandbox = start_sandbox(spec=str(spec))
    saved = SavedRequest(name="items", method="GET", path="/items", headers=(("X-Custom", SECRET),))
    app = make_app(settings_for(sandbox.base_url, spec_source=str(spec), open_request=saved))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await opened(pilot)
        messages = [n.message for n in app._notifications]
        assert (
            "the saved request's header X-Custom was dropped: the profile's token is sent instead" in messages
        )
        assert SECRET not in shown(app)
        result, _ = await send(pilot, screen)
        assert result.status == 200 and SECRET not in str(result.request.headers)
