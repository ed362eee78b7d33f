"""Matching an imported request (a curl command, a saved file) to its spec operation, and dropping the
credentials it carries for that operation.

One rule for the CLI (``call --from-curl``, ``call --from``, ``call URL``) and the TUI (palette "Import
curl", ``--open``, the collection browser):

- a path is matched as it is; an absolute URL under the profile's base URL is matched by its path with
  the base URL's path stripped (``match_target``); the TUI also tries any suffix of a URL on another
  host (``anywhere``), since it opens the request for the profile's host;
- once the operation is known, a value the request gives for one of the operation's ``apiKey`` security
  parameters (header, query parameter or cookie) is dropped, like a literal bearer token in a curl
  command: the profile's token goes there instead, with a notice naming the place, never the value
  (``drop_api_keys``). The dropped values come back as ``secrets`` for the caller to mask anything it
  shows with ``redact``.

Pure: no I/O, nothing printed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from labs_tui.client.auth import TokenPlace

if TYPE_CHECKING:
    from labs_tui.spec.model import Operation, Spec
    from labs_tui.store.collection import SavedRequest

__all__ = [
    "Dropped",
    "Opened",
    "api_key_places",
    "drop_api_keys",
    "match_target",
    "open_request",
    "relative_to_base",
    "without_query",
]

Pairs = tuple[tuple[str, str], ...]


def relative_to_base(url: str, base_url: str | None) -> str | None:
    """The path and query of the absolute ``url`` relative to ``base_url`` (same origin, under its
    path), e.g. ``http://h/v1/pet/1?x=1`` under ``http://h/v1`` is ``/pet/1?x=1``; else None."""
    if base_url is None or not url.startswith(("http://", "https://")):
        return None
    target, base = urlsplit(url), urlsplit(base_url)
    if (target.scheme.lower(), target.netloc.lower()) != (base.scheme.lower(), base.netloc.lower()):
        return None
    prefix = base.path.rstrip("/")
    if target.path != prefix and not target.path.startswith(prefix + "/"):
        return None
    rest = target.path[len(prefix) :] or "/"
    return rest + (f"?{target.query}" if target.query else "")


def match_target(
    spec: Spec, method: str, target: str, base_url: str | None = None
) -> tuple[Operation, dict[str, str], str] | None:
    """(operation, path params, the path relative to the base with its query) for a ``/path`` or an
    absolute URL under ``base_url``; None when the spec has no such operation."""
    relative = target if target.startswith("/") else relative_to_base(target, base_url)
    if relative is None:
        return None
    found = spec.match(method.upper(), relative.split("?", 1)[0])
    if found is None:
        return None
    operation, params = found
    return operation, dict(params), relative


def api_key_places(operation: Operation | None) -> list[TokenPlace]:
    """Every apiKey header, query parameter and cookie the operation's security names."""
    places: list[TokenPlace] = []
    for alternative in (operation.auth if operation is not None else None) or ():
        for scheme in alternative:
            kind = scheme.location.lower()
            if scheme.type.lower() != "apikey" or not scheme.parameter_name:
                continue
            if kind in ("header", "query", "cookie"):
                place = TokenPlace(kind, scheme.parameter_name, "", scheme.name)  # type: ignore[arg-type]
                if place not in places:
                    places.append(place)
    return places


def without_query(target: str, names: Iterable[str]) -> tuple[str, list[str]]:
    """``target`` (a path or URL) without the query parameters named ``names``, and their values."""
    wanted = set(names)
    parts = urlsplit(target)
    if not wanted or not parts.query:
        return target, []
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    dropped = [value for name, value in pairs if name in wanted]
    if not dropped:
        return target, []
    kept = urlencode([(name, value) for name, value in pairs if name not in wanted])
    return urlunsplit(parts._replace(query=kept)), dropped


def _without_cookies(headers: Pairs, names: set[str]) -> tuple[Pairs, list[tuple[str, str]]]:
    """``headers`` without the cookies named ``names``, and the (name, value) pairs taken out."""
    out: list[tuple[str, str]] = []
    dropped: list[tuple[str, str]] = []
    for name, value in headers:
        if name.lower() != "cookie" or not names:
            out.append((name, value))
            continue
        kept = []
        for part in value.split(";"):
            key, _, cookie = part.strip().partition("=")
            if key in names:
                dropped.append((key, cookie))
            elif part.strip():
                kept.append(part.strip())
        if kept:
            out.append((name, "; ".join(kept)))
    return tuple(out), dropped


