"""Keeping the token out of everything that can be shown, saved or exported.

``redact`` replaces secrets in any text; ``redact_headers`` also masks every credential header
whatever its value, so a token typed into a header is masked too. Used by the client before a
result leaves it, and by every renderer on the way out. Pure functions, no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import quote

from labs_tui.client.model import Headers

MASK = "***"
# Shorter values are not credentials anyone issues, and replacing them everywhere would mangle
# bodies ("t" in every word); credential headers are masked whatever their length.
MIN_SECRET_LENGTH = 6
CREDENTIAL_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "x-api-key"})


def _forms(secrets: Iterable[str | None]) -> list[str]:
    forms: set[str] = set()
    for secret in secrets:
        if secret and len(secret) >= MIN_SECRET_LENGTH:
            forms.add(secret)
            forms.add(quote(secret, safe=""))
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


def mask_credential(value: str) -> str:
    """``Bearer abc`` -> ``Bearer ***``: the scheme stays readable, the credential does not."""
    scheme, sep, rest = value.strip().partition(" ")
    if sep and rest and scheme.isalpha() and len(scheme) <= 20:
        return f"{scheme} {MASK}"
    return MASK if value else value


def redact_headers(headers: Headers, secrets: Iterable[str | None]) -> Headers:
    """Headers with credential headers masked and any secret elsewhere replaced."""
    secret_list = list(secrets)
    out: list[tuple[str, str]] = []
    for name, value in headers:
        if name.lower() in CREDENTIAL_HEADERS:
            out.append((name, mask_credential(value)))
        else:
            out.append((name, redact(value, secret_list)))
    return tuple(out)
