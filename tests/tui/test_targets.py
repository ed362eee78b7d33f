"""Where requests go, driven with Pilot: the embedded sandbox serves a spec of its own, the target
picker (f4, a click on the header, the palette) offers the sandbox, the spec's servers, the config's
profiles and a typed URL, the pin picker shows only for specs that pin versions, and sandbox targets
get a Prefer field and a stateful toggle."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
from textual.widgets import Input, OptionList, Select

from labs_tui.tui.app import make_app
from labs_tui.tui.screens.main import MainScreen
from labs_tui.tui.screens.target import TargetScreen
from labs_tui.tui.settings import Settings
from labs_tui.tui.widgets.header.bar import HeaderBar
from labs_tui.tui.widgets.request.pane import Draft
from labs_tui.tui.widgets.tabs import Tabbed

from .conftest import screen_text, wait_until

SIZE = (140, 40)
THIRD_PARTY = Path(__file__).parents[1] / "data" / "specs" / "third_party"
TRAIN = str(THIRD_PARTY / "train-travel-3.1.json")


def main_screen(app: Any) -> MainScreen:
    for screen in app.screen_stack:
        if isinstance(screen, MainScreen):
            return screen
    raise AssertionError("no main screen")


def header_line(app: Any) -> str:
    return "".join(segment.text for segment in main_screen(app).query_one(HeaderBar).render_line(0))


async def opened(pilot: Any, key: str) -> MainScreen:
    await wait_until(pilot, lambda: pilot.app.spec is not None)
    screen = main_screen(pilot.app)
    operation = pilot.app.spec.find(key)
    assert operation is not None
    screen.open_operation(operation)
    await pilot.pause()
    return screen


async def sent(pilot: Any, screen: MainScreen) -> Any:
    """Press ctrl+j and wait for the answer; returns the CallResult."""
    screen._last = None
    await pilot.press("ctrl+j")
    await wait_until(pilot, lambda: screen._last is not None, timeout=20)
    assert screen._last is not None
    return screen._last[0]


async def past_token_prompt(pilot: Any) -> None:
    """A server or typed URL may ask for a token (the core's profile rules): leave it blank."""
    app = pilot.app
    await wait_until(pilot, lambda: not isinstance(app.screen, TargetScreen))
    await pilot.pause()
    if not isinstance(app.screen, MainScreen):
        await pilot.press("escape")
    await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))


def train_app(**overrides: Any) -> Any:
    values: dict[str, Any] = {"spec_source": TRAIN, "env": {}}
    values.update(overrides)
    return make_app(Settings(**values))


# -- the embedded sandbox serves the loaded spec ---------------------------------------------------


async def test_another_spec_is_served_by_the_embedded_sandbox() -> None:
    app = train_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(pilot, "GET /stations")
        result = await sent(pilot, screen)
        assert result.status == 200, result.body[:200]
        body = json.loads(result.body)
        assert isinstance(body, dict) and "data" in body  # the schema's shape, not a Labs 404
        assert app._sandbox is not None and app._sandbox.mode == "spec"
        assert header_line(app).rstrip().endswith("SANDBOX")


async def test_the_bundled_spec_still_gets_the_labs_sandbox() -> None:
    app = make_app(Settings(env={}))
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(pilot, "GET /examples/demo")
        result = await sent(pilot, screen)
        assert result.status == 200
        assert app._sandbox is not None and app._sandbox.mode == "labs"


# -- the pin picker only where the spec pins versions ----------------------------------------------


async def test_a_spec_without_a_version_header_gets_no_pin_ui_and_sends_no_pin() -> None:
    app = train_app(pin="1.1")
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(pilot, "GET /stations")
        assert not screen.request.query_one("#pin", Select).display
        assert "latest (no header)" not in screen_text(app)
        assert "X-Labs-API-Version" not in screen_text(app)
        draft = screen.request.collect()
        assert isinstance(draft, Draft) and draft.pin is None
        screen.request.query_one("#request-tabs", Tabbed).active = "tab-headers"  # no pin row there either
        await wait_until(pilot, lambda: bool(screen.request.query("#pin-enabled")))
        await pilot.pause()
        pin_row = screen.request.query_one("#pin-enabled").parent
        assert pin_row is not None and not pin_row.display
        assert "X-Labs-API-Version" not in screen_text(app)
        result = await sent(pilot, screen)
        assert not any(name.lower() == "x-labs-api-version" for name, _ in result.request.headers)


