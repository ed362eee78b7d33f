"""Turning what the user shaped (operation, params, headers, body, pin) into a ``CallRequest``.

Decisions made here: the URL (base URL + filled path + query), the default headers, the pin
header (none for ``latest``), the token only for hosts it is bound to and where the operation's
security asks (``auth.token_place``: Authorization, an apiKey header, query parameter or cookie),
and ``-H 'Name:'`` removing a header entirely, the token's too (``-H 'Authorization:'`` keeps the
token out wherever it would go). Nothing is sent and nothing printed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from labs_tui import __version__
from labs_tui.client.auth import TokenPlace, token_place
from labs_tui.client.model import CallRequest, Profile
from labs_tui.client.profiles import ProfileError, check_token, token_allowed

if TYPE_CHECKING:
    from labs_tui.client.forms import FormPart
    from labs_tui.spec.model import Operation

HTTP_METHODS = ("GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE")
_TOKEN_CHARS = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
_PLACEHOLDER = re.compile(r"\{([^{}/]+)\}")
Pairs = Mapping[str, str] | Iterable[tuple[str, str]]


class RequestError(ValueError):
    """A request that cannot be built; ``str()`` is one line naming the culprit."""


@dataclass(frozen=True)
class RequestDraft:
    """A request as a person shaped it, before a profile turns it into a ``CallRequest``.

    The one input of ``build_request``: the TUI's builder and the CLI's ``call``/``compare`` both produce
    one. ``path`` is a spec template (filled from ``path_params``), a concrete path with its query as
    typed, or an absolute URL; without it the operation's path is used.
    """

    method: str
    path: str | None = None
    operation: Operation | None = None
    path_params: Mapping[str, str] = field(default_factory=dict)
    query: tuple[tuple[str, str], ...] = ()
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes | None = None
    pin: str | None = None
    form: tuple[FormPart, ...] = ()  # the multipart fields ``body`` was built from, for exports


def header_value_problem(value: str) -> str | None:
    """Why HTTP cannot carry ``value`` in a header, or None: only tab and printable ASCII travel.

    (httpx encodes header values as ASCII, and CR/LF would split the header.) The reason never
    repeats the value, which may be a credential.
    """
    for ch in value:
        if ch in "\r\n":
            return "a line break"
        if ch == "\t" or " " <= ch <= "~":
            continue
        return "a non-ASCII character" if ord(ch) > 127 else "a control character"
    return None


def check_header(name: str, value: str) -> None:
    """``RequestError`` (one line, no value) when ``name: value`` cannot be sent as an HTTP header."""
    if not _TOKEN_CHARS.match(name):
        raise RequestError(f"invalid header name {name!r}")
    problem = header_value_problem(value)
    if problem:
        raise RequestError(f"header {name} has {problem} in its value; HTTP cannot carry it")


def check_pin(pin: str | None) -> None:
    """``RequestError`` when a version pin cannot be sent as a header value."""
    problem = header_value_problem(pin or "")
    if problem:
        raise RequestError(f"the version pin has {problem}; HTTP cannot carry it in a header")


def _pairs(value: Pairs | None) -> list[tuple[str, str]]:
    if value is None:
        return []
    if isinstance(value, Mapping):
        return [(str(k), str(v)) for k, v in value.items()]
    return [(str(k), str(v)) for k, v in value]


def is_latest(pin: str | None) -> bool:
    return pin is None or pin.strip() == "" or pin.strip().lower() == "latest"


def fill_path(path: str, path_params: Mapping[str, str]) -> str:
    """``/things/{id}`` with each ``{name}`` percent-encoded; a missing one is a ``RequestError``."""

    def sub(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in path_params or path_params[name] == "":
            raise RequestError(f"path parameter {name!r} has no value (give it with -p {name}=VALUE)")
        return quote(str(path_params[name]), safe="")

    return _PLACEHOLDER.sub(sub, path)


def join_url(base_url: str, path: str) -> str:
    if path.startswith(("http://", "https://")):
        return path
    return base_url.rstrip("/") + "/" + path.lstrip("/") if path else base_url


def build_request(
    profile: Profile,
    draft: RequestDraft | None = None,
    *,
    method: str = "",
    path: str | None = None,
    operation: Operation | None = None,
    path_params: Mapping[str, str] | None = None,
    query: Pairs | None = None,
    headers: Pairs | None = None,
    body: bytes | str | None = None,
    pin: str | None = None,
) -> CallRequest:
    """The request to send for ``draft`` (or a draft given as its fields); ``RequestError`` (one line)
    for what cannot be sent.

    ``path`` may be a template (filled from ``path_params``), a concrete path, or an absolute URL;
    without one, the operation's path is used. Query pairs keep order and repeats. User headers
    replace the defaults of the same name; a user header with an empty value removes that header.
    The token is added only when the URL's origin is one the profile allows, where the operation's
    security says (``token_place``); a user header, query parameter or cookie of that name wins.
    """
    if draft is None:
        draft = RequestDraft(
            method=method,
            path=path,
            operation=operation,
            path_params=dict(path_params or {}),
            query=tuple(_pairs(query)),
            headers=tuple(_pairs(headers)),
            body=body.encode("utf-8") if isinstance(body, str) else body,
            pin=pin,
        )
    return _build(profile, draft)


def _build(profile: Profile, draft: RequestDraft) -> CallRequest:
    method, operation, pin = draft.method, draft.operation, draft.pin
    path, path_params, query, headers = draft.path, draft.path_params, draft.query, draft.headers
    verb = method.strip().upper()
    if not _TOKEN_CHARS.match(verb):
        raise RequestError(f"not an HTTP method: {method!r}")
    raw_path = path if path is not None else (operation.path if operation is not None else None)
    if raw_path is None:
        raise RequestError("no path and no operation to send")
    filled = fill_path(raw_path, dict(path_params or {}))
    if not filled.startswith(("http://", "https://")):
        if profile.base_url is None:
            raise RequestError(f"profile {profile.name!r} has no base URL yet")
    url = join_url(profile.base_url or "", filled)
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise RequestError(f"not an http(s) URL: {url!r}")
    if "@" in parts.netloc:
        raise RequestError("the URL must not contain a user name or password (user:pass@host)")
    try:
        token = check_token(profile.token, "the profile's token")
    except ProfileError as error:
        raise RequestError(str(error)) from None
    check_pin(pin)
    user = _pairs(headers)
    for name, value in user:
        check_header(name, value.strip())
    removed = {name.lower() for name, value in user if value.strip() == ""}
    query_pairs = _pairs(query)

    notes: list[str] = []
    defaults: list[tuple[str, str]] = [
        ("Accept", "application/json"),
        ("User-Agent", f"labs-tui/{__version__}"),
    ]
    token_in: tuple[str, str] | None = None
    if token and "authorization" not in removed:  # -H 'Authorization:' sends no token, wherever it goes
        place = token_place(operation)
        problem = _token_problem(profile, place, url)
        if problem:
            notes.append(problem)
        elif place.kind != "none":
            token_in = _place_token(place, token, parts.query, query_pairs, defaults, user)
    if query_pairs:
        url += ("&" if parts.query else ("" if url.endswith("?") else "?")) + urlencode(query_pairs)
    if not is_latest(pin):
        defaults.append((profile.version_header, str(pin).strip()))
    data = draft.body
    if data is not None:
        defaults.append(("Content-Type", "application/json"))

    overridden = {name.lower() for name, _ in user}
    final = [(n, v) for n, v in defaults if n.lower() not in overridden]
    final += [(n, v.strip()) for n, v in user if n.lower() not in removed]
    return CallRequest(
        method=verb,
        url=url,
        headers=tuple(final),
        body=data,
        pin=None if is_latest(pin) else str(pin).strip(),
        operation_key=operation.key if operation is not None else None,
        notes=tuple(notes),
        token_in=_still_sent(token_in, overridden, removed),
        form=draft.form if data is not None else (),
    )


def _token_problem(profile: Profile, place: TokenPlace, url: str) -> str | None:
    """Why the token stays home (a note for the user), or None; an operation needing none is silent."""
    if place.kind == "none":
        return f"token not sent: {place.why}" if place.why.startswith("it needs") else None
    if not token_allowed(profile, url):
        return f"token not sent: {urlsplit(url).hostname} is not the host of profile {profile.name!r}"
    return None


def _still_sent(
    token_in: tuple[str, str] | None, overridden: set[str], removed: set[str]
) -> tuple[str, str] | None:
    """``token_in`` unless the user's own header of that name (or an empty Cookie) replaced it."""
    if token_in is None or token_in[0] == "query":
        return token_in
    if token_in[0] == "cookie":
        return None if "cookie" in removed else token_in
    return None if token_in[1].lower() in overridden else token_in


def _place_token(
    place: TokenPlace,
    token: str,
    url_query: str,
    query: list[tuple[str, str]],
    defaults: list[tuple[str, str]],
    user: list[tuple[str, str]],
) -> tuple[str, str] | None:
    """Put ``token`` where ``place`` says (a query pair, a default header, or the Cookie header);
    what the user gave for that name wins. Returns where it went, or None."""
    if place.kind == "query":
        typed = parse_qsl(url_query, keep_blank_values=True)
        if any(name == place.name for name, _ in [*query, *typed]):
            return None
        query.append((place.name, token))
        return ("query", place.name)
    if place.kind == "cookie":
        pair = f"{place.name}={token}"
        for index, (name, value) in enumerate(user):
            if name.lower() != "cookie" or not value.strip():
                continue
            names = {part.partition("=")[0].strip() for part in value.split(";")}
            if place.name in names:
                return None
            user[index] = (name, f"{value.strip().rstrip(';')}; {pair}")
            return ("cookie", place.name)
        defaults.append(("Cookie", pair))
        return ("cookie", place.name)
    defaults.append((place.name, place.value(token)))
    return ("header", place.name)
