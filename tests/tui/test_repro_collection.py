"""Saved requests in the app: save from the palette, open (--open, the browser), curl import, variables."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets import TextArea

from labs_tui.store.collection import SavedRequest, load_request, save_request
from labs_tui.tui.app import LabsApp, make_app
from labs_tui.tui.screens.collection import CollectionScreen
from labs_tui.tui.screens.dialogs import CurlImportScreen, PromptScreen
from labs_tui.tui.screens.main import MainScreen

from .conftest import screen_text, settings_for, wait_until
from .test_journeys import open_demo, send

SIZE = (140, 45)


def main_screen(app: LabsApp) -> MainScreen:
    return next(s for s in app.screen_stack if isinstance(s, MainScreen))


async def palette(pilot: Any, name: str) -> None:
    app = pilot.app
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*name)
    await wait_until(pilot, lambda: name in screen_text(app))
    await pilot.press("enter")
    await pilot.pause()


async def ready(pilot: Any) -> MainScreen:
    app: LabsApp = pilot.app
    await wait_until(pilot, lambda: app.spec is not None and app.profile is not None)
    await wait_until(pilot, lambda: app.profile is not None and app.profile.base_url is not None)
    return main_screen(app)


async def opened(pilot: Any) -> MainScreen:
    """The main screen once the saved request given to the app is open in the builder."""
    screen = await ready(pilot)
    await wait_until(pilot, lambda: screen.request.operation is not None)
    await pilot.pause()
    return screen


async def test_save_request_from_the_palette_writes_a_file_without_the_token(
    start_sandbox: Any, tmp_path: Path
) -> None:
    sandbox = start_sandbox()
    app = make_app(settings_for(sandbox.base_url, collection_dir=tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_demo(pilot)
        screen.request.set_pin("1.0")
        await palette(pilot, "Save request")
        await wait_until(pilot, lambda: isinstance(app.screen, PromptScreen))
        await pilot.press(*"demo 1.0")
        await pilot.press("enter")
        await wait_until(pilot, lambda: (tmp_path / "demo-1.0.yaml").exists())
    text = (tmp_path / "demo-1.0.yaml").read_text()
    assert "sandbox-token" not in text and "Authorization" not in text
    saved = load_request(tmp_path / "demo-1.0.yaml")
    assert (saved.name, saved.method, saved.path, saved.pin, saved.profile) == (
        "demo 1.0", "GET", "/examples/demo", "1.0", "sandbox"
    )  # fmt: skip


async def test_save_request_accepts_the_suggested_name_and_refuses_an_empty_one(
    start_sandbox: Any, tmp_path: Path
) -> None:
    from textual.widgets import Input

    sandbox = start_sandbox()
    app = make_app(settings_for(sandbox.base_url, collection_dir=tmp_path))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_demo(pilot)
        await palette(pilot, "Save request")
        await wait_until(pilot, lambda: isinstance(app.screen, PromptScreen))
        field = app.screen.query_one("#prompt-input", Input)
        assert field.value == "GetExampleDemo"
        field.value = ""
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen)
        assert "a name is needed" in str(app.screen.query_one("#prompt-error").render())
        assert list(tmp_path.glob("*.yaml")) == []
        field.value = "GetExampleDemo"
        await pilot.click("#ok")
        await wait_until(pilot, lambda: (tmp_path / "GetExampleDemo.yaml").exists())
        said = "request saved (no token)"
        await wait_until(pilot, lambda: any(n.title == said for n in app._notifications))
        assert not isinstance(app.screen, PromptScreen)
    assert load_request(tmp_path / "GetExampleDemo.yaml").path == "/examples/demo"


async def test_open_file_fills_the_builder_and_sends_it(start_sandbox: Any, tmp_path: Path) -> None:
    sandbox = start_sandbox()
    saved = SavedRequest(name="pinned", method="GET", path="/examples/demo", pin="1.0", profile="sandbox")
    save_request(saved, tmp_path)
    app = make_app(settings_for(sandbox.base_url, open_request=saved, collection_dir=tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        await wait_until(pilot, lambda: screen.request.operation is not None)
        assert screen.request.operation is not None
        assert screen.request.operation.key == "GET /examples/demo"
        assert screen.request.pin == "1.0"
        result, _ = await send(pilot, screen)
        assert result.status == 200 and result.request.pin == "1.0"


async def test_the_collection_browser_lists_files_and_enter_opens_one(
    start_sandbox: Any, tmp_path: Path
) -> None:
    sandbox = start_sandbox()
    save_request(SavedRequest(name="a demo", method="GET", path="/examples/demo", pin="1.0"), tmp_path)
    (tmp_path / "broken.yaml").write_text("not: [valid", encoding="utf-8")
    app = make_app(settings_for(sandbox.base_url, collection_dir=tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        await palette(pilot, "Open saved request")
        await wait_until(pilot, lambda: isinstance(app.screen, CollectionScreen))
        shown = screen_text(app)
        assert "a demo" in shown and "GET /examples/demo" in shown and "broken.yaml" in shown
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is screen and screen.request.operation is not None)
        assert screen.request.pin == "1.0"


async def test_import_curl_drops_the_token_and_says_so(start_sandbox: Any) -> None:
    sandbox = start_sandbox()
    app = make_app(settings_for(sandbox.base_url))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await ready(pilot)
        await palette(pilot, "Import curl")
        await wait_until(pilot, lambda: isinstance(app.screen, CurlImportScreen))
        dialog = app.screen
        dialog.query_one("#curl-text", TextArea).insert(
            f"curl '{sandbox.base_url}/examples/demo' \\\n  -H 'Authorization: Bearer pasted-secret' \\\n"
            "  -H 'X-Labs-API-Version: 1.0'"
        )
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is screen and screen.request.operation is not None)
        assert screen.request.pin == "1.0"
        messages = [n.message for n in app._notifications]
        assert any("Authorization header was dropped" in m for m in messages)
        result, _ = await send(pilot, screen)
        assert result.status == 200
        assert "pasted-secret" not in str(result.request.headers)


async def test_import_curl_from_another_host_says_so(start_sandbox: Any) -> None:
    sandbox = start_sandbox()
    app = make_app(settings_for(sandbox.base_url))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await ready(pilot)
        from labs_tui.tui.screens.collection import import_curl

        assert import_curl(
            screen, "curl https://elsewhere.example/labs/v1/examples/demo -H 'Authorization: Bearer x'"
        )
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("calls elsewhere.example, not a host" in m and "never goes" in m for m in messages)


async def test_unresolved_variables_are_named_and_nothing_is_sent(start_sandbox: Any, tmp_path: Path) -> None:
    sandbox = start_sandbox()
    (tmp_path / ".env").write_text("TRACE=from-dotenv\n", encoding="utf-8")
    saved = SavedRequest(
        name="v", method="GET", path="/examples/demo", headers=(("X-Trace", "${TRACE}"), ("X-Who", "${WHO}"))
    )
    app = make_app(settings_for(sandbox.base_url, open_request=saved, collection_dir=tmp_path))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await ready(pilot)
        await wait_until(pilot, lambda: screen.request.operation is not None)
        await pilot.pause()
        before = screen.sends_started
        await pilot.press("ctrl+j")
        await pilot.pause()
        assert screen.sends_started == before  # not sent
        assert any("unresolved variable(s): WHO" in n.message for n in app._notifications)
    app = make_app(
        settings_for(sandbox.base_url, open_request=saved, collection_dir=tmp_path, env={"WHO": "me"})
    )
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        await wait_until(pilot, lambda: screen.request.operation is not None)
        await pilot.pause()
        result, _ = await send(pilot, screen)
        sent = {n.lower(): v for n, v in result.request.headers}
        assert sent["x-trace"] == "from-dotenv" and sent["x-who"] == "me"


THINGS_SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "Things", "version": "1"},
    "paths": {
        "/things": {
            "get": {
                "operationId": "ListThings",
                "parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer"}}],
                "responses": {"200": {"description": "ok"}},
            }
        }
    },
}


async def test_a_variable_in_an_integer_param_is_filled_not_refused(tmp_path: Path) -> None:
    import json

    spec = tmp_path / "things.json"
    spec.write_text(json.dumps(THINGS_SPEC), encoding="utf-8")
    saved = SavedRequest(name="t", method="GET", path="/things", query=(("limit", "${LIMIT}"),))
    for env, expected in (({}, "unresolved variable(s): LIMIT"), ({"LIMIT": "5"}, None)):
        settings = settings_for(
            "http://127.0.0.1:9/v1",
            spec_source=str(spec),
            open_request=saved,
            collection_dir=tmp_path,
            env=env,
        )
        app = make_app(settings)
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            screen = await opened(pilot)
            if expected is not None:
                await pilot.press("ctrl+j")
                await pilot.pause()
                assert [n.message for n in app._notifications if n.title == "not sent"] == [expected]
            else:
                result, _ = await send(pilot, screen)
                assert result.request.url.endswith("/things?limit=5")