@dataclass(frozen=True)
class Dropped:
    """What ``drop_api_keys`` left and took: the places named in ``notices``, the values in ``secrets``."""

    saved: SavedRequest
    notices: tuple[str, ...] = ()
    secrets: tuple[str, ...] = ()


def drop_api_keys(
    saved: SavedRequest, operation: Operation | None, *, whose: str = "the command's"
) -> Dropped:
    """``saved`` without a value for any of ``operation``'s apiKey parameters (headers, cookies, query
    pairs, and the query of its path or URL): the profile's token is sent there instead."""
    places = api_key_places(operation)
    by_kind = {kind: {p.name for p in places if p.kind == kind} for kind in ("header", "query", "cookie")}
    headers_lower = {name.lower() for name in by_kind["header"]}
    secrets: list[str] = []
    found: list[TokenPlace] = []
    headers = []
    for name, value in saved.headers:
        if name.lower() in headers_lower:
            secrets.append(value)
            found += [p for p in places if p.kind == "header" and p.name.lower() == name.lower()]
        else:
            headers.append((name, value))
    kept_headers, cookies = _without_cookies(tuple(headers), by_kind["cookie"])
    secrets += [value for _, value in cookies]
    taken = {name for name, _ in cookies}
    found += [p for p in places if p.kind == "cookie" and p.name in taken]
    path, from_path = without_query(saved.path, by_kind["query"])
    query = tuple((n, v) for n, v in saved.query if n not in by_kind["query"])
    from_pairs = [v for n, v in saved.query if n in by_kind["query"]]
    if from_path or from_pairs:
        found += [p for p in places if p.kind == "query"]
        secrets += from_path + from_pairs
    if not secrets:
        return Dropped(saved)
    notices = tuple(
        dict.fromkeys(
            f"{whose} {place.label()} was dropped: the profile's token is sent instead" for place in found
        )
    )
    clean = replace(saved, path=path, headers=kept_headers, query=query)
    return Dropped(clean, notices, tuple(s for s in secrets if s))


@dataclass(frozen=True)
class Opened:
    """A saved or imported request matched to the spec: what a builder or a draft takes."""

    saved: SavedRequest  # without the operation's apiKey values, and without secret headers
    operation: Operation | None = None
    path_params: dict[str, str] = field(default_factory=dict)
    query: dict[str, str] = field(default_factory=dict)  # the path's or URL's own query
    notices: tuple[str, ...] = ()
    secrets: tuple[str, ...] = ()

    def masked(self, text: str) -> str:
        """``text`` with every dropped value masked (the core's ``redact``): for a toast or a note."""
        from labs_tui.client.redact import redact

        return redact(text, self.secrets)


def _find(
    spec: Spec, saved: SavedRequest, base_url: str | None, anywhere: bool
) -> tuple[Operation, dict[str, str], str] | None:
    named = spec.find(saved.operation) if saved.operation else None
    if named is not None and named.method == saved.method.upper():
        return named, {}, ""
    found = match_target(spec, saved.method, saved.path, base_url)
    if found is not None or not anywhere or saved.path.startswith("/"):
        return found
    from labs_tui.store.reopen import match_url

    suffix = match_url(spec, saved.method, saved.path)
    if suffix is None:
        return None
    return suffix[0], suffix[1], ""


def open_request(
    spec: Spec, saved: SavedRequest, *, base_url: str | None = None, anywhere: bool = False, whose: str = ""
) -> Opened:
    """``saved`` matched to its operation (by operationId, else by path: see ``match_target``; with
    ``anywhere`` a URL on another host by its longest served suffix) and cleaned by ``drop_api_keys``.

    ``operation`` is None when nothing matched; the request is then left as it is (secret headers aside).
    """
    found = _find(spec, saved, base_url, anywhere)
    if found is None:
        return Opened(saved.without_secrets())
    operation, params, _ = found
    dropped = drop_api_keys(saved, operation, whose=whose or "the command's")
    clean = dropped.saved.without_secrets()
    params = {n: v for n, v in params.items() if v != "{" + n + "}"}  # a template path matched itself
    query = dict(parse_qsl(urlsplit(clean.path).query, keep_blank_values=True))
    return Opened(clean, operation, params, query, dropped.notices, dropped.secrets)
