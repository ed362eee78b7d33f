"""``make screenshots``: the app drives itself with Pilot against the sandbox and saves SVGs.

Run as ``python -m tools.screenshots <folder>``. Each picture is one scripted journey on a
fresh sandbox (port 0) with frozen requestIds, a fixed clock and fixed timings, so the SVGs only
change when the UI does. The app sees a fixed host (``sandbox.test``) through a forwarding
transport, never the random port. Every run uses throwaway user dirs: the user's config, themes
and history are neither read nor written. The 401 picture is a live-profile run with a token;
the token must never show (the test suite scans the SVGs for it).
"""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
import os
import sys
import tempfile
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

SIZE = (130, 40)
SHOWN_URL = "http://sandbox.test/labs/v1"
FIXED_NOW = 1_700_000_000.0
FIXED_DATE = "Tue, 14 Nov 2023 22:13:20 GMT"
LIVE_TOKEN = "screenshot-live-token-b1f4e2d9c7a8"
THEMES = ("astro-dark", "light", "high-contrast")
TIMEOUT_S = 15.0

Journey = Callable[[Any], Awaitable[None]]


class ForwardTransport(httpx.AsyncBaseTransport):
    """Sends whatever host the app shows to the real sandbox, so pictures do not carry a random port."""

    def __init__(self, target: str) -> None:
        self._target = httpx.URL(target)
        self._inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        request.url = request.url.copy_with(
            scheme=self._target.scheme, host=self._target.host, port=self._target.port
        )
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()


def frozen_ids(prefix: str = "c0shot", digits: int = 18) -> Callable[[], str]:
    """A sandbox ``request_ids`` hook: the same ids in the same order on every run."""
    counter = itertools.count(1)
    return lambda: f"{prefix}{next(counter):0{digits}d}"


def _freeze(result: Any) -> Any:
    return dataclasses.replace(result, elapsed_ms=12.0, started_at=FIXED_NOW)


@contextmanager
def private_user_dirs() -> Iterator[Path]:
    """Point the platform dirs (XDG) at a temporary folder for the duration; restore them after."""
    names = ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME", "ASTRO_API_TOKEN")
    saved = {name: os.environ.get(name) for name in names}
    with tempfile.TemporaryDirectory(prefix="labs-tui-shots-") as root:
        for name in names[:4]:
            folder = Path(root) / name.lower()
            folder.mkdir()
            os.environ[name] = str(folder)
        os.environ.pop("ASTRO_API_TOKEN", None)
        try:
            yield Path(root)
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value


async def _until(pilot: Any, condition: Callable[[], bool]) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + TIMEOUT_S
    while not condition():
        if loop.time() > deadline:
            raise TimeoutError("the app did not reach the state for this screenshot")
        await pilot.pause(0.02)


def _main(app: Any) -> Any:
    from labs_tui.tui.screens.main import MainScreen

    for screen in app.screen_stack:
        if isinstance(screen, MainScreen):
            return screen
    raise RuntimeError("no main screen")


async def _ready(pilot: Any) -> None:
    app = pilot.app
    await _until(pilot, lambda: app.spec is not None and app.profile is not None and app.history is not None)
    await pilot.pause()


async def _open_demo(pilot: Any) -> Any:
    await _ready(pilot)
    await pilot.press("enter")
    screen = _main(pilot.app)
    await _until(pilot, lambda: screen.request.operation is not None)
    return screen


async def _send(pilot: Any, screen: Any) -> None:
    before = screen._seq
    await pilot.press("ctrl+j")
    await _until(pilot, lambda: screen._seq > before and not screen._in_flight)
    await pilot.app.workers.wait_for_complete()


async def _settle(pilot: Any, screen: Any) -> None:
    screen.endpoints.focus()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause(0.2)


async def endpoint_list(pilot: Any) -> None:
    await _ready(pilot)


async def response_200(pilot: Any) -> None:
    screen = await _open_demo(pilot)
    await _send(pilot, screen)
    await _settle(pilot, screen)


async def error_401(pilot: Any) -> None:
    screen = await _open_demo(pilot)
    await _send(pilot, screen)
    await _settle(pilot, screen)


