"""The pane fed real results: the sandbox on loopback, the real client and the core's diagnose()."""

from __future__ import annotations

import dataclasses
import re
import socket
import time
from typing import Any

from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import Static

from labs_tui.client import Client, build_request, diagnose, resolve_profile
from labs_tui.client.model import CallResult, Diagnosis, Profile
from labs_tui.sandbox import start
from labs_tui.tui.widgets.response import ResponsePane


class LiveClockApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.copies: list[str] = []

    def compose(self) -> ComposeResult:
        yield ResponsePane()

    def on_response_pane_copy_requested(self, message: ResponsePane.CopyRequested) -> None:
        self.copies.append(message.kind)


async def call(profile: Profile, **options: Any) -> tuple[CallResult, Diagnosis]:
    async with Client(profile, timeout=5.0) as client:
        result = await client.send(build_request(profile, method="GET", path="/examples/demo", **options))
    return result, diagnose(result, now=time.time(), token=profile.token)


async def show(pilot: Pilot[None], outcome: tuple[CallResult, Diagnosis]) -> ResponsePane:
    pane = pilot.app.query_one(ResponsePane)
    pane.show_result(*outcome)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    return pane


async def test_200_then_401_from_the_sandbox(sandbox: Any) -> None:
    profile = resolve_profile("sandbox", base_url=sandbox.base_url)
    ok = await call(profile, pin="1.0")
    secret = "not-a-jwt-but-a-secret-4f9a"
    unauthorized = await call(dataclasses.replace(profile, token=secret))
    app = LiveClockApp()
    async with app.run_test(size=(110, 30)) as pilot:
        pane = await show(pilot, ok)
        assert pane.active_tab == "body"
        assert '  "name": "Labs example"' in pane.body_view.line_view.lines
        assert pane.status_text.startswith("200 OK · ") and "served 1.0 · req " in pane.status_text
        pane = await show(pilot, unauthorized)
        assert unauthorized[0].status == 401 and unauthorized[1].request_id
        assert pane.active_tab == "error"
        assert str(pane.query_one("#err-rid", Static).render()) == unauthorized[1].request_id
        assert secret not in app.export_screenshot()
        pane.show_tab("headers")
        await pilot.pause()
        assert secret not in app.export_screenshot()
        pane.focus()
        await pilot.press("ctrl+y")
        assert app.copies == ["request_id"]


async def test_gateway_text_and_rate_limit_countdown() -> None:
    with start(port=0, rate_limit=(2, 10.0), gateway_errors=True) as handle:
        profile = resolve_profile("sandbox", base_url=handle.base_url)
        gateway = await call(profile, headers=[("Authorization", "")])
        for _ in range(3):
            limited = await call(profile)
    app = LiveClockApp()
    async with app.run_test(size=(110, 30)) as pilot:
        pane = await show(pilot, gateway)
        assert gateway[0].status == 403 and gateway[0].content_kind == "text"
        assert str(pane.query_one("#err-rid", Static).render()) == "no requestId in the response"
        assert "RBAC: access denied" in str(pane.query_one("#err-title", Static).render())
        pane = await show(pilot, limited)
        assert limited[0].status == 429
        assert pane.retry_blocked_until == limited[1].retry_at
        countdown = str(pane.query_one("#err-countdown", Static).render())
        match = re.fullmatch(r"retry in (\d+) s", countdown)
        assert match is not None and 1 <= int(match.group(1)) <= 10


async def test_network_error_from_a_closed_port() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    profile = resolve_profile("sandbox", base_url=f"http://127.0.0.1:{port}/labs/v1")
    outcome = await call(profile)
    assert outcome[0].network_error is not None
    app = LiveClockApp()
    async with app.run_test(size=(110, 30)) as pilot:
        pane = await show(pilot, outcome)
        assert pane.active_tab == "error"
        assert outcome[0].network_error.message in str(pane.query_one("#err-title", Static).render())
        assert not pane.query_one("#err-rid-row").display
