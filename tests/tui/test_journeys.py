"""Pilot journeys against a real sandbox on loopback: what a user does, and what they then see."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from textual.widgets import Checkbox, Input, Select, Static

from labs_tui.tui.app import LabsApp, make_app
from labs_tui.tui.screens.dialogs import ConfirmScreen, PromptScreen, TextScreen
from labs_tui.tui.screens.help import HelpScreen
from labs_tui.tui.screens.main import MainScreen
from labs_tui.tui.settings import Settings
from labs_tui.tui.widgets.tabs import Tabbed

from .conftest import screen_text, settings_for, wait_until

SIZE = (140, 45)


def main_screen(app: LabsApp) -> MainScreen:
    screen = app.screen_stack[0] if not isinstance(app.screen, MainScreen) else app.screen
    for candidate in app.screen_stack:
        if isinstance(candidate, MainScreen):
            return candidate
    raise AssertionError(f"no main screen in {app.screen_stack} ({screen})")


async def open_demo(pilot: Any) -> MainScreen:
    app: LabsApp = pilot.app
    await wait_until(pilot, lambda: app.spec is not None and app.profile is not None)
    await wait_until(pilot, lambda: app.profile is not None and app.profile.base_url is not None)
    await pilot.pause()
    await pilot.press("enter")  # the cursor starts on the first endpoint
    screen = main_screen(app)
    await wait_until(pilot, lambda: screen.request.operation is not None)
    assert screen.request.operation is not None
    assert screen.request.operation.key == "GET /examples/demo"
    return screen


async def show_headers_tab(pilot: Any, screen: MainScreen) -> None:
    """Click the request pane's Headers tab, as a user would, and wait for its rows to exist."""
    await pilot.click("#request-tabs TabStrip", offset=(10, 0))  # "Params" is cells 0-7, "Headers" 8-16
    await wait_until(pilot, lambda: bool(screen.request.query("#pin-enabled")))
    assert screen.request.query_one("#request-tabs", Tabbed).active == "tab-headers"


async def send(pilot: Any, screen: MainScreen) -> Any:
    before = screen.sends_started
    await pilot.press("ctrl+j")
    await wait_until(pilot, lambda: screen.sends_started > before and not screen.sending)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    assert screen.last_answer is not None
    return screen.last_answer


async def test_send_latest_then_pin_1_0(start_sandbox: Any) -> None:
    sandbox = start_sandbox()
    app = make_app(settings_for(sandbox.base_url))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_demo(pilot)
        assert screen.request.pin is None
        result, diagnosis = await send(pilot, screen)
        assert result.status == 200
        assert result.request.pin is None
        assert "proofOfConcept" in result.json
        assert "proofOfConcept" in screen_text(app)
        screen.request.query_one("#pin", Select).value = "1.0"
        await pilot.pause()
        assert screen.request.pin == "1.0"
        await show_headers_tab(pilot, screen)
        assert screen.request.query_one("#pin-enabled", Checkbox).value is True
        result, diagnosis = await send(pilot, screen)
        assert result.status == 200
        assert result.json == {"name": "Labs example"}
        assert diagnosis.served_version == "1.0"
        text = screen_text(app)
        assert '"name"' in text and "proofOfConcept" not in text


