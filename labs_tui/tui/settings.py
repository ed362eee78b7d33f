"""What the app is started with: the command line's choices plus what tests inject.

Plain data, no Textual import, so the CLI can build it before Textual is imported. Tests use the
injectables to point the app at a sandbox on port 0, an httpx transport, frozen request IDs and a
fixed clock; the defaults are what ``labs-tui`` with no arguments does.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Settings:
    spec_source: str | None = None  # None: the bundled spec
    profile: str | None = None  # None: "sandbox"
    base_url: str | None = None
    pin: str | None = None  # "latest" or None: no pin header
    endpoint: str | None = None  # operationId or "METHOD PATH"
    env: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    config: Any = None  # a labs_tui.store.config.Config; None: read the user's config file at start
    config_warnings: tuple[str, ...] = ()  # what load_config said about the given config
    open_request: Any = None  # a store.collection.SavedRequest to fill the builder with (--open FILE)
    collection_dir: Any = None  # a Path: where requests are saved (--collection); None: the data dir's
    insecure: bool = False  # --insecure: no TLS certificate checks for any target (the header says so)
    # Injectables (tests, screenshots).
    start_sandbox: bool = True  # start the embedded sandbox when the profile has no base URL
    sandbox_options: Mapping[str, Any] = field(default_factory=dict)  # passed to labs_tui.sandbox.start
    transport: Any = None  # an httpx.AsyncBaseTransport for the client
    clock: Callable[[], float] = time.time  # epoch seconds: started_at, countdowns, report time
    result_hook: Callable[[Any], Any] | None = None  # CallResult -> CallResult, to freeze timings
    history_path: Any = None  # a Path for the history file; None: the platform data dir
    user_themes_dir: Any = None  # a Path holding user theme files; None: the config dir's themes/
