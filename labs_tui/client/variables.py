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

import dataclasses
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote

if TYPE_CHECKING:
    from labs_tui.client.forms import FormPart
    from labs_tui.client.model import Profile
    from labs_tui.client.request import RequestDraft

__all__ = ["Expansion", "expand", "fill_draft", "names_in", "parse_dotenv", "token_names"]

_VARIABLE = re.compile(r"\$(\$?)\{([A-Za-z_][A-Za-z0-9_]*)\}")
# A URL's text carries ${NAME} percent-encoded once it has been through a query: %24%7BNAME%7D.
_ENCODED_VARIABLE = re.compile(r"%24%7B([A-Za-z_][A-Za-z0-9_]*)%7D", re.IGNORECASE)
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


def token_names(profile: Profile | None) -> set[str]:
    """The environment names that hold a token for ``profile``: never a variable's value."""
    return {"ASTRO_API_TOKEN", *([profile.token_env] if profile is not None and profile.token_env else [])}


def fill_draft(
    draft: RequestDraft,
    values: Mapping[str, str],
    *,
    secret_names: Collection[str] = (),
    fill_path: bool = False,
) -> tuple[RequestDraft, str | None]:
    """``draft`` with ``${NAME}`` filled in its path params, query, headers and body (and its path, as URL
    text, with ``fill_path``), plus the one-line reason it cannot be sent, or None.

    The reason names every variable with no value, or every one that names a token.
    """
    missing: dict[str, None] = {}
    refused: dict[str, None] = {}
    encoded = {name: quote(value, safe="") for name, value in values.items()} if fill_path else {}

    def fill(text: str, url: bool = False) -> str:
        if url:
            text = _ENCODED_VARIABLE.sub(r"${\1}", text)
        if "${" not in text:
            return text
        done = expand(text, encoded if url else values, secret_names=secret_names)
        missing.update(dict.fromkeys(done.missing))
        refused.update(dict.fromkeys(done.refused))
        return done.text

    body: str | None = None
    if draft.body is not None and b"${" in draft.body:
        try:
            body = draft.body.decode("utf-8")
        except UnicodeDecodeError:
            body = None
    filled = dataclasses.replace(
        draft,
        path=fill(draft.path, url=True) if fill_path and draft.path else draft.path,
        path_params={name: fill(value) for name, value in draft.path_params.items()},
        query=tuple((name, fill(value)) for name, value in draft.query),
        headers=tuple((name, fill(value)) for name, value in draft.headers),
        body=fill(body).encode("utf-8") if body is not None else draft.body,
        form=_filled_form(draft.form, fill) if body is not None else draft.form,  # as the body was
    )
    if refused:
        return filled, f"variable(s) {', '.join(refused)} name the token; a variable never takes its value"
    if missing:
        return filled, f"unresolved variable(s): {', '.join(missing)}"
    return filled, None


def _filled_form(form: tuple[FormPart, ...], fill: Callable[[str], str]) -> tuple[FormPart, ...]:
    """The form's text values filled as its body was (file paths are not: the files were read)."""
    return tuple(dataclasses.replace(p, value=fill(p.value)) if p.file is None else p for p in form)
