"""A request as a curl or HTTPie command line a person can paste into a POSIX shell.

Every argument is quoted with ``shlex.quote``; the profile's token is written as a reference to
its environment variable (``$ASTRO_API_TOKEN``), inside double quotes so the shell still expands
it, wherever it went (a header, the query, a cookie, a Basic password), unless the caller asks for
the literal value. Pure string building, nothing run or saved.
"""

from __future__ import annotations

import re
import shlex
from urllib.parse import quote_plus

from labs_tui.client.auth import basic_credential
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


def _url(url: str, token: str | None) -> str:
    """The URL with a query-encoded token written plain, so it too becomes ``$VAR``."""
    if token and quote_plus(token) != token:
        return url.replace(quote_plus(token), token)
    return url


def _is_basic_token(name: str, value: str, token: str | None) -> bool:
    """Whether the header is the token sent as a Basic password (``auth.basic_credential``)."""
    if not token or name.lower() != "authorization":
        return False
    return value == f"Basic {basic_credential(token)}"


def to_curl(request: CallRequest, profile: Profile, reveal_token: bool = False) -> str:
    """``curl`` reproducing the request: method, URL, headers (token as ``$VAR``, wherever it went), body.

    The token as a Basic password becomes ``-u ":$VAR"``."""
    token, var = _parts(request, profile, reveal_token)
    words = ["curl"]
    if request.method == "HEAD":
        words.append("--head")
    elif request.method != "GET" or request.body is not None:
        words += ["-X", shlex.quote(request.method)]
    words.append(_arg(_url(request.url, token), token, var))
    for name, value in request.headers:
        if name.lower() in _SKIPPED:
            continue
        if _is_basic_token(name, value, token):
            words += ["-u", _arg(f":{token}", token, var)]
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
    words += [shlex.quote(request.method), _arg(_url(request.url, token), token, var)]
    for name, value in request.headers:
        if name.lower() in _SKIPPED:
            continue
        if _is_basic_token(name, value, token):
            words += ["-a", _arg(f":{token}", token, var)]
            continue
        words.append(_arg(f"{name}:{value}", token, var))
    return " ".join(words)
