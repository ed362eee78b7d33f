"""The TUI against the hostile server and hostile specs: literal views, one-line errors, keys answered.

The app is built with ``make_app(Settings(...))`` on a ``hostile`` profile from a config (2 s timeout,
1 MiB body cap, token from the injected environment), with the hostile routes as its spec. Each route
is opened and sent with the real keys; the screen (the exported screenshot's text) must show the
expected text, no traceback, no raw control character, markup as literal brackets, never the token.
"""

from __future__ import annotations

import asyncio
import html
import re
from pathlib import Path
from typing import Any

import pytest

from labs_tui.store.config import load_config
from labs_tui.tui.app import LabsApp, make_app
from labs_tui.tui.screens.main import MainScreen
from labs_tui.tui.settings import Settings

from .conftest import TIMEOUT_S, TOKEN, assert_token_absent
from .hostile_server import MARKUP, HostileServer, operation_id

SIZE = (150, 50)
HANG_GUARD_S = TIMEOUT_S + 15
DATA = Path(__file__).parent / "data"


def screen_text(app: Any) -> tuple[str, str]:
    """(the SVG as exported, the visible text read from it)."""
    svg = app.export_screenshot()
    text = html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")
    return svg, text


def assert_screen_clean(app: Any) -> str:
    svg, text = screen_text(app)
    assert "Traceback" not in text
    for char in ("\x1b", "\x07", "\x9b", "\x9d", "\x08"):
        assert char not in svg, f"{char!r} reached the screen"
    assert TOKEN not in svg
    return text


def settings(spec: Path, config_path: Path, **extra: Any) -> Settings:
    config, warnings = load_config(config_path)
    assert not warnings, warnings
    values: dict[str, Any] = {
        "spec_source": str(spec),
        "profile": "hostile",
        "env": {"ASTRO_API_TOKEN": TOKEN},
        "config": config,
        "start_sandbox": False,
    }
    values.update(extra)
    return Settings(**values)


def main_screen(app: LabsApp) -> MainScreen:
    for screen in app.screen_stack:
        if isinstance(screen, MainScreen):
            return screen
    raise AssertionError("no main screen")


async def wait_until(pilot: Any, condition: Any, timeout: float = HANG_GUARD_S) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, "the app did not get there in time"
        await pilot.pause(0.02)


async def ready(pilot: Any) -> MainScreen:
    app: LabsApp = pilot.app
    await wait_until(pilot, lambda: app.spec is not None and app.profile is not None)
    await pilot.pause()
    return main_screen(app)


async def send_route(pilot: Any, screen: MainScreen, route: str) -> Any:
    app: LabsApp = pilot.app
    assert app.spec is not None
    operation = app.spec.find(operation_id(route))
    assert operation is not None
    screen.open_operation(operation)
    await pilot.pause()
    before = screen.sends_started
    await pilot.press("ctrl+j")
    await wait_until(pilot, lambda: screen.sends_started > before and not screen.sending)
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert screen.last_answer is not None
    return screen.last_answer


# route -> text that must be on the screen after sending it
SHOWN: dict[str, str] = {
    "text-error": "RBAC: access denied",
    "html-error": "Bad Gateway",
    "invalid-json": "half an obj",
    "header-request-id": "hdr-rid-0042",
    "retry-date": "slow down",
    "binary": "binary",
    "big": "xxxxxxxx",
    "gzip-bomb": "truncated",
    "reset": "closed mid-body",
    "loop": "more than 10 redirects",
    "redirect-away": "caught",
    "markup-text": "[reverse]MARKED[/reverse]",
    "markup-json": "[reverse]MARKED[/reverse]",
    "markup-error": "[bold red]LOUD[/]",
    "echo-auth": "Bearer ***",
    "echo-auth-error": "bad token Bearer ***",
}


async def test_every_route_gives_a_literal_view_or_a_one_line_error(
    config_path: Path, spec_path: Path, hostile: HostileServer, other: HostileServer, user_dirs: Path
) -> None:
    app = make_app(settings(spec_path, config_path))
    failures: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        for route, expected in SHOWN.items():
            result, _ = await asyncio.wait_for(send_route(pilot, screen, route), HANG_GUARD_S)
            text = assert_screen_clean(app)
            if expected not in text:
                failures.append(f"{route}: {expected!r} not on screen (status {result.status})")
            if result.network_error is not None:
                assert "\n" not in result.network_error.message
        assert other.authorizations() == [], "the token went to the other host"
        assert f"Bearer {TOKEN}" in hostile.authorizations()  # positive control: it did go home
    assert not failures, "\n".join(failures)
    assert_token_absent(user_dirs)


async def test_markup_in_the_body_does_not_style_the_screen(config_path: Path, spec_path: Path) -> None:
    app = make_app(settings(spec_path, config_path))
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        await send_route(pilot, screen, "markup-text")
        svg, text = screen_text(app)
        assert MARKUP in text
        assert "␛]52;c;" in text  # the OSC 52 write is shown as inert characters
        assert "evil.example" not in re.sub(r">[^<]*<", "><", svg)  # no link made from server text


