"""Keeping the token out of everything that can be shown, saved or exported.

``redact`` replaces secrets in any text (raw, percent-encoded, repr and JSON-escaped);
``redact_headers`` also masks every credential header whatever its value (``is_credential_header``:
Authorization, cookies, ``*-Token``, ``*-Secret``, ``*-Api-Key``...), so a token typed into a header
is masked too. Used by the client before a result leaves it, and by every renderer on the way out.
Pure functions, no I/O.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from urllib.parse import quote, unquote_plus

from labs_tui.client.auth import basic_credential
from labs_tui.client.model import Headers

MASK = "***"
# Shorter values are not credentials anyone issues, and replacing them everywhere would mangle
# bodies ("t" in every word); credential headers are masked whatever their length.
MIN_SECRET_LENGTH = 6
CREDENTIAL_HEADERS = frozenset(
    {
        "authorization",
        "proxy-authorization",
        "cookie",
        "set-cookie",
        "set-cookie2",
        "x-api-key",
        "api-key",
        "apikey",
        "x-auth-token",
        "x-access-token",
        "x-refresh-token",
        "x-csrf-token",
        "x-xsrf-token",
        "x-amz-security-token",
        "x-goog-iam-authorization-token",
    }
)
# Any header named like these carries a credential, whatever the prefix (X-Session-Token, X-Client-Secret).
_CREDENTIAL_SUFFIXES = (
    "-token",
    "-secret",
    "-api-key",
    "-apikey",
    "-password",
    "-credential",
    "-credentials",
)
_COOKIE_HEADERS = frozenset({"cookie", "set-cookie", "set-cookie2"})


def is_credential_header(name: str) -> bool:
    """Whether a request or response header carries a credential, so its value is always masked.

    ``_`` reads as ``-`` (``api_key`` is ``api-key``)."""
    lname = name.strip().lower().replace("_", "-")
    return lname in CREDENTIAL_HEADERS or lname.endswith(_CREDENTIAL_SUFFIXES)


def _forms(secrets: Iterable[str | None]) -> list[str]:
    """Each secret as it may appear in text: raw, percent-encoded, Python repr, JSON-escaped and as the
    Basic credential ``build_request`` makes of it."""
    forms: set[str] = set()
    for secret in secrets:
        if secret and len(secret) >= MIN_SECRET_LENGTH:
            forms.add(secret)
            forms.add(quote(secret, safe=""))
            forms.add(repr(secret)[1:-1])  # 'tok\x01' in an exception message
            forms.add(repr(secret.encode("utf-8", "backslashreplace"))[2:-1])  # b'tok\xc3\xa9'
            forms.add(json.dumps(secret)[1:-1])  # "tok\u0001" in a JSON document
            forms.add(json.dumps(secret, ensure_ascii=False)[1:-1])
            forms.add(basic_credential(secret))  # the token as a Basic password, echoed back
    return sorted(forms, key=len, reverse=True)


def redact(text: str, secrets: Iterable[str | None]) -> str:
    """``text`` with every secret (and its percent-encoded form) replaced by ``***``."""
    for secret in _forms(secrets):
        if secret in text:
            text = text.replace(secret, MASK)
    return text


def redact_bytes(data: bytes, secrets: Iterable[str | None]) -> bytes:
    for secret in _forms(secrets):
        raw = secret.encode("utf-8")
        if raw in data:
            data = data.replace(raw, MASK.encode())
    return data


def mask_cookie(value: str, *, set_cookie: bool) -> str:
    """``sid=abc; Path=/`` -> ``sid=***; Path=/`` (Set-Cookie) and ``a=1; b=2`` -> ``a=***; b=***``."""
    if set_cookie:
        first, sep, attributes = value.partition(";")
        name = first.partition("=")[0].strip()
        return f"{name}={MASK}{sep}{attributes}" if "=" in first else MASK
    pairs = [part.partition("=")[0].strip() for part in value.split(";") if part.strip()]
    return "; ".join(f"{name}={MASK}" for name in pairs) if pairs else value


def mask_credential(value: str) -> str:
    """``Bearer abc`` -> ``Bearer ***``: the scheme stays readable, the credential does not."""
    scheme, sep, rest = value.strip().partition(" ")
    if sep and rest and scheme.isalpha() and len(scheme) <= 20:
        return f"{scheme} {MASK}"
    return MASK if value else value


def mask_query(url: str, name: str) -> str:
    """``url`` with the value of each query parameter ``name`` replaced by ``***`` (the rest as it was)."""
    base, mark, rest = url.partition("?")
    if not mark:
        return url
    query, hash_mark, fragment = rest.partition("#")
    pieces = []
    for piece in query.split("&"):
        key, eq, _ = piece.partition("=")
        pieces.append(f"{key}={MASK}" if eq and unquote_plus(key) == name else piece)
    return f"{base}?{'&'.join(pieces)}{hash_mark}{fragment}"


def redact_headers(headers: Headers, secrets: Iterable[str | None], also: Iterable[str] = ()) -> Headers:
    """Headers with credential headers (and those named in ``also``) masked and any secret elsewhere
    replaced."""
    secret_list = list(secrets)
    masked = {name.strip().lower() for name in also}
    out: list[tuple[str, str]] = []
    for name, value in headers:
        lname = name.strip().lower()
        if lname in _COOKIE_HEADERS:
            out.append((name, redact(mask_cookie(value, set_cookie=lname != "cookie"), secret_list)))
        elif lname in masked or is_credential_header(lname):
            out.append((name, mask_credential(value)))
        else:
            out.append((name, redact(value, secret_list)))
    return tuple(out)