async def test_the_labs_spec_keeps_its_pin_picker() -> None:
    app = make_app(Settings(env={}, start_sandbox=False, pin="1.1"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(pilot, "GET /examples/demo")
        assert screen.request.query_one("#pin", Select).display
        assert screen.request.pin == "1.1"
        screen.request.query_one("#request-tabs", Tabbed).active = "tab-headers"
        await wait_until(pilot, lambda: bool(screen.request.query("#pin-enabled")))
        await pilot.pause()
        pin_row = screen.request.query_one("#pin-enabled").parent
        assert pin_row is not None and pin_row.display


async def test_a_header_parameter_with_the_version_header_name_brings_the_picker(tmp_path: Path) -> None:
    document = json.loads(Path(TRAIN).read_text())
    document["paths"]["/stations"]["get"]["parameters"] = [
        {"name": "X-Labs-API-Version", "in": "header", "schema": {"type": "string"}}
    ]
    spec = tmp_path / "pinned.json"
    spec.write_text(json.dumps(document))
    app = make_app(Settings(spec_source=str(spec), env={}, start_sandbox=False))
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(pilot, "GET /stations")
        assert screen.request.query_one("#pin", Select).display


# -- the target picker ------------------------------------------------------------------------------


def spec_with_server(tmp_path: Path, port: int) -> str:
    """train-travel with one server whose port is a variable (its default: a running sandbox)."""
    document = json.loads(Path(TRAIN).read_text())
    document["servers"] = [
        {"url": "http://127.0.0.1:{port}", "variables": {"port": {"default": str(port)}}},
        {"url": "/relative-only"},  # no host: not offered
    ]
    path = tmp_path / "served.json"
    path.write_text(json.dumps(document))
    return str(path)


async def test_f4_lists_sandbox_servers_profiles_and_custom(tmp_path: Path, start_sandbox: Any) -> None:
    server = start_sandbox(spec=TRAIN)
    port = int(httpx.URL(str(server.base_url)).port or 0)
    app = make_app(Settings(spec_source=spec_with_server(tmp_path, port), env={}))
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, "GET /stations")
        await pilot.press("f4")
        await wait_until(pilot, lambda: isinstance(app.screen, TargetScreen))
        picker = app.screen
        assert isinstance(picker, TargetScreen)
        kinds = [(t.kind, t.value) for t in picker.targets]
        assert kinds == [
            ("sandbox", None),
            ("server", f"http://127.0.0.1:{port}"),
            ("custom", None),  # no "profile live": the Astro Labs API is not this spec's server
        ]
        assert picker.targets[0].current
        text = screen_text(app)
        assert f"http://127.0.0.1:{port}" in text and "relative-only" not in text
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))


async def test_a_spec_server_becomes_the_target_and_the_header_says_so(
    tmp_path: Path, start_sandbox: Any
) -> None:
    server = start_sandbox(spec=TRAIN)
    port = int(httpx.URL(str(server.base_url)).port or 0)
    app = make_app(Settings(spec_source=spec_with_server(tmp_path, port), env={}))
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(pilot, "GET /stations")
        await wait_until(pilot, lambda: app.sandbox_url is not None)
        await pilot.press("f4")
        await wait_until(pilot, lambda: isinstance(app.screen, TargetScreen))
        app.screen.query_one(OptionList).highlighted = 1
        await pilot.press("enter")
        await past_token_prompt(pilot)
        await wait_until(
            pilot, lambda: app.profile is not None and app.profile.base_url == f"http://127.0.0.1:{port}"
        )
        line = header_line(app)
        assert f"server · http://127.0.0.1:{port}" in line
        assert "SANDBOX" not in line
        assert not screen.request.query_one("#prefer-row").display  # not a sandbox target
        result = await sent(pilot, screen)
        assert result.request.url.startswith(f"http://127.0.0.1:{port}/stations")
        assert result.status is not None
        # No token was given for that server: none is sent there.
        assert not any(name.lower() == "authorization" for name, _ in result.request.headers)
        # Back to the sandbox: the badge returns.
        app.switch_target("sandbox")
        await wait_until(pilot, lambda: header_line(app).rstrip().endswith("SANDBOX"))
        assert "profile sandbox" in header_line(app)


async def test_a_click_on_the_header_opens_the_picker() -> None:
    app = train_app(start_sandbox=False)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, "GET /stations")
        await pilot.click(HeaderBar)
        await wait_until(pilot, lambda: isinstance(app.screen, TargetScreen))


async def test_the_palette_offers_the_picker_and_the_spec_servers(tmp_path: Path) -> None:
    app = make_app(Settings(spec_source=spec_with_server(tmp_path, 9), env={}, start_sandbox=False))
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, "GET /stations")
        await pilot.press("ctrl+p")
        await pilot.press(*"targetserver")
        await wait_until(pilot, lambda: "Target: server http://127.0.0.1:9" in screen_text(app))
        await pilot.press("enter")
        await past_token_prompt(pilot)
        await wait_until(
            pilot, lambda: app.profile is not None and app.profile.base_url == "http://127.0.0.1:9"
        )
        assert "server · http://127.0.0.1:9" in header_line(app)


async def test_a_custom_url_from_the_picker_is_the_target() -> None:
    app = train_app(start_sandbox=False)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, "GET /stations")
        await pilot.press("f4")
        await wait_until(pilot, lambda: isinstance(app.screen, TargetScreen))
        app.screen.query_one(OptionList).highlighted = len(app.screen.targets) - 1
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen.query("#prompt-input"))
        app.screen.query_one("#prompt-input", Input).value = "http://127.0.0.1:9/api"
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.profile is not None and app.profile.name == "custom")
        await past_token_prompt(pilot)
        assert "custom URL · http://127.0.0.1:9/api" in header_line(app)
        assert "SANDBOX" not in header_line(app)