async def test_keys_are_answered_while_a_body_trickles(config_path: Path, spec_path: Path) -> None:
    """During a one-byte-a-second body: '/' moves focus to the filter and typing lands there; escape
    cancels the send at once, long before the timeout (10 s here, so the body is surely still trickling)."""
    import dataclasses

    from labs_tui.store.config import Timeouts

    base = settings(spec_path, config_path)
    patient = dataclasses.replace(base.config, timeouts=Timeouts(request=10.0))
    app = make_app(dataclasses.replace(base, config=patient))
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        assert app.spec is not None
        operation = app.spec.find(operation_id("trickle"))
        assert operation is not None
        screen.open_operation(operation)
        await pilot.pause()
        loop = asyncio.get_running_loop()
        await pilot.press("ctrl+j")
        await wait_until(pilot, lambda: screen.sending)
        started = loop.time()
        await pilot.press("slash", "g", "z")
        await pilot.pause()
        assert screen.sending
        from textual.widgets import Input

        focused = app.focused
        assert isinstance(focused, Input) and focused.value == "gz"
        await pilot.press("escape")  # leaves the filter
        await pilot.press("escape")  # cancels the send
        await wait_until(pilot, lambda: not screen.sending, timeout=3.0)
        assert loop.time() - started < 5.0
        assert screen.last_answer is None  # cancelled: no result arrived, the timeout did not end it
        assert_screen_clean(app)


async def test_trickle_times_out_at_the_configured_timeout(config_path: Path, spec_path: Path) -> None:
    app = make_app(settings(spec_path, config_path))
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        result, _ = await asyncio.wait_for(send_route(pilot, screen, "trickle"), HANG_GUARD_S)
        assert result.network_error is not None and result.network_error.kind == "timeout"
        assert f"not complete within {TIMEOUT_S:g} s" in assert_screen_clean(app)


async def test_spec_servers_elsewhere_do_not_attract_the_token(
    config_path: Path, spec_path: Path, hostile: HostileServer, other: HostileServer
) -> None:
    """The spec lists only the other host in ``servers``; requests and the token go to the profile's."""
    app = make_app(settings(spec_path, config_path))
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        result, _ = await send_route(pilot, screen, "echo-auth")
        assert result.status == 200
        assert other.seen == []
        assert hostile.authorizations() == [f"Bearer {TOKEN}"]
        for kind in ("curl", "httpie"):
            exported = screen.copy_text(kind)
            assert exported is not None and TOKEN not in exported and "ASTRO_API_TOKEN" in exported
        report = screen.copy_text("support_report")
        assert report is not None and TOKEN not in report
        assert TOKEN not in app.export_screenshot()


async def test_hostile_spec_text_is_literal_on_screen(config_path: Path) -> None:
    app = make_app(settings(DATA / "markup_escapes.json", config_path))
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        assert app.spec is not None
        screen.open_operation(app.spec.operations[0])
        await pilot.pause()
        text = assert_screen_clean(app)
        assert "[reverse]" in text


@pytest.mark.parametrize(
    "name",
    [
        "empty.yaml",
        "garbage.bin",
        "cycles_every_shape.yaml",
        "broken_refs.yaml",
        "swagger2_odd.json",
        "duplicate_ids.yaml",
    ],
)
async def test_hostile_spec_files_load_or_show_one_line(name: str, config_path: Path) -> None:
    app = make_app(settings(DATA / name, config_path))
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.spec is not None or app.spec_error is not None)
        await pilot.pause()
        if app.spec_error is not None:
            assert "\n" not in app.spec_error
        screen = main_screen(app)
        if app.spec is not None:
            for operation in app.spec.operations[:8]:
                screen.open_operation(operation)
                await pilot.pause()
        assert_screen_clean(app)


async def test_a_deep_generated_spec_fails_in_one_line_and_the_app_stays_up(
    config_path: Path, tmp_path: Path
) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text('{"openapi": "3.0.3", "x": ' + "[" * 50_000 + "]" * 50_000 + "}")
    app = make_app(settings(deep, config_path))
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.spec_error is not None)
        assert "nesting too deep" in app.spec_error  # type: ignore[operator]
        await pilot.press("f1")
        await pilot.pause()
        assert_screen_clean(app)


def toast_texts(app: LabsApp) -> list[str]:
    """The plain text of every notification on screen, as the toast renders it."""
    return [str(toast.render()) for toast in app.screen.query("Toast")]


async def test_a_copied_request_id_with_markup_is_notified_literally(
    config_path: Path, spec_path: Path
) -> None:
    app = make_app(settings(spec_path, config_path))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await ready(pilot)
        _, diagnosis = await send_route(pilot, screen, "markup-text")
        assert diagnosis.request_id == MARKUP
        screen.endpoints.endpoint_tree.focus()
        await pilot.press("ctrl+y")
        await pilot.pause(0.2)
        assert app.clipboard == MARKUP
        assert any(MARKUP in text for text in toast_texts(app)), toast_texts(app)


async def test_a_spec_error_naming_markup_is_notified_literally(config_path: Path, tmp_path: Path) -> None:
    where = tmp_path / "[reverse]bad[" / "reverse]" / "x.yaml"
    where.parent.mkdir(parents=True)
    where.write_text("")
    app = make_app(settings(where, config_path))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_until(pilot, lambda: app.spec_error is not None)
        await pilot.pause(0.2)
        assert_screen_clean(app)
        assert any("[reverse]bad[/reverse]" in text for text in toast_texts(app)), toast_texts(app)


async def test_a_spec_path_with_escapes_is_shown_inertly(config_path: Path, tmp_path: Path) -> None:
    where = tmp_path / "evil\x1b]52;c;ZWNobw==\x07\x1b[2J.yaml"
    where.write_text("")
    app = make_app(settings(where, config_path))
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.spec_error is not None)
        await pilot.pause(0.2)
        assert_screen_clean(app)
