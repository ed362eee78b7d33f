"""The embedded Labs API emulator: a real HTTP server on loopback, for first runs and for tests.

``start()`` returns a ``SandboxHandle`` at once, serving in a daemon thread; ``handle.base_url``
is what a profile points at, ``handle.stop()`` shuts it down. The behaviour (tokens, version pins,
rate limit, error shape, optional gateway answers) is documented in ``labs-tui sandbox --help``.
This package never imports Textual and never prints: request log lines go to an injected callable.
"""

from labs_tui.sandbox.app import LIMITED_TOKEN, SANDBOX_TOKEN
from labs_tui.sandbox.labs import LABS_BASE_PATH, LATEST_VERSION, SUPPORTED_VERSIONS, VERSION_HEADER
from labs_tui.sandbox.server import (
    Deadlines,
    SandboxError,
    SandboxHandle,
    is_loopback,
    served_base_path,
    start,
)

__all__ = [
    "LABS_BASE_PATH",
    "LATEST_VERSION",
    "LIMITED_TOKEN",
    "SANDBOX_TOKEN",
    "SUPPORTED_VERSIONS",
    "VERSION_HEADER",
    "Deadlines",
    "SandboxError",
    "SandboxHandle",
    "is_loopback",
    "served_base_path",
    "start",
]
