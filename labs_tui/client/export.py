"""A request as a curl or HTTPie command line a person can paste into a POSIX shell.

Every argument is quoted with ``shlex.quote``; the profile's token is written as a reference to
its environment variable (``$ASTRO_API_TOKEN``), inside double quotes so the shell still expands
it, wherever it went (a header, the query, a cookie, a Basic password), unless the caller asks for
the literal value. A body built from form fields (``CallRequest.form``) is exported as those fields
(curl ``-F``, HTTPie ``--multipart``), files by their absolute path and type, never inlined: the
tool makes its own multipart body and boundary. Pure string building, nothing run or saved.
"""

from __future__ import annotations

import os
import re
import shlex
from urllib.parse import quote_plus

from labs_tui.client.auth import basic_credential
from labs_tui.client.forms import FormPart, file_media_type
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


def _form_parts(request: CallRequest) -> list[FormPart]:
    """The form fields the body was built from (empty text fields were left out of it), or []."""
    if request.body is None:
        return []
    return [part for part in request.form if part.file is not None or part.value != ""]


def _skipped(name: str, value: str, form: list[FormPart]) -> bool:
    """Headers an export leaves out: the User-Agent, and our multipart Content-Type (the tool makes
    its own, with its own boundary) when the form's fields are exported."""
    if name.lower() in _SKIPPED:
        return True
    return bool(form) and name.lower() == "content-type" and value.lower().startswith("multipart/form-data")


def _file_path(part: FormPart) -> str:
    """The file's absolute path (as it was read when the body was built: ``~`` expanded)."""
    return os.path.abspath(os.path.expanduser((part.file or "").strip()))


def _curl_field(part: FormPart, token: str | None, var: str) -> list[str]:
    """``-F 'name=@/path;type=T'`` for a file; ``-F 'name=value'`` for text, or ``--form-string``
    when curl would read the value as a file (``@``, ``<``), quoted or as parameters (``;``)."""
    if part.file is None:
        literal = part.value.startswith(("@", "<", '"')) or ";" in part.value
        return ["--form-string" if literal else "-F", _arg(f"{part.name}={part.value}", token, var)]
    path = _file_path(part)
    if any(ch in path for ch in ';,"\\'):  # curl reads these as syntax unless the name is quoted
        path = '"' + path.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return ["-F", _arg(f"{part.name}=@{path};type={file_media_type(part)}", token, var)]


def _httpie_field(part: FormPart, token: str | None, var: str) -> str:
    """``name=value`` or ``name@/path;type=T``; HTTPie's separator characters in a name, and a value's
    leading ``@`` or ``=`` (``=@`` embeds a file, ``==`` is a query parameter), are escaped."""
    name = re.sub(r"([:=@])", r"\\\1", part.name)
    if part.file is not None:
        return _arg(f"{name}@{_file_path(part)};type={file_media_type(part)}", token, var)
    value = "\\" + part.value if part.value.startswith(("@", "=")) else part.value
    return _arg(f"{name}={value}", token, var)


def to_curl(request: CallRequest, profile: Profile, reveal_token: bool = False) -> str:
    """``curl`` reproducing the request: method, URL, headers (token as ``$VAR``, wherever it went), body
    (a form's fields as ``-F``).

    The token as a Basic password becomes ``-u ":$VAR"``."""
    token, var = _parts(request, profile, reveal_token)
    form = _form_parts(request)
    words = ["curl"]
    if request.method == "HEAD":
        words.append("--head")
    elif request.method != "GET" or request.body is not None:
        words += ["-X", shlex.quote(request.method)]
    words.append(_arg(_url(request.url, token), token, var))
    for name, value in request.headers:
        if _skipped(name, value, form):
            continue
        if _is_basic_token(name, value, token):
            words += ["-u", _arg(f":{token}", token, var)]
            continue
        words += ["-H", _arg(f"{name}: {value}", token, var)]
    if form:
        for part in form:
            words += _curl_field(part, token, var)
    elif request.body is not None:
        words += ["--data-raw", _arg(_body_text(request.body), token, var)]
    return " ".join(words)


def to_httpie(request: CallRequest, profile: Profile, reveal_token: bool = False) -> str:
    """HTTPie's ``http`` reproducing the request; the body goes as ``--raw``, a form's fields as
    ``--multipart`` items."""
    token, var = _parts(request, profile, reveal_token)
    form = _form_parts(request)
    words = ["http"]
    if form:
        words.append("--multipart")
    elif request.body is not None:
        words.append("--raw=" + _arg(_body_text(request.body), token, var))
    words += [shlex.quote(request.method), _arg(_url(request.url, token), token, var)]
    for name, value in request.headers:
        if _skipped(name, value, form):
            continue
        if _is_basic_token(name, value, token):
            words += ["-a", _arg(f":{token}", token, var)]
            continue
        words.append(_arg(f"{name}:{value}", token, var))
    words += [_httpie_field(part, token, var) for part in form]
    return " ".join(words)
