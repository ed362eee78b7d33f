"""ResponsePane with hand-built results: which tab comes forward, what is shown, what is asked for."""

from __future__ import annotations

import html
import re
from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable, ProgressBar, Static

from labs_tui.client.model import Diagnosis
from labs_tui.tui.widgets.response import ResponsePane
from labs_tui.tui.widgets.response.status import status_line


def screen(app: Any) -> str:
    svg = app.export_screenshot()
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")


def static_text(pane: ResponsePane, selector: str) -> str:
    return str(pane.query_one(selector, Static).render())


async def settle(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_200_shows_body_and_status_line(make_app: Any, results: Any) -> None:
    app = make_app(results.ok())
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        pane = app.pane
        assert pane.active_tab == "body"
        assert pane.retry_blocked_until is None
        assert status_line(*results.ok()).plain == "200 OK · 12 ms · 96 B · served 1.0 · req 6f1c0a9e52d04b7a"
        text = screen(app)
        assert "· 12 ms · 96 B · served 1.0 · req 6f1c0a9e52d04b7a" in text
        assert '"name"' in text and '"Labs example"' in text
        assert pane.body_view.line_view.lines[1] == '  "name": "Labs example",'


async def test_a_200_builds_no_headers_table_or_error_panel_until_their_tab_is_shown(
    make_app: Any, results: Any
) -> None:
    app = make_app(results.ok())
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        pane = app.pane
        assert not pane.query(DataTable) and not pane.query("#response-error-panel")
        pane.show_tab("headers")
        await pilot.pause()
        table = pane.query_one(DataTable)
        assert table.row_count == len(pane.result.headers) > 0  # filled from the stored result
        pane.show_tab("error")
        await pilot.pause()
        assert pane.query("#response-error-panel")
        assert "6f1c0a9e52d04b7a" in screen(app)  # the panel shows the stored result's requestId


async def test_401_brings_error_tab_and_copies(make_app: Any, results: Any) -> None:
    app = make_app(results.unauthorized())
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        pane = app.pane
        assert pane.active_tab == "error"
        text = screen(app)
        assert "2b7d41e0c3a94f0e" in text
        assert "Missing or invalid bearer token." in text
        assert "no Authorization header was sent" in text
        assert "copy (ctrl+y)" in text
        pane.focus()
        await pilot.press("ctrl+y")
        await pilot.press("ctrl+r")
        await pilot.click("#copy-curl")
        await pilot.click("#copy-httpie")
        await pilot.pause()
        assert app.copies == ["request_id", "support_report", "curl", "httpie"]


async def test_field_errors_listed_literally(make_app: Any, results: Any) -> None:
    app = make_app(results.bad_request())
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        fields = static_text(app.pane, "#err-fields")
        assert "limit: must be at most 100  (max)" in fields
        assert "[b]name[/b]: required" in fields


async def test_429_countdown_follows_the_clock(make_app: Any, results: Any, clock: Any) -> None:
    result, diagnosis = results.rate_limited(retry_in=7.0, window=10.0)
    app = make_app((result, diagnosis))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        pane = app.pane
        assert pane.active_tab == "error"
        assert pane.retry_blocked_until == diagnosis.retry_at
        assert static_text(pane, "#err-countdown") == "retry in 7 s"
        bar = pane.query_one("#err-progress", ProgressBar)
        assert bar.progress == 3.0
        clock.t += 3.5
        await pilot.pause(0.4)
        assert static_text(pane, "#err-countdown") == "retry in 4 s"
        assert bar.progress == 6.5
        clock.t += 10
        await pilot.pause(0.4)
        assert static_text(pane, "#err-countdown") == "you can retry now"
        assert bar.progress == 10.0


async def test_gateway_text_has_no_request_id(make_app: Any, results: Any) -> None:
    app = make_app(results.gateway_text())
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        pane = app.pane
        assert pane.active_tab == "error"
        text = screen(app)
        assert "no requestId in the response" in text
        assert "RBAC: access denied" in text
        assert "text/plain" in text
        assert not pane.query_one("#copy-request-id").display


async def test_network_error_panel(make_app: Any, results: Any) -> None:
    app = make_app(results.network_error())
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        pane = app.pane
        assert pane.active_tab == "error"
        text = screen(app)
        assert "connection refused by 127.0.0.1:9: is the server running on that port?" in text
        assert "check the base URL" in text
        assert not pane.query_one("#err-rid-row").display


async def test_binary_is_summarised(make_app: Any, results: Any) -> None:
    app = make_app(results.binary())
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        lines = list(app.pane.body_view.line_view.lines)
        assert lines[0] == "binary body · 2 KB · application/octet-stream"
        assert lines[1] == "first 256 bytes:"
        assert lines[3].startswith("00000000  00 01 02 03 04 05 06 07  08 09 0a 0b 0c 0d 0e 0f  |")
        assert lines[5] == "00000020  20 21 22 23 24 25 26 27  28 29 2a 2b 2c 2d 2e 2f  | !\"#$%&'()*+,-./|"
        assert len(lines) == 3 + 16


async def test_markup_and_escapes_from_server_are_literal(make_app: Any, results: Any) -> None:
    hostile = "[bold red]pwned[/] \x1b[2J\x1b]52;c;cHduZWQ=\x07 ok\rFAKE"
    result = results.text(
        hostile, 500, "[blink]Oops\x1b[5m", "text", "text/plain", headers=(("x-evil", hostile),)
    )
    diagnosis = Diagnosis(title="500 [i]Internal[/i]", summary=hostile, hint="[red]retry[/red]")
    app = make_app((result, diagnosis))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        svg = app.export_screenshot()
        assert "\x1b" not in svg and "\x07" not in svg
        text = screen(app)
        assert "[blink]Oops␛[5m · " in text
        assert "[bold red]pwned[/] ␛[2J␛]52;c;cHduZWQ=␇ ok␍FAKE" in text
        assert "[red]retry[/red]" in text
        app.pane.show_tab("body")
        await pilot.pause()
        assert "[bold red]pwned[/] ␛[2J" in screen(app)
        assert not app.pane.query(DataTable)  # built when the Headers tab is first shown
        app.pane.show_tab("headers")
        await pilot.pause()
        table = app.pane.query_one(DataTable)
        assert table.get_row_at(0)[1].plain == "[bold red]pwned[/] ␛[2J␛]52;c;cHduZWQ=␇ ok␍FAKE"


async def test_pending_then_cancelled_then_clear(make_app: Any, results: Any, clock: Any) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        pane = app.pane
        pane.show_pending(clock.t - 1.5)
        await pilot.pause()
        assert "sending… 1.5 s" in static_text(pane, "#response-pending")
        clock.t += 2
        await pilot.pause(0.25)
        assert "sending… 3.5 s" in static_text(pane, "#response-pending")
        assert pane.status_text == "sending… 3.5 s"
        pane.show_cancelled()
        await settle(pilot)
        assert "cancelled" in screen(app)
        assert not pane.query_one("#response-pending").display
        pane.show_result(*results.rate_limited())
        await settle(pilot)
        assert pane.retry_blocked_until is not None
        pane.clear()
        await settle(pilot)
        assert pane.retry_blocked_until is None and pane.result is None
        assert "no response yet" in screen(app)


async def test_truncated_and_invalid_json_are_flagged(make_app: Any, results: Any) -> None:
    _, diagnosis = results.ok()
    result = results.json(
        results.ok_value,
        text='{"a": [1, 2',
        json=None,
        json_error="not JSON after all: Expecting ',' delimiter",
        truncated=True,
        size=50 * 1024 * 1024,
    )
    app = make_app((result, diagnosis))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        note = static_text(app.pane, "#response-body-note")
        assert "body truncated at 50 MB" in note
        assert "not JSON after all" in note
        assert list(app.pane.body_view.line_view.lines) == ['{"a": [1, 2']


async def test_unknown_copy_kind_is_refused(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 20)):
        try:
            app.pane.request_copy("token")
        except ValueError as exc:
            assert "token" in str(exc)
        else:
            raise AssertionError("request_copy accepted an unknown kind")