async def test_pin_from_settings_and_switching_the_pin_row_off_means_latest(start_sandbox: Any) -> None:
    sandbox = start_sandbox()
    app = make_app(settings_for(sandbox.base_url, pin="1.0", endpoint="GetExampleDemo"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: main_screen(app).request.operation is not None)
        screen = main_screen(app)
        assert screen.request.pin == "1.0"
        await show_headers_tab(pilot, screen)
        assert screen.request.query_one("#pin-enabled", Checkbox).value is True
        screen.request.query_one("#pin-enabled", Checkbox).value = False
        await pilot.pause()
        assert screen.request.pin is None
        assert screen.request.query_one("#pin", Select).value == "latest"


async def test_removed_token_gives_401_with_its_request_id_and_ctrl_y_copies_it(start_sandbox: Any) -> None:
    sandbox = start_sandbox()
    app = make_app(settings_for(sandbox.base_url))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_demo(pilot)
        screen.request.send_auth = False
        await pilot.pause()
        result, diagnosis = await send(pilot, screen)
        assert result.status == 401
        assert result.header("Authorization") is None
        assert diagnosis.request_id
        assert diagnosis.request_id in screen_text(app)
        screen.response.blur()
        screen.endpoints.endpoint_tree.focus()
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert app.clipboard == diagnosis.request_id


async def test_limited_token_gets_403(start_sandbox: Any) -> None:
    from labs_tui.sandbox import LIMITED_TOKEN

    sandbox = start_sandbox()
    app = make_app(settings_for(sandbox.base_url))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_demo(pilot)
        screen.request.send_auth = False
        row = screen.request.headers_editor.add_row("Authorization", f"Bearer {LIMITED_TOKEN}")
        await pilot.pause()
        assert row.header == ("Authorization", f"Bearer {LIMITED_TOKEN}")
        result, diagnosis = await send(pilot, screen)
        assert result.status == 403
        assert diagnosis.request_id and diagnosis.request_id in screen_text(app)


async def test_burst_to_429_holds_the_next_send_until_confirmed(start_sandbox: Any) -> None:
    sandbox = start_sandbox(rate_limit=(2, 60.0))
    app = make_app(settings_for(sandbox.base_url))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_demo(pilot)
        statuses = [(await send(pilot, screen))[0].status for _ in range(3)]
        assert statuses == [200, 200, 429]
        result, diagnosis = screen.last_answer  # type: ignore[misc]
        assert diagnosis.retry_at is not None
        assert screen.response.retry_blocked_until is not None
        await pilot.press("ctrl+j")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        seq = screen.sends_started
        await pilot.press("escape")  # no: nothing is sent
        await pilot.pause()
        assert isinstance(app.screen, MainScreen) and screen.sends_started == seq


async def test_escape_cancels_a_slow_call_and_a_new_send_replaces_one_in_flight(start_sandbox: Any) -> None:
    sandbox = start_sandbox(latency_ms=3000)
    app = make_app(settings_for(sandbox.base_url))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_demo(pilot)
        await pilot.press("ctrl+j")
        await pilot.pause(0.2)
        assert screen.sending
        await pilot.press("escape")
        await pilot.pause()
        assert not screen.sending
        await app.workers.wait_for_complete()
        assert screen.last_answer is None
        assert "cancel" in screen_text(app).lower()


async def test_a_second_send_replaces_the_first(start_sandbox: Any) -> None:
    sandbox = start_sandbox(latency_ms=300)
    app = make_app(settings_for(sandbox.base_url))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_demo(pilot)
        await pilot.press("ctrl+j")
        await pilot.pause(0.05)
        await pilot.press("ctrl+j")
        assert screen.sends_started == 2
        await wait_until(pilot, lambda: screen.last_answer is not None)
        await app.workers.wait_for_complete()
        await pilot.pause(0.5)
        assert screen.last_answer is not None and screen.last_answer[0].status == 200


async def test_gateway_text_plain_answer_says_no_request_id(start_sandbox: Any) -> None:
    sandbox = start_sandbox(gateway_errors=True)
    app = make_app(settings_for(sandbox.base_url))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_demo(pilot)
        screen.request.send_auth = False
        await pilot.pause()
        result, diagnosis = await send(pilot, screen)
        assert result.status == 403
        assert result.content_kind == "text"
        assert diagnosis.request_id is None
        text = screen_text(app)
        assert "RBAC: access denied" in text
        assert "no requestId" in text


class _MarkupHandler(BaseHTTPRequestHandler):
    BODY = {
        "message": "[bold red]boom[/] \x1b[31mred\x1b[0m",
        "statusCode": 500,
        "requestId": "[link=http://evil]req[/link]",
    }

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        data = json.dumps(self.BODY).encode()
        self.send_response(500)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def markup_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _MarkupHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/labs/v1"
    finally:
        server.shutdown()
        server.server_close()


async def test_markup_laden_body_is_shown_literally(markup_server: str) -> None:
    app = make_app(settings_for(markup_server))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_demo(pilot)
        result, diagnosis = await send(pilot, screen)
        assert result.status == 500
        text = screen_text(app)
        assert "[bold red]boom[/]" in text
        assert "[link=http://evil]req[/link]" in text
        assert "\x1b" not in text


async def test_filter_narrows_the_list_and_says_when_nothing_matches(start_sandbox: Any) -> None:
    sandbox = start_sandbox()
    app = make_app(settings_for(sandbox.base_url))
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.spec is not None)
        await pilot.pause()
        screen = main_screen(app)
        assert str(screen.endpoints.border_title) == "Endpoints 1"
        await pilot.press("slash")
        assert isinstance(app.focused, Input) and app.focused.id == "filter"
        await pilot.press(*"demo")
        await wait_until(pilot, lambda: str(screen.endpoints.border_title) == "Endpoints 1/1")
        await pilot.press(*"zzz")
        await wait_until(pilot, lambda: str(screen.endpoints.border_title) == "Endpoints 0/1")
        assert "no endpoint matches" in screen_text(app)
        await pilot.press("escape")
        tree: object = screen.endpoints.endpoint_tree
        assert app.focused is tree