async def rate_limit_429(pilot: Any) -> None:
    screen = await _open_demo(pilot)
    for _ in range(3):
        await _send(pilot, screen)
    await _settle(pilot, screen)


async def compare(pilot: Any) -> None:
    from labs_tui.tui.screens.compare import CompareScreen

    await _open_demo(pilot)
    await pilot.press("ctrl+t")
    await pilot.pause()
    await pilot.press("enter")
    app = pilot.app
    await _until(pilot, lambda: isinstance(app.screen, CompareScreen) and app.screen.comparison is not None)
    await app.workers.wait_for_complete()
    await pilot.pause(0.2)
    await pilot.press("n")
    await pilot.pause(0.2)


async def history(pilot: Any) -> None:

    from labs_tui.tui.screens.history import HistoryScreen

    screen = await _open_demo(pilot)
    await _send(pilot, screen)
    screen.request.set_pin("1.0")
    await _send(pilot, screen)
    screen.request.send_auth = False
    await _send(pilot, screen)
    app = pilot.app
    await _until(pilot, lambda: len(app.history) >= 3)
    await pilot.press("f2")
    await _until(pilot, lambda: isinstance(app.screen, HistoryScreen) and app.screen.loaded_generation > 0)
    await pilot.pause(0.2)


def _themed(name: str) -> Journey:
    async def run(pilot: Any) -> None:
        pilot.app.theme = name
        await response_200(pilot)

    return run


def shots() -> dict[str, tuple[Journey, dict[str, Any]]]:
    """File stem -> (journey, options: ``live`` token run, sandbox options)."""
    table: dict[str, tuple[Journey, dict[str, Any]]] = {
        "endpoint-list": (endpoint_list, {}),
        "response-200": (response_200, {}),
        "error-401": (error_401, {"live": True}),
        "rate-limit-429": (rate_limit_429, {"sandbox": {"rate_limit": (2, 60.0)}}),
        "compare": (compare, {}),
        "history": (history, {}),
    }
    for theme in THEMES:
        table[f"theme-{theme}"] = (_themed(theme), {})
    return table


async def shoot(name: str, out_dir: Path) -> Path:
    """Run the journey ``name`` (see ``shots``) and save ``<out_dir>/<name>.svg``."""
    from labs_tui.sandbox import start
    from labs_tui.store import Config
    from labs_tui.tui.app import make_app
    from labs_tui.tui.settings import Settings

    journey, options = shots()[name]
    with private_user_dirs() as root:
        sandbox = start(
            port=0, request_ids=frozen_ids(), http_date=lambda: FIXED_DATE, **options.get("sandbox", {})
        )
        try:
            live = bool(options.get("live"))
            settings = Settings(
                profile="live" if live else "sandbox",
                base_url=SHOWN_URL,
                env={"ASTRO_API_TOKEN": LIVE_TOKEN} if live else {},
                config=Config(path=root / "config.yaml"),
                start_sandbox=False,
                transport=ForwardTransport(sandbox.base_url),
                clock=lambda: FIXED_NOW,
                result_hook=_freeze,
                history_path=root / "history.sqlite3",
                user_themes_dir=root / "themes",
            )
            app = make_app(settings)
            async with app.run_test(size=SIZE) as pilot:
                await journey(pilot)
                out_dir.mkdir(parents=True, exist_ok=True)
                path = Path(app.save_screenshot(f"{name}.svg", str(out_dir)))
        finally:
            sandbox.stop()
    return path


async def shoot_all(out_dir: Path, names: list[str] | None = None) -> list[Path]:
    return [await shoot(name, out_dir) for name in (names or list(shots()))]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) < 1:
        print("usage: python -m tools.screenshots <folder> [name ...]", file=sys.stderr)
        return 2
    names = args[1:] or None
    unknown = [n for n in names or [] if n not in shots()]
    if unknown:
        print(
            f"error: no screenshot named {', '.join(unknown)}; known: {', '.join(shots())}", file=sys.stderr
        )
        return 2
    for path in asyncio.run(shoot_all(Path(args[0]), names)):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
