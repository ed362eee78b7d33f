"""Sends asked for at the start, driven with Pilot: they wait for the sandbox (and say so), escape drops
the wait, a sandbox that fails ends it, and a double click on Send starts one send, not two.

The pty tests (test_start_pty.py) prove the race in a real terminal; here the sandbox is held back on
purpose, so each state can be looked at.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

import labs_tui.sandbox
from labs_tui.tui.app import make_app
from labs_tui.tui.screens.main import MainScreen
from labs_tui.tui.settings import Settings
from labs_tui.tui.widgets.request.send import SendButton

from .conftest import screen_text, settings_for, wait_until

SIZE = (140, 40)


class HeldSandbox:
    """``labs_tui.sandbox.start`` replaced by one that waits for ``release()`` (or fails on ``fail()``)."""

    def __init__(self) -> None:
        self.gate = threading.Event()
        self.failure: str | None = None
        self.handles: list[Any] = []

    def start(self, **options: Any) -> Any:
        self.gate.wait(20)
        if self.failure:
            raise OSError(self.failure)
        handle = real_start(**options)
        self.handles.append(handle)
        return handle

    def release(self) -> None:
        self.gate.set()

    def fail(self, message: str) -> None:
        self.failure = message
        self.gate.set()


real_start = labs_tui.sandbox.start


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> Iterator[HeldSandbox]:
    holder = HeldSandbox()
    monkeypatch.setattr(labs_tui.sandbox, "start", holder.start)
    yield holder
    holder.gate.set()
    for handle in holder.handles:
        handle.stop()


def early_app() -> Any:
    return make_app(Settings(profile="sandbox", endpoint="GET /examples/demo", env={}))


def main_screen(app: Any) -> MainScreen:
    screen = app.screen
    assert isinstance(screen, MainScreen)
    return screen


async def opened(pilot: Any) -> MainScreen:
    await wait_until(pilot, lambda: main_screen(pilot.app).request.operation is not None)
    return main_screen(pilot.app)


async def test_send_before_the_sandbox_waits_shows_it_and_goes(held: HeldSandbox) -> None:
    app = early_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(pilot)
        await pilot.press("ctrl+j")
        await pilot.pause()
        assert "waiting for the sandbox" in screen.response.status_text
        assert "waiting for the sandbox" in screen_text(app)
        assert "not sent" not in screen_text(app)
        held.release()
        await wait_until(pilot, lambda: screen.last_answer is not None)
        assert screen.last_answer is not None and screen.last_answer[0].status == 200
        assert screen.response.status_text.startswith("200")


async def test_escape_drops_a_send_waiting_for_the_sandbox(held: HeldSandbox) -> None:
    app = early_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(pilot)
        await pilot.press("ctrl+j")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert "cancelled" in screen.response.status_text
        held.release()
        await wait_until(pilot, lambda: app.sandbox_url is not None)
        await pilot.pause(0.3)
        assert screen.last_answer is None, "a dropped send went anyway"


async def test_a_sandbox_that_fails_ends_the_wait(held: HeldSandbox) -> None:
    app = early_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(pilot)
        await pilot.press("ctrl+j")
        await pilot.pause()
        held.fail("port in use")
        await wait_until(pilot, lambda: app.sandbox_error is not None)
        await pilot.pause()
        assert "waiting" not in screen.response.status_text
        notices = [(n.title, n.message) for n in app._notifications]
        assert ("not sent", "the sandbox did not start") in notices, notices
        await pilot.press("ctrl+j")  # now refused at once, with the reason
        await pilot.pause()
        assert "waiting" not in screen.response.status_text


async def test_compare_before_the_sandbox_waits_then_opens_the_versions_dialog(held: HeldSandbox) -> None:
    from labs_tui.tui.screens.compare import VersionsScreen

    app = early_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(pilot)
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert "waiting for the sandbox" in screen.response.status_text
        assert not isinstance(app.screen, VersionsScreen)
        held.release()
        await wait_until(pilot, lambda: isinstance(app.screen, VersionsScreen))
        assert "waiting" not in screen.response.status_text


async def test_double_click_on_send_starts_one_send() -> None:
    requests: list[httpx.Request] = []

    async def slow(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        await asyncio.sleep(0.5)
        return httpx.Response(200, json={"name": "Labs example"})

    settings = settings_for("http://127.0.0.1:9/labs/v1", transport=httpx.MockTransport(slow))
    app = make_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        screen = main_screen(app)
        await wait_until(pilot, lambda: app.spec is not None)
        assert app.spec is not None
        operation = app.spec.find("GET /examples/demo")
        assert operation is not None
        screen.open_operation(operation)
        await pilot.pause()
        await pilot.double_click("#send")
        await pilot.pause(0.8)
        await wait_until(pilot, lambda: screen.last_answer is not None)
        assert len(requests) == 1, f"{len(requests)} requests for one double click"


async def test_a_disabled_send_button_does_not_press() -> None:
    from textual.app import App, ComposeResult

    class Host(App[None]):
        def __init__(self) -> None:
            super().__init__()
            self.pressed = 0

        def compose(self) -> ComposeResult:
            yield SendButton("Send", id="send")

        def on_send_button_pressed(self) -> None:
            self.pressed += 1

    app = Host()
    async with app.run_test() as pilot:
        button = app.query_one(SendButton)
        enabled_look = button.rich_style
        button.disabled = True
        await pilot.pause()
        assert button.rich_style != enabled_look, "a disabled Send looks like an enabled one"
        button.action_press()
        await pilot.click("#send")
        await pilot.pause()
        assert app.pressed == 0
        button.disabled = False
        await pilot.click("#send")
        await pilot.pause()
        assert app.pressed == 1