# -- Prefer and the stateful sandbox ----------------------------------------------------------------


async def test_prefer_picks_the_sandbox_answer() -> None:
    app = train_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(pilot, "GET /stations")

        def prefer_shown() -> bool:
            rows = screen.request.query("#prefer-row")
            return bool(rows) and rows.first().display

        await wait_until(pilot, prefer_shown)
        prefer = screen.request.query_one("#prefer", Input)
        assert "Prefer" in screen_text(app)
        prefer.value = "code=403"
        result = await sent(pilot, screen)
        assert result.status == 403
        assert ("Prefer", "code=403") in list(result.request.headers)
        prefer.value = ""
        result = await sent(pilot, screen)
        assert result.status == 200


async def test_the_palette_restarts_the_sandbox_stateful_and_the_header_says_so() -> None:
    app = train_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(pilot, "GET /bookings/{bookingId}")
        await wait_until(pilot, lambda: app.sandbox_url is not None)
        first = app.sandbox_url
        assert "stateful" not in header_line(app)
        await pilot.press("ctrl+p")
        await pilot.press(*"stateful")
        await wait_until(pilot, lambda: "Sandbox: stateful on" in screen_text(app))
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.sandbox_url is not None and app.sandbox_url != first)
        await wait_until(pilot, lambda: "stateful sandbox" in header_line(app))
        assert app.sandbox_stateful
        # The new sandbox keeps state: a booking nobody created is not found.
        booking = screen.request.query_one("#params").query(Input).first()
        booking.value = "1725ff48-ab45-4bb5-9d02-88745177dedb"
        result = await sent(pilot, screen)
        assert result.status == 404
        assert result.request.url.startswith(app.sandbox_url.rstrip("/"))


async def test_the_live_token_does_not_follow_a_switch_to_a_spec_server(
    tmp_path: Path, start_sandbox: Any
) -> None:
    server = start_sandbox(spec=TRAIN)
    port = int(httpx.URL(str(server.base_url)).port or 0)
    env = {"ASTRO_API_TOKEN": "live-secret-token"}
    app = make_app(Settings(spec_source=spec_with_server(tmp_path, port), profile="live", env=env))
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(pilot, "GET /stations")
        assert app.profile is not None and app.profile.token == "live-secret-token"
        app.switch_target("server", f"http://127.0.0.1:{port}")
        await past_token_prompt(pilot)
        result = await sent(pilot, screen)
        assert result.request.url.startswith(f"http://127.0.0.1:{port}/")
        assert app.profile is not None and app.profile.token is None
        assert not any(name.lower() == "authorization" for name, _ in result.request.headers)


async def test_switching_between_two_servers_clears_the_last_answer(tmp_path: Path) -> None:
    document = json.loads(Path(TRAIN).read_text())
    document["servers"] = [{"url": "http://127.0.0.1:9/a"}, {"url": "http://127.0.0.1:9/b"}]
    spec = tmp_path / "two.json"
    spec.write_text(json.dumps(document))
    app = make_app(Settings(spec_source=str(spec), env={}, start_sandbox=False))
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(pilot, "GET /stations")
        app.switch_target("server", "http://127.0.0.1:9/a")
        await past_token_prompt(pilot)
        result = await sent(pilot, screen)
        assert result.request.url.startswith("http://127.0.0.1:9/a/")
        app.switch_target("server", "http://127.0.0.1:9/b")
        await past_token_prompt(pilot)
        await wait_until(pilot, lambda: screen._last is None)
        assert "server · http://127.0.0.1:9/b" in header_line(app)


async def test_f4_offers_the_live_profile_for_the_labs_spec() -> None:
    app = make_app(Settings(env={}, start_sandbox=False))
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.spec is not None)
        await pilot.press("f4")
        await wait_until(pilot, lambda: isinstance(app.screen, TargetScreen))
        picker = app.screen
        assert isinstance(picker, TargetScreen)
        assert ("profile", "live") in [(t.kind, t.value) for t in picker.targets]


async def test_the_token_prompt_for_a_spec_server_names_its_url(tmp_path: Path, start_sandbox: Any) -> None:
    from labs_tui.tui.screens.dialogs import PromptScreen

    server = start_sandbox(spec=TRAIN)
    port = int(httpx.URL(str(server.base_url)).port or 0)
    app = make_app(Settings(spec_source=spec_with_server(tmp_path, port), env={}))
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, "GET /stations")
        app.switch_target("server", f"http://127.0.0.1:{port}")
        await wait_until(pilot, lambda: isinstance(app.screen, PromptScreen))
        await pilot.pause()
        text = " ".join(screen_text(app).split())
        assert f"API token for http://127.0.0.1:{port}" in text and "profile custom" not in text
        assert "gets no token from the environment" in text
