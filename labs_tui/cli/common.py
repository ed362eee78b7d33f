"""Small helpers every command shares: one-line errors with the documented exit codes."""

from __future__ import annotations

from typing import NoReturn

import click

from labs_tui.text import inert_line

EXIT_OK = 0
EXIT_HTTP_ERROR = 1  # call: status >= 400; compare: differences
EXIT_USAGE = 2  # usage or spec error
EXIT_NETWORK = 3


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    """Print ``error: <one line>`` to stderr and exit with ``code``; never a traceback."""
    click.echo(f"error: {inert_line(message)}", err=True)
    raise SystemExit(code)
