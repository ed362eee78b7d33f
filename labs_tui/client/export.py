"""A request as a curl or HTTPie command line a person can paste into a POSIX shell.

Every argument is quoted with ``shlex.quote``; the profile's token is written as a reference to
its environment variable (``$ASTRO_API_TOKEN``), inside double quotes so the shell still expands
it, unless the caller asks for the literal value. Pure string building, nothing run or saved.
"""

from __future__ import annotations

import re
import shlex

from labs_tui.client.model import CallRequest, Profile
from labs_tui.client.profiles import TOKEN_ENV

_SKIPPED = ("user-agent",)
_DQ_UNSAFE = re.compile(r'["\\$`!\n]')
_IDENT = re.compile(r"[A-Za-z0-9_]")


def _arg(text: str, token: str | None, var: str) -> str:
    """One shell word for ``text``; each occurrence of ``token`` becomes ``$var``, still expandable."""
    if not token or token not in text:
        return shlex.quote(text)
    pieces = text.split(token)
    if not any(_DQ_UNSAFE.search(piece) for piece in pieces):
        out = ""
        for index, piece in enumerate(pieces):
            if index:
                out += f"${{{var}}}" if piece[:1] and _IDENT.match(piece[:1]) else f"${var}"
            out += piece
        return f'"{out}"'
    joined = f'"${{{var}}}"'.join(shlex.quote(piece) if piece else "" for piece in pieces)
    return joined


def _body_text(body: bytes) -> str:
    return body.decode("utf-8", errors="replace")


def _parts(request: CallRequest, profile: Profile, reveal_token: bool) -> tuple[str | None, str]:
    token = None if reveal_token else profile.token
    return token, profile.token_env or TOKEN_ENV


def to_curl(request: CallRequest, profile: Profile, reveal_token: bool = False) -> str:
    """``curl`` reproducing the request: method, URL, headers (token as ``$VAR``), body."""
    token, var = _parts(request, profile, reveal_token)
    words = ["curl"]
    if request.method == "HEAD":
        words.append("--head")
    elif request.method != "GET" or request.body is not None:
        words += ["-X", shlex.quote(request.method)]
    words.append(_arg(request.url, token, var))
    for name, value in request.headers:
        if name.lower() in _SKIPPED:
            continue
        words += ["-H", _arg(f"{name}: {value}", token, var)]
    if request.body is not None:
        words += ["--data-raw", _arg(_body_text(request.body), token, var)]
    return " ".join(words)


def to_httpie(request: CallRequest, profile: Profile, reveal_token: bool = False) -> str:
    """HTTPie's ``http`` reproducing the request; the body goes as ``--raw``."""
    token, var = _parts(request, profile, reveal_token)
    words = ["http"]
    if request.body is not None:
        words.append("--raw=" + _arg(_body_text(request.body), token, var))
    words += [shlex.quote(request.method), _arg(request.url, token, var)]
    for name, value in request.headers:
        if name.lower() in _SKIPPED:
            continue
        words.append(_arg(f"{name}:{value}", token, var))
    return " ".join(words)
