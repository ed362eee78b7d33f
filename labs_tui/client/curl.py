"""A curl command line turned into a request the builder can take: method, URL, headers, body.

The Labs overview and every colleague's bug report show calls as curl commands; pasting one should give the
same request in labs-tui. This reads the command as a POSIX shell would split it (``shlex``, with ``\\``
line continuations) and understands the options that shape a request: ``-X``, ``-H``, the ``-d`` family,
``--json``, ``-F``/``--form``/``--form-string`` (multipart fields, kept as curl writes them: a file as
``@path``, read when the request is sent), ``-G``, ``-I``, ``-u``, ``--url``, ``-A``, ``-e``, ``-b``.
Options that only change how curl itself behaves (``-s``, ``-L``, ``-k``, ``-v``, ``-o`` ...) are ignored
with a notice; anything else is named.

A literal bearer token in the command is never kept: the ``Authorization`` header is dropped and
``token_replaced`` is set, so the caller sends the profile's token instead and says so. Basic credentials
(``-u``) are dropped the same way. Nothing here sends, prints or stores anything.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote_plus, urlsplit

__all__ = ["CurlError", "CurlRequest", "parse_curl"]


class CurlError(ValueError):
    """A command that is not a usable curl call; ``str()`` is one line."""


@dataclass(frozen=True)
class CurlRequest:
    method: str
    url: str
    headers: tuple[tuple[str, str], ...] = ()
    body: str | None = None
    token_replaced: bool = False
    notices: tuple[str, ...] = field(default=())
    form: tuple[tuple[str, str], ...] = ()  # -F fields: (name, value), a file's value "@path[;type=...]"


# Options that take a value but do not shape the request (the value is skipped).
_IGNORED_WITH_VALUE = {
    "-o", "--output", "-m", "--max-time", "--connect-timeout", "--retry", "--retry-delay", "--retry-max-time",
    "-w", "--write-out", "--cacert", "--capath", "-E", "--cert", "--key", "--proxy", "-x", "--resolve",
    "-c", "--cookie-jar", "-D", "--dump-header", "--limit-rate", "--max-redirs", "-T", "--upload-file",
}  # fmt: skip
_IGNORED_FLAGS = {
    "-s", "--silent", "-S", "--show-error", "-L", "--location", "-k", "--insecure", "-v", "--verbose",
    "-i", "--include", "--compressed", "-f", "--fail", "--fail-with-body", "-g", "--globoff", "-N",
    "--no-buffer", "--http1.1", "--http2", "-#", "--progress-bar", "-sS", "-Ss", "-sL", "-Ls", "-fsSL",
}  # fmt: skip
_DATA = {"-d", "--data", "--data-ascii", "--data-binary", "--data-raw"}


# A backslash line continuation, with the shell's "> " prompt a pasted transcript carries on the next line.
_CONTINUATION = re.compile(r"\\\r?\n[ \t]*(?:>[ \t]*)?")


def _split(command: str) -> list[str]:
    joined = _CONTINUATION.sub(" ", command.strip())
    if joined.startswith("$"):
        joined = joined[1:]  # a pasted prompt: "$ curl ..." or the overview's "$curl ..."
    try:
        words = shlex.split(joined, comments=False, posix=True)
    except ValueError as error:
        raise CurlError(f"cannot read the command: {error}") from None
    if not words or words[0].rsplit("/", 1)[-1] not in ("curl", "curl.exe"):
        raise CurlError("not a curl command (it must start with 'curl')")
    return words[1:]


def _header(raw: str) -> tuple[str, str]:
    name, sep, value = raw.partition(":")
    if not sep or not name.strip():
        raise CurlError(f"header {raw[:40]!r} has no 'Name: value' form")
    return name.strip(), value.strip()


class _Cursor:
    """Where parsing stands in the words, and the value an option takes (inline or the next word)."""

    def __init__(self, words: list[str]) -> None:
        self.words = words
        self.at = 0

    def value(self, option: str, inline: str | None) -> str:
        if inline is not None:
            return inline
        self.at += 1
        if self.at >= len(self.words):
            raise CurlError(f"option {option} needs a value")
        return self.words[self.at]


def _option(word: str) -> tuple[str, str | None]:
    """``--name=value`` and ``-XPOST``/``-H'N: v'``/``-d'{}'`` split into the option and its inline value."""
    if word.startswith("--"):
        name, eq, inline = word.partition("=")
        return name, inline if eq else None
    if len(word) > 2 and word[:2] in ("-X", "-H", "-d", "-F"):
        return word[:2], word[2:]
    return word, None


@dataclass
class _Parsed:
    """What the words said so far."""

    method: str | None = None
    url: str | None = None
    headers: list[tuple[str, str]] = field(default_factory=list)
    data: list[str] = field(default_factory=list)
    form: list[tuple[str, str]] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    get_mode: bool = False
    head_mode: bool = False
    json_mode: bool = False


def _data(parsed: _Parsed, option: str, value: str) -> None:
    if value.startswith("@") and option != "--data-raw":
        raise CurlError(f"{option} {value[:40]} reads a file: paste its content instead")
    parsed.data.append(value)


def _urlencoded(parsed: _Parsed, value: str) -> None:
    name, sep, rest = value.partition("=")
    parsed.data.append(f"{name}={quote_plus(rest)}" if sep else quote_plus(name))


def _form(parsed: _Parsed, value: str) -> None:
    from labs_tui.client.forms import FormError, parse_form_arg

    try:
        part = parse_form_arg(value)
    except FormError as error:
        raise CurlError(str(error)) from None
    parsed.form.append((part.name, value.partition("=")[2]))


def _form_string(parsed: _Parsed, value: str) -> None:
    name, found, text = value.partition("=")
    if not found or not name.strip():
        raise CurlError(f"--form-string takes name=value, got {value[:60]!r}")
    if text.startswith("@"):
        raise CurlError(f"--form-string {name.strip()}: a literal value starting with @ cannot be kept")
    parsed.form.append((name.strip(), text))


def _json(parsed: _Parsed, value: str) -> None:
    parsed.data.append(value)
    parsed.json_mode = True


def _dropped_user(parsed: _Parsed, value: str) -> None:
    parsed.notices.append("the -u credentials were dropped: the profile's token is sent instead")


def _header_named(name: str) -> Callable[[_Parsed, str], None]:
    return lambda parsed, value: parsed.headers.append((name, value))


# Options that take a value, and what each does with it.
_WITH_VALUE: dict[str, Callable[[_Parsed, str], None]] = {
    "-X": lambda parsed, value: setattr(parsed, "method", value.upper()),
    "-H": lambda parsed, value: parsed.headers.append(_header(value)),
    "--url": lambda parsed, value: setattr(parsed, "url", value),
    "--data-urlencode": _urlencoded,
    "--json": _json,
    "-F": _form,
    "--form-string": _form_string,
    "-u": _dropped_user,
    "-A": _header_named("User-Agent"),
    "-e": _header_named("Referer"),
    "-b": _header_named("Cookie"),
}
_ALIASES = {
    "--request": "-X",
    "--header": "-H",
    "--user": "-u",
    "--user-agent": "-A",
    "--referer": "-e",
    "--cookie": "-b",
    "--form": "-F",
}
_FLAGS = {"-G": "get_mode", "--get": "get_mode", "-I": "head_mode", "--head": "head_mode"}


def _read(words: list[str]) -> _Parsed:
    parsed = _Parsed()
    cursor = _Cursor(words)
    while cursor.at < len(words):
        word = words[cursor.at]
        option, inline = _option(word)
        option = _ALIASES.get(option, option)
        if option in _WITH_VALUE:
            _WITH_VALUE[option](parsed, cursor.value(option, inline))
        elif option in _DATA:
            _data(parsed, option, cursor.value(option, inline))
        elif option in _FLAGS:
            setattr(parsed, _FLAGS[option], True)
        elif option in _IGNORED_WITH_VALUE:
            cursor.value(option, inline)
            parsed.notices.append(f"ignored {option} (it changes how curl runs, not the request)")
        elif option in _IGNORED_FLAGS:
            pass
        elif word.startswith("-") and word != "-":
            parsed.notices.append(f"ignored unknown option {option}")
        elif parsed.url is None:
            parsed.url = word
        else:
            parsed.notices.append(f"ignored extra argument {word[:40]!r}")
        cursor.at += 1
    return parsed


def _checked_url(url: str | None) -> str:
    if url is None:
        raise CurlError("the command has no URL")
    if "://" not in url:
        url = "http://" + url  # curl's own default for a bare host
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise CurlError(f"not an http(s) URL: {url[:80]!r}")
    if parts.username or parts.password:
        raise CurlError("the URL holds credentials (user:password@): remove them and use the profile's token")
    return url


def _content_headers(parsed: _Parsed, body: str | None) -> None:
    names = {name.lower() for name, _ in parsed.headers}
    if parsed.json_mode:
        if "content-type" not in names:
            parsed.headers.append(("Content-Type", "application/json"))
        if "accept" not in names:
            parsed.headers.append(("Accept", "application/json"))
    elif body is not None and "content-type" not in names:
        parsed.headers.append(("Content-Type", "application/x-www-form-urlencoded"))  # what curl -d sends


def parse_curl(command: str) -> CurlRequest:
    """The request ``command`` would make; raises ``CurlError`` for what cannot be read."""
    parsed = _read(_split(command))
    url = _checked_url(parsed.url)
    body: str | None = "&".join(parsed.data) if parsed.data else None
    if parsed.form and (body is not None or parsed.get_mode):
        raise CurlError("-F cannot be combined with -d or -G: a multipart form is the whole body")
    if parsed.form:  # the form's Content-Type (with its boundary) is made when it is sent
        parsed.headers = [(n, v) for n, v in parsed.headers if n.lower() != "content-type"]
    if parsed.get_mode and body is not None:
        url += ("&" if urlsplit(url).query else "?") + body
        body = None
    _content_headers(parsed, body)
    sends = body is not None or bool(parsed.form)
    method = parsed.method or ("HEAD" if parsed.head_mode else ("POST" if sends else "GET"))
    kept = tuple(
        (n, v) for n, v in parsed.headers if n.lower() not in ("authorization", "proxy-authorization")
    )
    token_replaced = len(kept) < len(parsed.headers)
    notices = list(parsed.notices)
    if token_replaced:
        notices.insert(
            0, "the command's Authorization header was dropped: the profile's token is sent instead"
        )
    return CurlRequest(method, url, kept, body, token_replaced, tuple(notices), tuple(parsed.form))
