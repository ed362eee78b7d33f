"""Snapshots of each state a user sees: list, request built, 200, 401, 429, text/plain error.

What varies between runs is frozen by injection, never by loosening the comparison: the sandbox
hands out fixed requestIds, a forwarding transport lets the app show a fixed host instead of the
random port, the clock is fixed, and the result's timing is set by the result hook.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from textual.widgets import Checkbox, Select

from labs_tui.client.model import CallResult
from labs_tui.tui.app import make_app
from labs_tui.tui.screens.main import MainScreen
from labs_tui.tui.widgets.tabs import Tabbed
from tools.screenshots import ForwardTransport

from .conftest import FIXED_NOW, frozen_ids, settings_for, wait_until

SIZE = (130, 40)
SHOWN_URL = "http://sandbox.test/labs/v1"


def _freeze(result: CallResult) -> CallResult:
    return dataclasses.replace(result, elapsed_ms=12.0, started_at=FIXED_NOW)


def _sent(screen: MainScreen, number: int) -> bool:
    return screen.sends_started >= number and not screen.sending


def snapshot_app(start_sandbox: Callable[..., Any], **sandbox_options: Any) -> Any:
    sandbox = start_sandbox(request_ids=frozen_ids(), **sandbox_options)
    settings = settings_for(
        SHOWN_URL,
        transport=ForwardTransport(sandbox.base_url),
        clock=lambda: FIXED_NOW,
        result_hook=_freeze,
    )
    return make_app(settings)


def journey(*, auth: bool = True, pin: str | None = None, sends: int = 1, tab: str | None = None) -> Any:
    async def run_before(pilot: Any) -> None:
        app = pilot.app
        await wait_until(pilot, lambda: app.spec is not None and app.profile is not None)
        await pilot.pause()
        await pilot.press("enter")
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await wait_until(pilot, lambda: screen.request.operation is not None)
        if not auth:
            screen.request.send_auth = False
        if pin:
            screen.request.query_one("#pin", Select).value = pin
        if tab:
            screen.request.query_one(Tabbed).active = tab
        for number in range(1, sends + 1):
            await pilot.press("ctrl+j")
            await wait_until(pilot, partial(_sent, screen, number))
            await app.workers.wait_for_complete()
        screen.endpoints.endpoint_tree.focus()
        await pilot.pause()

    return run_before


async def _spec_loaded(pilot: Any) -> None:
    await wait_until(pilot, lambda: pilot.app.spec is not None)
    await pilot.pause()


def test_endpoint_list(snap_compare: Any, start_sandbox: Callable[..., Any]) -> None:
    assert snap_compare(snapshot_app(start_sandbox), run_before=_spec_loaded, terminal_size=SIZE)


def test_request_built(snap_compare: Any, start_sandbox: Callable[..., Any]) -> None:
    run: Callable[[Any], Awaitable[None]] = journey(pin="1.0", sends=0, tab="tab-headers")
    assert snap_compare(snapshot_app(start_sandbox), run_before=run, terminal_size=SIZE)


def test_response_200(snap_compare: Any, start_sandbox: Callable[..., Any]) -> None:
    assert snap_compare(snapshot_app(start_sandbox), run_before=journey(), terminal_size=SIZE)


def test_error_401(snap_compare: Any, start_sandbox: Callable[..., Any]) -> None:
    assert snap_compare(snapshot_app(start_sandbox), run_before=journey(auth=False), terminal_size=SIZE)


def test_rate_limited_429(snap_compare: Any, start_sandbox: Callable[..., Any]) -> None:
    app = snapshot_app(start_sandbox, rate_limit=(2, 60.0))
    assert snap_compare(app, run_before=journey(sends=3), terminal_size=SIZE)


def test_gateway_text_plain_403(snap_compare: Any, start_sandbox: Callable[..., Any]) -> None:
    app = snapshot_app(start_sandbox, gateway_errors=True)
    assert snap_compare(app, run_before=journey(auth=False), terminal_size=SIZE)


def compare_journey(*, versions: tuple[str, ...] | None = None, jumps: int = 1) -> Any:
    async def run_before(pilot: Any) -> None:

        from labs_tui.tui.screens.compare import CompareScreen, VersionsScreen

        app = pilot.app
        await wait_until(pilot, lambda: app.spec is not None and app.profile is not None)
        await pilot.pause()
        await pilot.press("enter")
        screen = app.screen
        await wait_until(pilot, lambda: screen.request.operation is not None)
        await pilot.press("ctrl+t")
        await wait_until(pilot, lambda: isinstance(app.screen, VersionsScreen))
        if versions is not None:
            for box in app.screen.query(Checkbox):
                box.value = str(box.tooltip) in versions
        await pilot.pause()
        await pilot.press("enter")
        await wait_until(
            pilot, lambda: isinstance(app.screen, CompareScreen) and app.screen.comparison is not None
        )
        await app.workers.wait_for_complete()
        for _ in range(jumps):
            await pilot.press("n")
        await pilot.pause(0.2)

    return run_before


def test_compare_view(snap_compare: Any, start_sandbox: Callable[..., Any]) -> None:
    assert snap_compare(snapshot_app(start_sandbox), run_before=compare_journey(), terminal_size=SIZE)


def test_compare_matrix(snap_compare: Any, start_sandbox: Callable[..., Any]) -> None:
    run = compare_journey(versions=("1.0", "1.1", "latest"), jumps=2)
    assert snap_compare(snapshot_app(start_sandbox), run_before=run, terminal_size=SIZE)


def test_history_screen(snap_compare: Any, start_sandbox: Callable[..., Any]) -> None:
    async def run_before(pilot: Any) -> None:
        from labs_tui.tui.screens.history import HistoryScreen

        await journey(sends=1)(pilot)
        app = pilot.app
        screen = app.screen
        assert isinstance(screen, MainScreen)
        screen.request.query_one("#pin", Select).value = "1.0"
        screen.request.send_auth = False
        await pilot.press("ctrl+j")
        await wait_until(pilot, lambda: screen.sends_started >= 2 and not screen.sending)
        await wait_until(pilot, lambda: app.history is not None and len(app.history) == 2)
        await pilot.press("f2")
        await wait_until(
            pilot, lambda: isinstance(app.screen, HistoryScreen) and app.screen.loaded_generation > 0
        )
        await pilot.pause(0.2)

    assert snap_compare(snapshot_app(start_sandbox), run_before=run_before, terminal_size=SIZE)
