"""The token in the app: a bad one is refused in the masked prompt, a typed URL gets none silently.

Driven like a user with Pilot: the live profile's prompt, and the palette's "custom base URL" with
``ASTRO_API_TOKEN`` set in the app's environment. Nothing is sent in either case.
"""

from __future__ import annotations

import asyncio
from typing import Any

from textual.widgets import Input, Static

from labs_tui.tui.app import make_app
from labs_tui.tui.screens.dialogs import PromptScreen
from labs_tui.tui.screens.main import MainScreen
from labs_tui.tui.settings import Settings

SIZE = (120, 40)
SECRET = "tok-TUI-secret-93c1e0"


async def wait_until(pilot: Any, condition: Any, timeout: float = 15) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, "the app did not get there in time"
        await pilot.pause(0.02)


async def test_the_masked_prompt_refuses_a_token_with_whitespace_and_never_shows_it(
    isolated_user_dirs: Any,
) -> None:
    app = make_app(Settings(profile="live", start_sandbox=False, env={}))
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, PromptScreen))
        prompt = app.screen
        await pilot.press(*f"{SECRET[:8]} {SECRET[8:]}", "enter")
        await pilot.pause()
        assert app.screen is prompt  # still asking: the token was refused
        message = str(prompt.query_one("#prompt-error", Static).render())
        assert "whitespace" in message and "nothing was sent" in message
        assert SECRET[8:] not in app.export_screenshot()
        assert app.profile is not None and app.profile.token is None
        field = prompt.query_one("#prompt-input", Input)
        field.value = ""
        await pilot.press(*SECRET, "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
        assert app.profile is not None and app.profile.token == SECRET


async def test_a_custom_base_url_from_the_palette_gets_no_astro_token_silently(
    isolated_user_dirs: Any,
) -> None:
    app = make_app(
        Settings(start_sandbox=False, env={"ASTRO_API_TOKEN": SECRET}, base_url="http://127.0.0.1:9/labs/v1")
    )
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.profile is not None)
        app.prompt_custom_profile()
        await wait_until(pilot, lambda: isinstance(app.screen, PromptScreen))
        await pilot.press(*"https://api.example.com/labs/v1", "enter")
        await wait_until(pilot, lambda: app.profile is not None and app.profile.name == "custom")
        assert app.profile is not None and app.profile.token is None
        # It asks instead; leaving it blank sends none.
        await wait_until(pilot, lambda: isinstance(app.screen, PromptScreen))
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
        assert app.profile.token is None