async def test_bad_spec_shows_its_one_line_error_and_the_app_stays_usable(tmp_path: Any) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("openapi: 3.1.0\npaths: [\n")
    app = make_app(Settings(spec_source=str(bad), start_sandbox=False, env={}, base_url="http://127.0.0.1:9"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.spec_error is not None)
        await pilot.pause()
        assert "\n" not in app.spec_error  # type: ignore[operator]
        status = main_screen(app).endpoints.query_one("#endpoints-status", Static)
        assert status.has_class("-error") and status.display
        assert str(status.content) == app.spec_error
        assert app.spec_error is not None and "bad.yaml" in app.spec_error
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_live_profile_without_token_asks_for_it_masked_and_keeps_it_in_memory(
    isolated_user_dirs: Any,
) -> None:
    app = make_app(Settings(profile="live", start_sandbox=False, env={}))
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, PromptScreen))
        field = app.screen.query_one("#prompt-input", Input)
        assert field.password
        await pilot.press(*"secret-live-token-1234", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
        assert app.profile is not None and app.profile.token == "secret-live-token-1234"
        text = screen_text(app)
        assert "LIVE" in text
        assert "secret-live-token-1234" not in text
    written = [p for p in isolated_user_dirs.rglob("*") if p.is_file()]
    assert not any("secret-live-token" in p.read_text(errors="replace") for p in written)


async def test_f1_lists_every_key(start_sandbox: Any) -> None:
    sandbox = start_sandbox()
    app = make_app(settings_for(sandbox.base_url))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        for key in ("^j", "/", "^y", "f1", "^q", "^p", "escape"):
            assert key in text, key


async def test_support_report_and_curl_are_copied_and_shown_without_the_token(start_sandbox: Any) -> None:
    from labs_tui.sandbox import SANDBOX_TOKEN

    sandbox = start_sandbox()
    app = make_app(settings_for(sandbox.base_url))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_demo(pilot)
        screen.request.send_auth = False
        result, diagnosis = await send(pilot, screen)
        screen.action_copy("support_report")
        await pilot.pause()
        assert isinstance(app.screen, TextScreen)
        report = app.clipboard
        assert f"- requestId: {diagnosis.request_id}" in report and "- Status: 401" in report
        assert SANDBOX_TOKEN not in report
        await pilot.press("escape")
        screen.request.send_auth = True
        screen.action_copy("curl")
        await pilot.pause()
        assert "$ASTRO_API_TOKEN" in app.clipboard and SANDBOX_TOKEN not in app.clipboard
        assert "curl" in app.clipboard


async def test_palette_jumps_to_an_endpoint(start_sandbox: Any) -> None:
    sandbox = start_sandbox()
    app = make_app(settings_for(sandbox.base_url))
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.spec is not None)
        await pilot.press("ctrl+p")
        await pilot.press(*"open demo")
        await pilot.pause(0.5)
        await pilot.press("enter")
        screen = main_screen(app)
        await wait_until(pilot, lambda: screen.request.operation is not None)
        assert (
            screen.request.operation is not None and screen.request.operation.operation_id == "GetExampleDemo"
        )


