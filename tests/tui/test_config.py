"""The config file in the app: a bad one warns and uses defaults; keymap, timeout and history caps apply."""

from __future__ import annotations

from typing import Any

from labs_tui.store import config_file
from labs_tui.tui.app import binding_ids, make_app
from labs_tui.tui.screens.compare import VersionsScreen
from labs_tui.tui.screens.help import HelpScreen
from labs_tui.tui.screens.history import HistoryScreen

from .conftest import screen_text, settings_for, wait_until
from .test_journeys import open_demo, send
from .test_themes import notes  # noqa: F401  (the fixture)

SIZE = (140, 45)


def write_config(text: str) -> None:
    path = config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_the_important_bindings_have_ids() -> None:
    ids = set(binding_ids())
    assert {"send", "compare", "history", "filter", "copy-request-id", "help", "quit"} <= ids
    assert {"compare-next", "compare-previous", "history-filter", "history-failing"} <= ids


async def test_a_bad_config_gives_one_warning_and_defaults(start_sandbox: Any, notes: list[str]) -> None:  # noqa: F811
    write_config("profiles: [unclosed\n  theme: light\n")
    sandbox = start_sandbox()
    app = make_app(settings_for(sandbox.base_url))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_demo(pilot)
        warnings = [n for n in notes if "not valid YAML" in n]
        assert len(warnings) == 1 and "\n" not in warnings[0] and "using the defaults" in warnings[0]
        assert app.theme == "astro-dark"
        assert app.config is not None
        assert app.config.keymap == {} and app.config.timeouts.request == 30.0
        result, _ = await send(pilot, screen)
        assert result.status == 200


async def test_keymap_overrides_move_the_bindings_and_f1_shows_them_with_their_ids(
    start_sandbox: Any,
    notes: list[str],  # noqa: F811
) -> None:
    write_config("keymap:\n  compare: ctrl+k\n  history: f6\n  no-such-binding: f9\n")
    sandbox = start_sandbox()
    app = make_app(settings_for(sandbox.base_url))
    async with app.run_test(size=SIZE) as pilot:
        await open_demo(pilot)
        assert any("no-such-binding" in n for n in notes)
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert not isinstance(app.screen, VersionsScreen)
        await pilot.press("ctrl+k")
        await pilot.pause()
        assert isinstance(app.screen, VersionsScreen)
        await pilot.press("escape")
        await pilot.press("f6")
        await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen))
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        assert "copy-request-id" in text and "compare-next" in text
        compare_row = next(line for line in text.splitlines() if " compare " in f" {line} " and "^k" in line)
        assert "compare" in compare_row


async def test_the_request_timeout_comes_from_the_config(start_sandbox: Any) -> None:
    write_config("timeouts:\n  request: 0.3\n")
    sandbox = start_sandbox(latency_ms=3000)
    app = make_app(settings_for(sandbox.base_url))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_demo(pilot)
        result, diagnosis = await send(pilot, screen)
        assert result.network_error is not None and result.network_error.kind == "timeout"


async def test_history_caps_come_from_the_config(start_sandbox: Any) -> None:
    write_config("history:\n  max_entries: 2\n")
    sandbox = start_sandbox()
    app = make_app(settings_for(sandbox.base_url))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_demo(pilot)
        for _ in range(3):
            await send(pilot, screen)
        await wait_until(pilot, lambda: app.history is not None and app.history.caps.max_entries == 2)
        await app.workers.wait_for_complete()
        await pilot.pause(0.2)
        assert app.history is not None and len(app.history.query()) == 2
