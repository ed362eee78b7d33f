"""``labs-tui --insecure`` driven with Pilot: a staging host with a self-signed certificate answers
only with the flag, and the header says TLS NOT VERIFIED for the whole session while it is on."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Static

from labs_tui.tui.app import make_app
from labs_tui.tui.screens.compare import CompareScreen, VersionsScreen
from labs_tui.tui.widgets.header.bar import HeaderBar

from .conftest import screen_text, settings_for, wait_until
from .test_journeys import main_screen, open_demo, send

trustme = pytest.importorskip("trustme")

SIZE = (120, 36)


def header_line(app: Any) -> str:
    return "".join(segment.text for segment in main_screen(app).query_one(HeaderBar).render_line(0))


async def test_insecure_app_gets_an_answer_from_a_self_signed_host(https_server: Any) -> None:
    url = https_server(trustme.CA(), self_signed=True)
    app = make_app(settings_for(url, insecure=True))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_demo(pilot)
        assert "TLS NOT VERIFIED" in header_line(app)
        result, _ = await send(pilot, screen)
        assert result.network_error is None
        assert result.status == 200 and result.json == {"ok": True}
        await wait_until(pilot, lambda: "TLS NOT VERIFIED" in screen_text(app))
        assert "TLS NOT VERIFIED" in header_line(app)  # still there after the send


async def test_without_insecure_the_self_signed_certificate_is_named(https_server: Any) -> None:
    url = https_server(trustme.CA(), self_signed=True)
    app = make_app(settings_for(url))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_demo(pilot)
        result, _ = await send(pilot, screen)
        assert result.status is None and result.network_error is not None
        assert result.network_error.kind == "tls"
        assert "self-signed" in result.network_error.message
        assert "--ca-cert" in result.network_error.message
        await wait_until(pilot, lambda: "self-signed" in screen_text(app))
        assert "TLS NOT VERIFIED" not in header_line(app)
        assert "TLS NOT VERIFIED" not in screen_text(app)


async def test_no_marker_for_a_plain_http_target_even_with_insecure(start_sandbox: Any) -> None:
    sandbox = start_sandbox()
    app = make_app(settings_for(sandbox.base_url, insecure=True))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_demo(pilot)
        result, _ = await send(pilot, screen)
        assert result.status == 200
        assert "TLS NOT VERIFIED" not in header_line(app)


async def test_switching_to_an_https_target_brings_the_marker_and_a_warning(
    https_server: Any, start_sandbox: Any
) -> None:
    url = https_server(trustme.CA(), self_signed=True)
    sandbox = start_sandbox()
    app = make_app(settings_for(sandbox.base_url, insecure=True))
    async with app.run_test(size=SIZE) as pilot:
        await open_demo(pilot)
        assert "TLS NOT VERIFIED" not in header_line(app)
        app.switch_profile("sandbox", url)
        await wait_until(pilot, lambda: "TLS NOT VERIFIED" in header_line(app))
        await wait_until(pilot, lambda: any(n.title == "TLS not verified" for n in app._notifications))
        warned = [n.message for n in app._notifications if n.title == "TLS not verified"]
        assert len(warned) == 1 and warned[0].startswith("--insecure: TLS certificates are not checked")
        app.switch_profile("sandbox", sandbox.base_url)
        await wait_until(pilot, lambda: "TLS NOT VERIFIED" not in header_line(app))


async def test_compare_goes_unchecked_too_and_its_title_says_so(https_server: Any) -> None:
    url = https_server(trustme.CA(), self_signed=True)
    app = make_app(settings_for(url, insecure=True))
    async with app.run_test(size=SIZE) as pilot:
        await open_demo(pilot)
        await pilot.press("ctrl+t")
        await wait_until(pilot, lambda: isinstance(app.screen, VersionsScreen))
        await pilot.press("enter")
        await wait_until(
            pilot, lambda: isinstance(app.screen, CompareScreen) and app.screen.comparison is not None
        )
        screen = app.screen
        assert isinstance(screen, CompareScreen) and screen.comparison is not None
        assert [r.result.status for r in screen.comparison.responses] == [200, 200]
        assert "TLS NOT VERIFIED" in str(screen.query_one("#compare-title", Static).render())