async def test_default_start_runs_the_sandbox_in_process_and_shows_the_badge() -> None:
    app = make_app(Settings(env={}))
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.sandbox_url is not None)
        await pilot.pause()
        assert app.profile is not None and app.profile.base_url == app.sandbox_url
        assert (app.profile.base_url or "").startswith("http://127.0.0.1:")
        text = screen_text(app)
        assert app.sandbox_url is not None
        assert "SANDBOX" in text and app.sandbox_url in text
        screen = await open_demo(pilot)
        result, _ = await send(pilot, screen)
        assert result.status == 200
    assert app._sandbox is None


ITEMS_SPEC = """\
openapi: 3.1.0
info: {title: Items, version: "2"}
paths:
  /items/{id}:
    post:
      operationId: UpdateItem
      summary: "Update [bold]one[/] item"
      tags: [Items]
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: limit, in: query, schema: {type: integer, default: 10}}
        - {name: X-Mode, in: header, schema: {type: string, enum: [fast, safe]}}
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              properties:
                name: {type: string, example: widget}
      responses:
        "200": {description: ok}
"""


def items_app(tmp_path: Any) -> LabsApp:
    """The app on ITEMS_SPEC (path, query and header params, a JSON body), with no server behind it."""
    spec_file = tmp_path / "items.yaml"
    spec_file.write_text(ITEMS_SPEC)
    settings = Settings(
        spec_source=str(spec_file), start_sandbox=False, env={}, base_url="http://127.0.0.1:9/v2"
    )
    return make_app(settings)


async def open_first(pilot: Any) -> MainScreen:
    """Wait for the spec, then open the first endpoint with enter, as a user would."""
    app: LabsApp = pilot.app
    await wait_until(pilot, lambda: app.spec is not None)
    await pilot.pause()
    await pilot.press("enter")
    return main_screen(app)


async def test_params_and_body_are_checked_before_sending(tmp_path: Any) -> None:
    app = items_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_first(pilot)
        await wait_until(pilot, lambda: screen.request.operation is not None)
        assert "Update [bold]one[/] item" in screen_text(app)  # the spec's summary, literally
        await pilot.press("ctrl+j")
        await pilot.pause()
        assert screen.sends_started == 0  # nothing sent: id is required
        assert "id is required" in screen_text(app)
        from labs_tui.tui.widgets.request.params import ParamRow

        rows = list(screen.request.query(ParamRow))
        rows[0].query_one(Input).value = "a/b"
        rows[1].query_one(Input).value = "ten"
        await pilot.pause()
        assert "http://127.0.0.1:9/v2/items/a%2Fb?limit=ten" in screen_text(app)
        await pilot.press("ctrl+j")
        await pilot.pause()
        assert screen.sends_started == 0 and "limit must be an integer" in screen_text(app)
        rows[1].query_one(Input).value = "5"
        body = screen.request.query_one("#body-editor")
        assert '"name": "widget"' in body.text  # type: ignore[attr-defined]
        body.load_text('{"name": ')  # type: ignore[attr-defined]
        await pilot.press("ctrl+j")
        await pilot.pause()
        assert screen.sends_started == 0 and "body is not valid JSON" in screen_text(app)
        assert body.text == '{"name": '  # type: ignore[attr-defined]  # what the user typed is kept


