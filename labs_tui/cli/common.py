"""Small helpers every command shares: one-line errors with the documented exit codes."""

from __future__ import annotations

import re
from typing import NoReturn

import click

EXIT_OK = 0
EXIT_HTTP_ERROR = 1  # call: status >= 400; compare: differences
EXIT_USAGE = 2  # usage or spec error
EXIT_NETWORK = 3

# C0 (but tab/newline, which the one-line join removes anyway), DEL, C1, and bidi overrides.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def inert(text: str) -> str:
    """``text`` with every control character shown as its escape (``\\x1b``), so none acts on a terminal."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    """Print ``error: <one line>`` to stderr and exit with ``code``; never a traceback."""
    one_line = inert(" ".join(str(message).split()))
    click.echo(f"error: {one_line}", err=True)
    raise SystemExit(code)
