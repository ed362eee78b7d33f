"""``${NAME}`` variables in a request: filled from the environment and a ``.env`` file, never from the token.

A saved request shared through git says ``${WORKSPACE_ID}`` where each person has their own value. Before a
send every ``${NAME}`` in the URL, params, headers and body is replaced from the values given (the process
environment over the collection's ``.env``). A name with no value is reported, so the caller can name it
before sending instead of sending the literal text. ``$${NAME}`` stays as the literal ``${NAME}``.

The token is never a variable's value: names that hold a token (``ASTRO_API_TOKEN``, a profile's
``token_env``) are refused, so ``${ASTRO_API_TOKEN}`` cannot copy the secret into a URL, a body or a file.
Pure functions: no I/O, no printing.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass

__all__ = ["Expansion", "expand", "names_in", "parse_dotenv"]

_VARIABLE = re.compile(r"\$(\$?)\{([A-Za-z_][A-Za-z0-9_]*)\}")
_DOTENV_LINE = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$")


@dataclass(frozen=True)
class Expansion:
    text: str
    missing: tuple[str, ...] = ()
    """Names with no value (left as written in ``text``)."""
    refused: tuple[str, ...] = ()
    """Names that hold a token: never filled."""


def names_in(text: str) -> list[str]:
    """The ``${NAME}`` variables ``text`` uses, in order, each once."""
    seen: dict[str, None] = {}
    for escaped, name in _VARIABLE.findall(text):
        if not escaped:
            seen.setdefault(name)
    return list(seen)


def expand(text: str, values: Mapping[str, str], *, secret_names: Collection[str] = ()) -> Expansion:
    """``text`` with each ``${NAME}`` replaced from ``values``; what could not be filled is listed."""
    missing: dict[str, None] = {}
    refused: dict[str, None] = {}
    secrets = {name.upper() for name in secret_names}

    def fill(found: re.Match[str]) -> str:
        escaped, name = found.group(1), found.group(2)
        if escaped:
            return "${" + name + "}"
        if name.upper() in secrets:
            refused.setdefault(name)
            return found.group(0)
        value = values.get(name)
        if value is None:
            missing.setdefault(name)
            return found.group(0)
        return value

    return Expansion(_VARIABLE.sub(fill, text), tuple(missing), tuple(refused))


def parse_dotenv(text: str) -> dict[str, str]:
    """``NAME=value`` lines (``export`` allowed, ``#`` comments, single or double quotes stripped)."""
    values: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        found = _DOTENV_LINE.match(line)
        if found is None:
            continue
        name, value = found.groups()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        elif " #" in value:
            value = value.split(" #", 1)[0].rstrip()
        values[name] = value
    return values
