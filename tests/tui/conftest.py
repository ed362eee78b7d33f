"""Helpers for the TUI tests: sandboxes with options, apps pointed at them, text read off the screen."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from labs_tui.tui.settings import Settings
from tools.screenshots import frozen_ids as shared_frozen_ids

FIXED_NOW = 1_700_000_000.0


@pytest.fixture
def start_sandbox() -> Iterator[Callable[..., Any]]:
    """Start sandboxes on free loopback ports with the given options; all stopped after the test."""
    from labs_tui.sandbox import start

    handles: list[Any] = []

    def _start(**options: Any) -> Any:
        handle = start(port=0, **options)
        handles.append(handle)
        return handle

    yield _start
    for handle in handles:
        handle.stop()


def settings_for(base_url: str, **overrides: Any) -> Settings:
    """An app on the sandbox profile, sending to ``base_url`` (no in-process sandbox of its own)."""
    values: dict[str, Any] = {"profile": "sandbox", "base_url": base_url, "start_sandbox": False, "env": {}}
    values.update(overrides)
    return Settings(**values)


def frozen_ids(prefix: str = "c0snapshot") -> Callable[[], str]:
    """request_ids hook for the sandbox: the same ids in the same order on every run."""
    return shared_frozen_ids(prefix, digits=15)


def screen_text(app: Any) -> str:
    """The visible screen as text (from the SVG screenshot); good for 'is this string shown'."""
    svg = app.export_screenshot()
    text = re.sub(r"<[^>]+>", "", svg)
    return html.unescape(text).replace("\xa0", " ")


async def wait_until(pilot: Any, condition: Callable[[], bool], timeout: float = 10.0) -> None:
    """Pump the app until ``condition`` holds; fail (not hang) after ``timeout`` seconds."""
    import asyncio

    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError("condition not reached in time")
        await pilot.pause(0.02)
