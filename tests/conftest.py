"""Shared fixtures: every test runs with its own user dirs, and can have a sandbox on loopback."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point platformdirs (XDG on Linux) at a fresh folder so no test touches the real user dirs."""
    root = tmp_path_factory.mktemp("userdirs")
    for var, sub in (
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_CACHE_HOME", "cache"),
        ("XDG_STATE_HOME", "state"),
    ):
        (root / sub).mkdir()
        monkeypatch.setenv(var, str(root / sub))
    monkeypatch.delenv("ASTRO_API_TOKEN", raising=False)
    monkeypatch.delenv("LABS_TUI_CONFIG", raising=False)
    return root


@pytest.fixture
def sandbox() -> Iterator[Any]:
    """A Labs sandbox on a free loopback port, stopped after the test."""
    from labs_tui.sandbox import start

    handle = start(port=0)
    try:
        yield handle
    finally:
        handle.stop()


@pytest.fixture
def make_sandbox() -> Iterator[Callable[..., Any]]:
    """A factory: ``make_sandbox(**options)`` starts a sandbox with ``start(port=0, **options)``.

    Every sandbox it started is stopped after the test, e.g. ``make_sandbox(rate_limit=None)``,
    ``make_sandbox(gateway_errors=True)``, ``make_sandbox(request_ids=iter(ids).__next__)``.
    """
    from labs_tui.sandbox import start

    handles: list[Any] = []

    def factory(**options: Any) -> Any:
        options.setdefault("port", 0)
        handle = start(**options)
        handles.append(handle)
        return handle

    try:
        yield factory
    finally:
        for handle in handles:
            handle.stop()
