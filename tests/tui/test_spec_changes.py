"""The "Spec changes" palette flow: ask for another spec, list what changed, open an operation."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.widgets import Input, OptionList

from labs_tui.tui.app import make_app
from labs_tui.tui.screens.dialogs import PromptScreen
from labs_tui.tui.screens.main import MainScreen
from labs_tui.tui.screens.spec_changes import SpecChangesScreen

from .conftest import screen_text, settings_for, wait_until

OLDER = Path(__file__).resolve().parents[1] / "data" / "specs" / "labs-older.yaml"
SIZE = (120, 30)


async def test_palette_spec_changes_lists_and_opens(start_sandbox: Callable[..., Any]) -> None:
    sandbox = start_sandbox()
    app = make_app(settings_for(sandbox.base_url))
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.spec is not None)
        await pilot.press("ctrl+p")
        await pilot.press(*"spec changes")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, PromptScreen))
        app.screen.query_one(Input).value = str(OLDER)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, SpecChangesScreen))
        screen = app.screen
        assert isinstance(screen, SpecChangesScreen)
        await wait_until(pilot, lambda: screen.result is not None)
        await pilot.pause()
        text = screen_text(app)
        assert "1 removed, 0 added, 1 changed; 3 breaking" in text
        assert "BREAKING" in text and "removed  GET /examples/retired" in text
        assert "response-property-renamed" in text and "name -> proofOfConcept" in text

        options = screen.query_one(OptionList)
        assert options.highlighted == 0
        await pilot.press("enter")  # the removed operation: not in the loaded spec, the screen stays
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("down", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
        main = app.screen
        assert isinstance(main, MainScreen)
        await wait_until(pilot, lambda: main.request.operation is not None)
        assert main.request.operation is not None and main.request.operation.operation_id == "GetExampleDemo"


async def test_a_spec_that_cannot_load_is_one_line(start_sandbox: Callable[..., Any], tmp_path: Path) -> None:
    sandbox = start_sandbox()
    app = make_app(settings_for(sandbox.base_url))
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.spec is not None)
        assert app.spec is not None
        screen = SpecChangesScreen(app.spec, str(tmp_path / "missing.yaml"))
        await app.push_screen(screen)
        await wait_until(pilot, lambda: "could not compare" in screen_text(app))
        assert "no such file" in screen_text(app)


def test_spec_changes_view(snap_compare: Any, start_sandbox: Callable[..., Any]) -> None:
    sandbox = start_sandbox()
    app = make_app(settings_for(sandbox.base_url))

    async def run_before(pilot: Any) -> None:
        await wait_until(pilot, lambda: pilot.app.spec is not None)
        screen = SpecChangesScreen(pilot.app.spec, str(OLDER), label="labs-older.yaml")
        await pilot.app.push_screen(screen)
        await wait_until(pilot, lambda: screen.result is not None)
        await pilot.pause()

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)


class _Serve:
    """One spec on loopback; ``body`` can be swapped between loads (its ETag follows)."""

    def __init__(self, body: bytes) -> None:
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        state = self
        self.body = body

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
                etag = f'"{hash(state.body)}"'
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", str(len(state.body)))
                self.end_headers()
                self.wfile.write(state.body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/spec.yaml"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


async def test_a_changed_spec_url_is_told_once_and_offers_what_changed(
    start_sandbox: Callable[..., Any], monkeypatch: Any
) -> None:
    from labs_tui.spec import BUNDLED_SPEC, load_spec

    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    server = _Serve(OLDER.read_bytes())
    try:
        load_spec(server.url)  # what the user last looked at
        server.body = BUNDLED_SPEC.read_bytes()  # the spec moved on since
        sandbox = start_sandbox()
        app = make_app(settings_for(sandbox.base_url, spec_source=server.url))
        async with app.run_test(size=SIZE) as pilot:
            await wait_until(pilot, lambda: app.spec is not None and app.spec.source == server.url)
            assert app.spec is not None and app.spec.notice is not None
            assert "changed since the cached copy" in app.spec.notice
            await pilot.press("ctrl+p")
            await pilot.press(*"since you last looked")
            await pilot.pause(0.5)
            await pilot.press("enter")
            await wait_until(pilot, lambda: isinstance(app.screen, SpecChangesScreen))
            screen = app.screen
            assert isinstance(screen, SpecChangesScreen)
            await wait_until(pilot, lambda: screen.result is not None)
            assert screen.result is not None
            assert [e.key for e in screen.result.removed] == ["GET /examples/retired"]
            assert "name -> proofOfConcept" in screen_text(app)
    finally:
        server.stop()