async def test_a_custom_pin_the_server_rejects_gets_its_field_error_beside_the_pin(
    start_sandbox: Any,
) -> None:
    sandbox = start_sandbox()
    app = make_app(settings_for(sandbox.base_url, pin="9.9"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_demo(pilot)
        assert screen.request.query_one("#pin", Select).value == "custom"
        assert screen.request.pin == "9.9"
        result, diagnosis = await send(pilot, screen)
        assert result.status == 400
        note = screen.request.query_one("#pin-note", Static)
        assert note.has_class("-error") and str(note.content).startswith("server: must be one of")


async def test_switching_profile_clears_the_last_answer(start_sandbox: Any) -> None:
    sandbox = start_sandbox()
    app = make_app(settings_for(sandbox.base_url))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_demo(pilot)
        await send(pilot, screen)
        app.switch_profile("live")
        await wait_until(pilot, lambda: isinstance(app.screen, PromptScreen))
        await pilot.press("escape")
        await pilot.pause()
        assert app.profile is not None and app.profile.name == "live" and app.profile.token is None
        assert screen.last_answer is None
        assert "LIVE" in screen_text(app)


class _CountingServer(ThreadingHTTPServer):
    """Counts the TCP connections it accepts, to see whether the app reuses them."""

    daemon_threads = True
    connections = 0

    def process_request(self, request: Any, client_address: Any) -> None:
        self.connections += 1
        super().process_request(request, client_address)


class _KeepAliveHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        body = b'{"proofOfConcept": "Labs example"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


async def test_repeated_sends_reuse_one_connection() -> None:
    server = _CountingServer(("127.0.0.1", 0), _KeepAliveHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        app = make_app(settings_for(f"http://127.0.0.1:{server.server_address[1]}/labs/v1"))
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_demo(pilot)
            for _ in range(3):
                result, _ = await send(pilot, screen)
                assert result.status == 200
        assert server.connections == 1
    finally:
        server.shutdown()
        server.server_close()


async def test_fill_puts_a_stored_request_back_into_params_headers_and_body(tmp_path: Any) -> None:
    """What reopening a history entry does: each value where it belongs, nothing lost or duplicated."""
    from labs_tui.tui.widgets.request.params import ParamRow

    app = items_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_first(pilot)
        await wait_until(pilot, lambda: len(screen.request.query(ParamRow)) == 3)
        headers = [("x-mode", "safe"), ("X-Trace", "abc")]
        screen.request.fill({"id": "a/b"}, {"limit": "5"}, headers, b'{"name": "gear"}')
        await pilot.pause()
        assert [row.value for row in screen.request.query(ParamRow)] == ["a/b", "5", "safe"]
        assert screen.request.headers_editor.custom_headers() == [("X-Trace", "abc")]  # X-Mode is a param
        assert screen.request.body_editor.body == b'{"name": "gear"}'
        assert "http://127.0.0.1:9/v2/items/a%2Fb?limit=5" in screen_text(app)
        screen.request.fill({}, {}, [("X-Mode", "not-offered")], None)  # an enum value the spec lacks
        await pilot.pause()
        assert [row.value for row in screen.request.query(ParamRow)][2] == "safe"


async def test_choosing_custom_from_the_pin_list_by_keyboard_sends_the_typed_pin(start_sandbox: Any) -> None:
    sandbox = start_sandbox()
    app = make_app(settings_for(sandbox.base_url))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_demo(pilot)
        assert not screen.request.query("#pin-custom")  # built only when custom is chosen
        screen.request.query_one("#pin", Select).focus()
        await pilot.press("enter")  # opens the list on the current choice, "latest (no header)"
        await pilot.pause()
        await pilot.press("down", "enter")  # the entry after latest: "custom..."
        await wait_until(pilot, lambda: bool(screen.request.query("#pin-custom")))
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "pin-custom"
        await pilot.press("1", ".", "2")
        await pilot.pause()
        assert screen.request.pin == "1.2"
        assert "sends X-Labs-API-Version: 1.2" in screen_text(app)
        result, _ = await send(pilot, screen)
        assert result.request.pin == "1.2"


TWO_SPEC = """\
openapi: 3.1.0
info: {title: Two, version: "1"}
paths:
  /first: {get: {operationId: GetFirst, summary: First, tags: [A], responses: {"200": {description: ok}}}}
  /second: {get: {operationId: GetSecond, summary: Second, tags: [A], responses: {"200": {description: ok}}}}
"""


async def test_opening_another_endpoint_clears_the_answer_and_coming_back_shows_it_again(
    tmp_path: Any,
) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _KeepAliveHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    spec_file = tmp_path / "two.yaml"
    spec_file.write_text(TWO_SPEC)
    base_url = f"http://127.0.0.1:{server.server_address[1]}"
    app = make_app(Settings(spec_source=str(spec_file), start_sandbox=False, env={}, base_url=base_url))
    try:
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_first(pilot)
            await wait_until(pilot, lambda: screen.request.operation is not None)
            assert screen.request.operation is not None and screen.request.operation.key == "GET /first"
            await send(pilot, screen)
            assert screen.response.status_text.startswith("200")
            assert "proofOfConcept" in screen_text(app)
            await pilot.press("ctrl+e", "down", "enter")  # open the second endpoint
            await wait_until(pilot, lambda: getattr(screen.request.operation, "key", "") == "GET /second")
            await pilot.pause()
            assert "no response yet" in screen.response.status_text
            assert "proofOfConcept" not in screen_text(app)
            assert screen.last_answer is None  # ctrl+y and the support report do not take the first's answer
            await pilot.press("ctrl+e", "up", "enter")  # back to the first: its answer is shown again
            await wait_until(pilot, lambda: getattr(screen.request.operation, "key", "") == "GET /first")
            await pilot.pause()
            assert screen.response.status_text.startswith("200")
            assert "proofOfConcept" in screen_text(app)
            assert screen.last_answer is not None and screen.last_answer[0].status == 200
    finally:
        server.shutdown()
        server.server_close()


async def test_a_typed_authorization_header_is_shown_as_the_one_sent_instead_of_the_token(
    start_sandbox: Any,
) -> None:
    from labs_tui.tui.widgets.request.headers import HeaderRow

    sandbox = start_sandbox()
    app = make_app(settings_for(sandbox.base_url))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_demo(pilot)
        token = app.profile.token if app.profile is not None else None
        assert token
        await show_headers_tab(pilot, screen)
        auth_value = screen.request.query_one("#auth-value", Static)
        assert "replaced" not in str(auth_value.render())
        await pilot.click("#add-header")
        await pilot.pause()
        await pilot.press(*"Authorization", "tab", *"Bearer typed-by-hand")
        await pilot.pause()
        shown = str(auth_value.render())
        assert "replaced by your Authorization header" in shown
        assert token not in shown
        assert screen.request.query_one("#auth-row").has_class("-replaced")
        row = screen.request.query_one(HeaderRow)
        assert row.note == "← sent instead of the token"
        text = screen_text(app)
        assert "not sent: replaced by your" in text and "sent instead of the token" in text
        assert token not in text
        result, _ = await send(pilot, screen)
        assert result.status == 401  # the typed token went, not the profile's (kept redacted in the result)
        row.query_one(".header-enabled", Checkbox).value = False  # the typed row switched off
        await pilot.pause()
        assert "replaced" not in str(auth_value.render()) and row.note == ""
        row.query_one(".header-enabled", Checkbox).value = True
        await pilot.pause()
        assert "replaced" in str(auth_value.render())
        await pilot.click(".header-remove")  # without the typed row the token goes again
        await wait_until(pilot, lambda: not screen.request.query(HeaderRow))
        await pilot.pause()
        assert "replaced" not in str(auth_value.render())
        assert not screen.request.query_one("#auth-row").has_class("-replaced")
